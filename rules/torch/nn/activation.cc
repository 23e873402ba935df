// activation.cc: shape-preserving layers (activations, softmax, dropout) as
// table rows: a module, the functional op its forward calls, and which of the
// module's attributes it passes.
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

ValuePtr SameShapeOp(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  if (x == nullptr) x = c.Tensor("self");
  if (x == nullptr) return c.Finish(UnknownTensor());
  if (auto folded = FoldUnary(c.spec().name.substr(c.spec().name.rfind('.') + 1), *x))
    return c.Finish(WithData(x->dims, x->dtype, std::move(*folded)));
  return c.Finish(SameAs(*x));
}

// SoftmaxOp: same shape, with the dim checked against the rank.
ValuePtr SoftmaxOp(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  if (x == nullptr) x = c.Tensor("self");
  if (x == nullptr) return c.Finish(UnknownTensor());
  auto dim = c.Int("dim");
  if (dim && x->rank_known && !ops::NormalizeDim(*dim, x->dims.size())) {
    return c.Fail(ShapeMismatch(c, "dim", static_cast<int64_t>(x->dims.size()), *dim,
                                "dim out of range for input shape " + x->ShapeString()));
  }
  return c.Finish(SameAs(*x));
}

struct Activation {
  const char* layer;
  const char* layer_sig;
  const char* op;
  const char* op_sig;
  std::vector<const char*> positional;  // module attributes passed after input
  std::vector<const char*> keywords;    // module attributes passed by keyword
  ops::OpFn fn = SameShapeOp;
};

const std::vector<Activation>& Table() {
  static const std::vector<Activation> kTable = {
      {"torch.nn.ReLU", "inplace=False", "torch.nn.functional.relu", "input: Tensor, inplace=False", {}, {"inplace"}},
      {"torch.nn.GELU", "approximate='none'", "torch.nn.functional.gelu", "input: Tensor, approximate='none'", {},
       {"approximate"}},
      {"torch.nn.Sigmoid", "", "torch.sigmoid", "input: Tensor", {}, {}},
      {"torch.nn.Tanh", "", "torch.tanh", "input: Tensor", {}, {}},
      {"torch.nn.SiLU", "inplace=False", "torch.nn.functional.silu", "input: Tensor, inplace=False", {}, {"inplace"}},
      {"torch.nn.Hardswish", "inplace=False", "torch.nn.functional.hardswish", "input: Tensor, inplace=False",
       {"inplace"}, {}},
      {"torch.nn.Hardsigmoid", "inplace=False", "torch.nn.functional.hardsigmoid", "input: Tensor, inplace=False",
       {"inplace"}, {}},
      {"torch.nn.LeakyReLU", "negative_slope=0.01, inplace=False", "torch.nn.functional.leaky_relu",
       "input: Tensor, negative_slope=0.01, inplace=False", {"negative_slope", "inplace"}, {}},
      {"torch.nn.ELU", "alpha=1.0, inplace=False", "torch.nn.functional.elu",
       "input: Tensor, alpha=1.0, inplace=False", {"alpha", "inplace"}, {}},
      {"torch.nn.Softmax", "dim=None", "torch.nn.functional.softmax",
       "input: Tensor, dim=None, _stacklevel=3, dtype=None", {"dim"}, {}, SoftmaxOp},
      {"torch.nn.LogSoftmax", "dim=None", "torch.nn.functional.log_softmax",
       "input: Tensor, dim=None, _stacklevel=3, dtype=None", {"dim"}, {}, SoftmaxOp},
      {"torch.nn.Dropout", "p=0.5, inplace=False", "torch.nn.functional.dropout",
       "input: Tensor, p=0.5, training=True, inplace=False", {"p", "training", "inplace"}, {}},
      {"torch.nn.Dropout2d", "p=0.5, inplace=False", "torch.nn.functional.dropout2d",
       "input: Tensor, p=0.5, training=True, inplace=False", {"p", "training", "inplace"}, {}},
  };
  return kTable;
}

const Activation* Find(const std::string& layer) {
  for (const auto& a : Table()) if (layer == a.layer) return &a;
  return nullptr;
}

void ActivationInit(LayerInit& l) {
  const auto& ps = l.signature().params->params;
  for (const auto& p : ps) l.Keep(p.name);
}

ValuePtr ActivationForward(LayerCall& l) {
  auto* inst = interp::As<interp::InstanceValue>(l.self());
  const Activation* a = nullptr;
  for (const auto& c : inst->cls->mro) {
    if (c->is_native && (a = Find(c->qualname)) != nullptr) break;
  }
  if (a == nullptr) return UnknownTensor();
  std::vector<ValuePtr> pos = {l.Get("input")};
  for (const char* n : a->positional) pos.push_back(l.Attr(n));
  std::vector<std::pair<std::string, ValuePtr>> kw;
  for (const char* n : a->keywords) kw.emplace_back(n, l.Attr(n));
  return l.CallOp(a->op, std::move(pos), std::move(kw));
}

}  // namespace

void RegisterTorchNnActivation(OpRegistry& r) {
  for (const auto& a : Table()) {
    r.AddOp({a.op, a.op_sig, a.fn});
    r.AddLayer({a.layer, a.layer_sig, ActivationInit, ActivationForward});
  }
  // Functional spellings and Tensor methods that keep the shape.
  for (const char* op : {"torch.relu", "torch.relu_", "torch.exp", "torch.sqrt", "torch.abs", "torch.neg",
                         "torch.sign", "torch.log", "torch.sin", "torch.cos", "torch.rsqrt", "torch.erf",
                         "torch.bitwise_not"}) {
    r.AddOp({op, "input: Tensor", SameShapeOp});
  }
  for (const char* op : {"torch.nn.functional.sigmoid", "torch.nn.functional.tanh"}) {
    r.AddOp({op, "input: Tensor", SameShapeOp});
  }
  r.AddOp({"torch.Tensor.contiguous", "self: Tensor, memory_format=0", SameShapeOp});
  for (const char* op : {"torch.softmax", "torch.log_softmax"}) {
    r.AddOp({op, "input: Tensor, dim, dtype=None", SoftmaxOp});
  }
  for (const char* m : {"softmax", "log_softmax"}) {
    r.AddOp({std::string("torch.Tensor.") + m, "self: Tensor, dim, dtype=None", SoftmaxOp});
  }
  r.AddOp({"torch.Tensor.clone", "self: Tensor, *, memory_format=None", SameShapeOp});
  // `x.abs()`, `x.neg()` (and `-x`) are torch.abs / torch.neg: see the
  // operator-method aliases in pointwise.cc.
  for (const char* m : {"relu", "relu_", "sigmoid", "tanh", "exp", "sqrt", "detach", "log", "sin", "cos", "rsqrt",
                        "sign"}) {
    r.AddOp({std::string("torch.Tensor.") + m, "self: Tensor", SameShapeOp});
  }
}

}  // namespace shapelint::rules
