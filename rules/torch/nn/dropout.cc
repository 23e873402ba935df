// dropout.cc: nn.Dropout1d/3d, nn.AlphaDropout, nn.FeatureAlphaDropout and
// their functional forms (nn.Dropout / Dropout2d are in activation.cc).
// Shape-preserving; dropout1d rejects inputs that are not 2D or 3D.
#include "absl/strings/str_cat.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

ValuePtr SameShape(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  return c.Finish(x ? SameAs(*x) : UnknownTensor());
}

ValuePtr Dropout1dOp(OpCall& c) {
  const auto* xd = DimsOf(c.Tensor("input"));
  if (xd && xd->size() != 2 && xd->size() != 3) {
    return c.Fail(ShapeMismatch(c, "input rank", 3, static_cast<int64_t>(xd->size()),
                                "dropout1d expects a 2D or 3D input, got shape " + ops::ShapeString(*xd)));
  }
  return SameShape(c);
}

void DropoutInit(LayerInit& l) {
  l.Keep("p");
  l.Keep("inplace");
}

// Forward: F.<op>(input, self.p, self.training[, self.inplace]).
template <int kOp>
ValuePtr DropoutForward(LayerCall& l) {
  static const char* kOps[] = {"torch.nn.functional.dropout1d", "torch.nn.functional.dropout3d",
                               "torch.nn.functional.alpha_dropout", "torch.nn.functional.feature_alpha_dropout"};
  std::vector<ValuePtr> args = {l.Get("input"), l.Attr("p"), l.Attr("training")};
  if (kOp < 2) args.push_back(l.Attr("inplace"));
  return l.CallOp(kOps[kOp], std::move(args));
}

}  // namespace

void RegisterTorchNnDropout(OpRegistry& r) {
  r.AddOp({"torch.nn.functional.dropout1d", "input: Tensor, p=0.5, training=True, inplace=False", Dropout1dOp});
  r.AddOp({"torch.nn.functional.dropout3d", "input: Tensor, p=0.5, training=True, inplace=False", SameShape});
  r.AddOp({"torch.nn.functional.alpha_dropout", "input: Tensor, p=0.5, training=False, inplace=False", SameShape});
  r.AddOp(
      {"torch.nn.functional.feature_alpha_dropout", "input: Tensor, p=0.5, training=False, inplace=False", SameShape});
  r.AddLayer({"torch.nn.Dropout1d", "p=0.5, inplace=False", DropoutInit, DropoutForward<0>});
  r.AddLayer({"torch.nn.Dropout3d", "p=0.5, inplace=False", DropoutInit, DropoutForward<1>});
  r.AddLayer({"torch.nn.AlphaDropout", "p=0.5, inplace=False", DropoutInit, DropoutForward<2>});
  r.AddLayer({"torch.nn.FeatureAlphaDropout", "p=0.5, inplace=False", DropoutInit, DropoutForward<3>});
}

}  // namespace shapelint::rules
