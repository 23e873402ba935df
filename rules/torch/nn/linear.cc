// linear.cc: nn.Linear / F.linear, nn.Identity.
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

ValuePtr Linear(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  TensorValue* w = c.Tensor("weight");
  const auto* xd = DimsOf(x);
  const auto* wd = DimsOf(w);
  if (!xd || !wd || wd->size() != 2) return c.Finish(UnknownTensor());
  if (xd->empty()) {
    return c.Fail(ShapeMismatch(c, "in_features", (*wd)[1], 0, "input is a 0-d tensor"));
  }
  const Dim& in = xd->back();
  if (CheckEqual(c, "in_features", (*wd)[1], in) == interp::Tri::kFalse) {
    return c.Fail(ShapeMismatch(c, "in_features", (*wd)[1], in,
                                "input shape " + ops::ShapeString(*xd)));
  }
  std::vector<Dim> out(xd->begin(), xd->end() - 1);
  out.push_back((*wd)[0]);
  c.in().AddMacs(ops::Numel(out) * (*wd)[1]);
  return c.Finish(MakeTensor(out, x->dtype));
}

void LinearInit(LayerInit& l) {
  l.Keep("in_features");
  l.Keep("out_features");
  auto in = l.DimArg("in_features"), out = l.DimArg("out_features");
  if (in && out) l.AddParam("weight", {*out, *in});
  else l.AddParam("weight", {FreshDim(), FreshDim()});
  if (l.Bool("bias").value_or(true)) l.AddParam("bias", {out ? *out : FreshDim()});
  else l.AddNoneParam("bias");
}

ValuePtr LinearForward(LayerCall& l) {
  return l.CallOp("torch.nn.functional.linear", {l.Get("input"), l.Attr("weight"), l.Attr("bias")});
}

void IdentityInit(LayerInit&) {}
ValuePtr IdentityForward(LayerCall& l) { return l.Get("input"); }

}  // namespace

void RegisterTorchNnLinear(OpRegistry& r) {
  r.AddOp({"torch.nn.functional.linear", "input: Tensor, weight: Tensor, bias: Optional[Tensor] = None", Linear});
  r.AddLayer({"torch.nn.Linear", "in_features, out_features, bias=True, device=None, dtype=None", LinearInit,
              LinearForward});
  r.AddLayer({"torch.nn.Identity", "*args, **kwargs", IdentityInit, IdentityForward});
}

}  // namespace shapelint::rules
