// inplace_fill.cc: in-place fills that keep the tensor's shape:
// Tensor.normal_ / uniform_ / exponential_ / bernoulli_ (random), zero_,
// fill_, copy_ (src broadcast to self). Models use them on parameters in
// __init__ (torchvision's ViT: torch.empty(...).normal_(std=0.02)).
//
// uniform_'s first parameter is `from`, a Python keyword: it is spelled
// `from_` here, so a uniform_ call inside forward records `from_`.
#include "absl/strings/str_cat.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

ValuePtr Self(OpCall& c) {
  TensorValue* x = c.Tensor("self");
  return c.Finish(x ? c.TensorPtr("self") : UnknownTensor());
}

ValuePtr Copy(OpCall& c) {
  TensorValue* x = c.Tensor("self");
  TensorValue* src = c.Tensor("src");
  if (x && src && x->rank_known && src->rank_known) {
    ops::BroadcastResult b = ops::Broadcast(x->dims, src->dims);
    bool fits = b.ok && b.dims.size() == x->dims.size();
    for (size_t i = 0; fits && i < b.dims.size(); ++i) fits = Dim::Equal(b.dims[i], x->dims[i]) != interp::Tri::kFalse;
    if (!fits) {
      Finding f = ShapeMismatch(c, "src", 0, 0,
                                absl::StrCat("the source of shape ", src->ShapeString(),
                                             " does not broadcast to the destination's shape ", x->ShapeString()));
      f.expected = x->ShapeString();
      f.actual = src->ShapeString();
      return c.Fail(std::move(f));
    }
  }
  return Self(c);
}

}  // namespace

void RegisterTorchInplaceFill(OpRegistry& r) {
  r.AddOp({"torch.Tensor.normal_", "self: Tensor, mean=0.0, std=1.0, *, generator=None", Self});
  r.AddOp({"torch.Tensor.uniform_", "self: Tensor, from_=0.0, to=1.0, *, generator=None", Self});
  r.AddOp({"torch.Tensor.exponential_", "self: Tensor, lambd=1.0, *, generator=None", Self});
  r.AddOp({"torch.Tensor.bernoulli_", "self: Tensor, p=0.5, *, generator=None", Self});
  r.AddOp({"torch.Tensor.zero_", "self: Tensor", Self});
  r.AddOp({"torch.Tensor.fill_", "self: Tensor, value", Self});
  r.AddOp({"torch.Tensor.copy_", "self: Tensor, src: Tensor, non_blocking=False", Copy});
}

}  // namespace shapelint::rules
