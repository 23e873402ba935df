// norm.cc: BatchNorm1d/2d/3d (F.batch_norm) and LayerNorm (F.layer_norm).
#include "absl/strings/str_cat.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

ValuePtr BatchNormOp(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  const auto* xd = DimsOf(x);
  if (!xd) return c.Finish(UnknownTensor());
  if (xd->size() < 2) {
    return c.Fail(ShapeMismatch(c, "input rank", 2, static_cast<int64_t>(xd->size()),
                                "batch_norm expects at least 2 dimensions, got shape " + ops::ShapeString(*xd)));
  }
  for (const char* stat : {"running_mean", "weight"}) {
    const auto* sd = DimsOf(c.Tensor(stat));
    if (sd && sd->size() == 1 && CheckEqual(c, "num_features", (*sd)[0], (*xd)[1]) == interp::Tri::kFalse) {
      return c.Fail(ShapeMismatch(c, "num_features", (*sd)[0], (*xd)[1],
                                  "input shape " + ops::ShapeString(*xd)));
    }
  }
  return c.Finish(SameAs(*x));
}

// BatchNorm modules check the input rank before calling F.batch_norm.
template <int kMinRank, int kMaxRank>
ValuePtr BatchNormForward(LayerCall& l) {
  ValuePtr input = l.Get("input");
  const auto* xd = DimsOf(l.Tensor("input"));
  if (xd && (static_cast<int>(xd->size()) < kMinRank || static_cast<int>(xd->size()) > kMaxRank)) {
    Finding f;
    f.kind = FindingKind::kShapeMismatch;
    f.subject = "input rank";
    f.expected = kMinRank == kMaxRank ? std::to_string(kMinRank)
                                      : absl::StrCat(kMinRank, " or ", kMaxRank);
    f.actual = std::to_string(xd->size());
    f.detail = "input shape " + ops::ShapeString(*xd);
    f.def_span = DefSpanOfCurrentLayer(l);
    l.in().Report(std::move(f));
    return UnknownTensor();
  }
  interp::Tri training = interp::Truthy(l.Attr("training"));
  bool train = training == interp::Tri::kTrue;
  ValuePtr mean = l.Attr("running_mean"), var = l.Attr("running_var");
  bool track = interp::Truthy(l.Attr("track_running_stats")) != interp::Tri::kFalse;
  bool bn_training = train || (interp::Is(mean, interp::ValueKind::kNone) && interp::Is(var, interp::ValueKind::kNone));
  ValuePtr momentum = l.Attr("momentum");
  if (interp::Is(momentum, interp::ValueKind::kNone)) momentum = interp::MakeFloat(0.0);
  ValuePtr none = interp::MakeNone();
  return l.CallOp("torch.nn.functional.batch_norm",
                  {input, (!train || track) ? mean : none, (!train || track) ? var : none, l.Attr("weight"),
                   l.Attr("bias"), interp::MakeBool(bn_training), momentum, l.Attr("eps")});
}

void BatchNormInit(LayerInit& l) {
  for (const char* n : {"num_features", "eps", "momentum", "affine", "track_running_stats"}) l.Keep(n);
  auto c = l.DimArg("num_features");
  Dim ch = c ? *c : FreshDim();
  if (l.Bool("affine").value_or(true)) {
    l.AddParam("weight", {ch});
    l.AddParam("bias", {ch});
  } else {
    l.AddNoneParam("weight");
    l.AddNoneParam("bias");
  }
  if (l.Bool("track_running_stats").value_or(true)) {
    l.AddBuffer("running_mean", {ch});
    l.AddBuffer("running_var", {ch});
    l.AddBuffer("num_batches_tracked", {}, interp::DType::kInt64);
  } else {
    l.AddNoneBuffer("running_mean");
    l.AddNoneBuffer("running_var");
    l.AddNoneBuffer("num_batches_tracked");
  }
}

ValuePtr LayerNormOp(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  const auto* xd = DimsOf(x);
  auto ns = c.Ints("normalized_shape");
  if (!xd || !ns) return c.Finish(UnknownTensor());
  if (ns->size() > xd->size()) {
    return c.Fail(ShapeMismatch(c, "normalized_shape", static_cast<int64_t>(ns->size()),
                                static_cast<int64_t>(xd->size()),
                                "input shape " + ops::ShapeString(*xd) + " has fewer dimensions than normalized_shape"));
  }
  for (size_t i = 0; i < ns->size(); ++i) {
    const Dim& got = (*xd)[xd->size() - ns->size() + i];
    if (CheckEqual(c, "normalized_shape", (*ns)[i], got) == interp::Tri::kFalse) {
      return c.Fail(ShapeMismatch(c, "normalized_shape", (*ns)[i], got,
                                  "normalized_shape " + ops::ShapeString(*ns) + " vs input shape " +
                                      ops::ShapeString(*xd)));
    }
  }
  return c.Finish(SameAs(*x));
}

void LayerNormInit(LayerInit& l) {
  auto ns = l.Ints("normalized_shape");
  l.SetAttr("normalized_shape", ns ? TupleOf(*ns) : interp::MakeUnknown("normalized_shape"));
  l.Keep("eps");
  l.Keep("elementwise_affine");
  std::vector<Dim> shape = ns ? *ns : std::vector<Dim>{FreshDim()};
  if (l.Bool("elementwise_affine").value_or(true)) {
    l.AddParam("weight", shape);
    l.AddParam("bias", shape);
  } else {
    l.AddNoneParam("weight");
    l.AddNoneParam("bias");
  }
}

ValuePtr LayerNormForward(LayerCall& l) {
  return l.CallOp("torch.nn.functional.layer_norm",
                  {l.Get("input"), l.Attr("normalized_shape"), l.Attr("weight"), l.Attr("bias"), l.Attr("eps")});
}

constexpr const char* kBnSig =
    "num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None";

}  // namespace

void RegisterTorchNnNorm(OpRegistry& r) {
  r.AddOp({"torch.nn.functional.batch_norm",
           "input: Tensor, running_mean: Optional[Tensor], running_var: Optional[Tensor], "
           "weight: Optional[Tensor] = None, bias: Optional[Tensor] = None, training=False, momentum=0.1, eps=1e-05",
           BatchNormOp});
  r.AddLayer({"torch.nn.BatchNorm1d", kBnSig, BatchNormInit, BatchNormForward<2, 3>});
  r.AddLayer({"torch.nn.BatchNorm2d", kBnSig, BatchNormInit, BatchNormForward<4, 4>});
  r.AddLayer({"torch.nn.BatchNorm3d", kBnSig, BatchNormInit, BatchNormForward<5, 5>});
  r.AddOp({"torch.nn.functional.layer_norm",
           "input: Tensor, normalized_shape, weight: Optional[Tensor] = None, bias: Optional[Tensor] = None, "
           "eps=1e-05",
           LayerNormOp});
  r.AddLayer({"torch.nn.LayerNorm", "normalized_shape, eps=1e-05, elementwise_affine=True, device=None, dtype=None",
              LayerNormInit, LayerNormForward});
}

}  // namespace shapelint::rules
