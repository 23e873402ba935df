// hardtanh.cc: nn.Hardtanh / F.hardtanh and nn.ReLU6 (a Hardtanh(0., 6.)
// subclass, whose forward is Hardtanh's: F.hardtanh) / F.relu6. Shape-preserving.
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

ValuePtr SameShape(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  return c.Finish(x ? SameAs(*x) : UnknownTensor());
}

void HardtanhInit(LayerInit& l) {
  // min_value / max_value: deprecated spellings that win when given.
  l.SetAttr("min_val", l.IsNone("min_value") ? l.Get("min_val") : l.Get("min_value"));
  l.SetAttr("max_val", l.IsNone("max_value") ? l.Get("max_val") : l.Get("max_value"));
  l.Keep("inplace");
}

void ReLU6Init(LayerInit& l) {
  l.SetAttr("min_val", interp::MakeFloat(0.0));
  l.SetAttr("max_val", interp::MakeFloat(6.0));
  l.Keep("inplace");
}

ValuePtr HardtanhForward(LayerCall& l) {
  return l.CallOp("torch.nn.functional.hardtanh",
                  {l.Get("input"), l.Attr("min_val"), l.Attr("max_val"), l.Attr("inplace")});
}

}  // namespace

void RegisterTorchNnHardtanh(OpRegistry& r) {
  r.AddOp({"torch.nn.functional.hardtanh", "input: Tensor, min_val=-1.0, max_val=1.0, inplace=False", SameShape});
  r.AddOp({"torch.nn.functional.relu6", "input: Tensor, inplace=False", SameShape});
  r.AddLayer({"torch.nn.Hardtanh", "min_val=-1.0, max_val=1.0, inplace=False, min_value=None, max_value=None",
              HardtanhInit, HardtanhForward});
  r.AddLayer({"torch.nn.ReLU6", "inplace=False", ReLU6Init, HardtanhForward});
}

}  // namespace shapelint::rules
