// pointwise.cc: broadcasting binary ops (+ - * / and friends, comparisons,
// in-place forms), matmul, and concatenation.
#include "absl/strings/str_cat.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

using interp::As;
using interp::Is;
using interp::ValueKind;

interp::DType Promote(const TensorValue* a, const ValuePtr& other) {
  if (a == nullptr) return interp::DType::kFloat32;
  if (Is(other, ValueKind::kTensor)) {
    auto* b = As<TensorValue>(other);
    if (a->dtype == interp::DType::kInt64 && b->dtype != interp::DType::kInt64) return b->dtype;
  } else if (Is(other, ValueKind::kFloat) && a->dtype == interp::DType::kInt64) {
    return interp::DType::kFloat32;
  }
  return a->dtype;
}

// BroadcastOp: `input op other`; in-place ops must keep self's shape.
template <bool kInplace, bool kBoolResult>
ValuePtr BroadcastOp(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  if (x == nullptr) x = c.Tensor("self");
  ValuePtr other = c.Get("other");
  if (x == nullptr || !x->rank_known) return c.Finish(UnknownTensor());
  interp::DType dtype = kBoolResult ? interp::DType::kBool : Promote(x, other);
  if (!kBoolResult && !kInplace) {
    std::string op = c.spec().name.substr(c.spec().name.rfind('.') + 1);
    double alpha = c.Number("alpha").value_or(1.0);
    if (auto folded = FoldBinary(op, *x, other, alpha)) {
      std::vector<Dim> dims = x->dims;
      if (Is(other, ValueKind::kTensor) && DataOf(As<TensorValue>(other))->size() > DataOf(x)->size())
        dims = As<TensorValue>(other)->dims;
      if (op == "div") dtype = interp::DType::kFloat32;
      return c.Finish(WithData(dims, dtype, std::move(*folded)));
    }
  }
  if (!Is(other, ValueKind::kTensor)) {
    if (interp::IsUnknown(other)) return c.Finish(MakeTensor(x->dims, dtype));
    return c.Finish(MakeTensor(x->dims, dtype));
  }
  auto* y = As<TensorValue>(other);
  if (!y->rank_known) return c.Finish(UnknownTensor());
  ops::BroadcastResult b = ops::Broadcast(x->dims, y->dims);
  if (!b.ok) {
    Finding f = ShapeMismatch(c, "broadcast", x->dims[b.conflict_a], y->dims[b.conflict_b],
                              absl::StrCat("shapes ", x->ShapeString(), " and ", y->ShapeString(),
                                           " cannot be broadcast (dimension ", b.conflict_a, " vs ",
                                           b.conflict_b, ")"));
    f.subject = c.spec().name;
    return c.Fail(std::move(f));
  }
  if (kInplace && b.dims.size() != x->dims.size()) return c.Finish(UnknownTensor());
  return c.Finish(MakeTensor(kInplace ? x->dims : b.dims, dtype));
}

ValuePtr MatMulOf(OpCall& c, const char* b_name) {
  TensorValue* a = c.Tensor("input");
  TensorValue* b = c.Tensor(b_name);
  const auto* ad = DimsOf(a);
  const auto* bd = DimsOf(b);
  if (!ad || !bd || ad->empty() || bd->empty()) return c.Finish(UnknownTensor());
  const Dim& k_a = ad->back();
  const Dim& k_b = bd->size() == 1 ? (*bd)[0] : (*bd)[bd->size() - 2];
  if (CheckEqual(c, "matmul inner dimension", k_a, k_b) == interp::Tri::kFalse) {
    Finding f = ShapeMismatch(c, "inner dimension", k_a, k_b,
                              absl::StrCat("matmul of ", a->ShapeString(), " and ", b->ShapeString()));
    f.subject = "matmul inner dimension";
    return c.Fail(std::move(f));
  }
  std::vector<Dim> out;
  auto finish = [&](std::vector<Dim> dims) {
    c.in().AddMacs(ops::Numel(dims) * k_a);
    return c.Finish(MakeTensor(std::move(dims), a->dtype));
  };
  if (ad->size() == 1 && bd->size() == 1) return finish({});
  if (bd->size() == 1) {
    out.assign(ad->begin(), ad->end() - 1);
    return finish(out);
  }
  if (ad->size() == 1) {
    out.assign(bd->begin(), bd->end() - 2);
    out.push_back(bd->back());
    return finish(out);
  }
  std::vector<Dim> batch_a(ad->begin(), ad->end() - 2), batch_b(bd->begin(), bd->end() - 2);
  ops::BroadcastResult br = ops::Broadcast(batch_a, batch_b);
  if (!br.ok) {
    Finding f = ShapeMismatch(c, "batch dimensions", batch_a[br.conflict_a], batch_b[br.conflict_b],
                              absl::StrCat("matmul of ", a->ShapeString(), " and ", b->ShapeString()));
    return c.Fail(std::move(f));
  }
  out = br.dims;
  out.push_back((*ad)[ad->size() - 2]);
  out.push_back(bd->back());
  return finish(out);
}

ValuePtr MatMul(OpCall& c) { return MatMulOf(c, "other"); }

// Div: `x / y` binds aten::div.Tensor, which has no rounding_mode.
template <bool kInplace>
ValuePtr Div(OpCall& c) {
  if (c.IsNone("rounding_mode")) c.DropAttribute("rounding_mode");
  return BroadcastOp<kInplace, false>(c);
}
ValuePtr Mm(OpCall& c) { return MatMulOf(c, "mat2"); }

// Outer: torch.outer / torch.ger of two 1-D tensors is [n, m]. Not charged
// as mult-adds: nothing is summed (as einsum('i,j->ij')).
ValuePtr Outer(OpCall& c) {
  const char* self_name = c.Tensor("input") ? "input" : "self";
  TensorValue* a = c.Tensor(self_name);
  TensorValue* b = c.Tensor("vec2");
  if (!a || !b) return c.Finish(UnknownTensor());
  for (auto [t, name] : {std::pair{a, self_name}, std::pair{b, "vec2"}}) {
    if (t->rank_known && t->dims.size() != 1) {
      Finding f = ShapeMismatch(c, "outer input rank", 1, static_cast<int64_t>(t->dims.size()),
                                absl::StrCat("outer expects 1-D arguments; ", name, " has shape ", t->ShapeString()));
      return c.Fail(std::move(f));
    }
  }
  interp::DType dtype = Promote(a, c.Get("vec2"));
  return c.Finish(MakeTensor({a->rank_known ? a->dims[0] : FreshDim(), b->rank_known ? b->dims[0] : FreshDim()},
                             dtype));
}

ValuePtr Cat(OpCall& c) {
  ValuePtr seq = c.Get("tensors");
  auto dim = c.Int("dim");
  if (!interp::IsSeq(seq) || !dim) return c.Finish(UnknownTensor());
  const auto& items = As<interp::SeqValue>(seq)->items;
  std::vector<const TensorValue*> ts;
  for (const auto& it : items) {
    if (!Is(it, ValueKind::kTensor) || !As<TensorValue>(it)->rank_known) return c.Finish(UnknownTensor());
    const auto* t = As<TensorValue>(it);
    // torch skips 1-D empty tensors in cat.
    if (t->dims.size() == 1 && t->dims[0].is_const() && t->dims[0].value() == 0) continue;
    ts.push_back(t);
  }
  if (ts.empty()) return c.Finish(UnknownTensor());
  size_t rank = ts[0]->dims.size();
  auto d = ops::NormalizeDim(*dim, rank);
  if (!d) {
    return c.Fail(ShapeMismatch(c, "dim", static_cast<int64_t>(rank), *dim,
                                "dimension out of range for " + ts[0]->ShapeString()));
  }
  std::vector<Dim> out = ts[0]->dims;
  for (size_t i = 1; i < ts.size(); ++i) {
    if (ts[i]->dims.size() != rank) {
      Finding f = ShapeMismatch(c, "rank", static_cast<int64_t>(rank), static_cast<int64_t>(ts[i]->dims.size()),
                                absl::StrCat("tensor ", i, " has shape ", ts[i]->ShapeString(), ", tensor 0 has ",
                                             ts[0]->ShapeString()));
      f.subject = c.spec().name;
      return c.Fail(std::move(f));
    }
    for (size_t k = 0; k < rank; ++k) {
      if (k == *d) continue;
      if (CheckEqual(c, c.spec().name + " size", ts[0]->dims[k], ts[i]->dims[k]) == interp::Tri::kFalse) {
        Finding f = ShapeMismatch(c, "size", ts[0]->dims[k], ts[i]->dims[k],
                                  absl::StrCat("sizes must match except in dimension ", *d, ": tensor 0 has shape ",
                                               ts[0]->ShapeString(), ", tensor ", i, " has ",
                                               ts[i]->ShapeString()));
        f.subject = c.spec().name;
        return c.Fail(std::move(f));
      }
    }
    out[*d] = out[*d] + ts[i]->dims[*d];
  }
  return c.Finish(MakeTensor(out, ts[0]->dtype));
}

}  // namespace

void RegisterTorchPointwise(OpRegistry& r) {
  const char* kArith = "input: Tensor, other, *, alpha=1";
  r.AddOp({"torch.add", kArith, BroadcastOp<false, false>});
  r.AddOp({"torch.sub", kArith, BroadcastOp<false, false>});
  r.AddOp({"torch.mul", "input: Tensor, other", BroadcastOp<false, false>});
  r.AddOp({"torch.div", "input: Tensor, other, *, rounding_mode=None", Div<false>});
  for (const char* op : {"torch.floor_divide", "torch.remainder", "torch.maximum", "torch.minimum",
                         "torch.bitwise_and", "torch.bitwise_or", "torch.bitwise_xor"}) {
    r.AddOp({op, "input: Tensor, other", BroadcastOp<false, false>});
  }
  r.AddOp({"torch.pow", "input, exponent", [](OpCall& c) -> ValuePtr {
             TensorValue* x = c.Tensor("input");
             TensorValue* e = c.Tensor("exponent");
             if (x != nullptr) {
               if (auto folded = FoldBinary("pow", *x, c.Get("exponent")))
                 return c.Finish(WithData(x->dims, x->dtype, std::move(*folded)));
               return c.Finish(SameAs(*x));
             }
             if (e != nullptr) {  // torch.pow(scalar, tensor)
               if (auto folded = FoldBinary("rpow", *e, c.Get("input")))
                 return c.Finish(WithData(e->dims, interp::DType::kFloat32, std::move(*folded)));
               return c.Finish(SameAs(*e));
             }
             return c.Finish(UnknownTensor());
           }});
  r.AddAlias("torch.divide", "torch.div");
  r.AddAlias("torch.true_divide", "torch.div");
  for (const char* op : {"torch.eq", "torch.ne", "torch.lt", "torch.le", "torch.gt", "torch.ge"}) {
    r.AddOp({op, "input: Tensor, other", BroadcastOp<false, true>});
  }
  r.AddOp({"torch.Tensor.add_", "self: Tensor, other, *, alpha=1", BroadcastOp<true, false>});
  r.AddOp({"torch.Tensor.sub_", "self: Tensor, other, *, alpha=1", BroadcastOp<true, false>});
  r.AddOp({"torch.Tensor.mul_", "self: Tensor, other", BroadcastOp<true, false>});
  r.AddOp({"torch.Tensor.div_", "self: Tensor, other, *, rounding_mode=None", Div<true>});
  // Operator methods: torch 1.13 reports `x + y` as Tensor.add, `-x` as
  // Tensor.neg, so the reference names these methods torch.<name> however
  // they are written (`x.add(y)` and `x.abs()` record as torch.add and
  // torch.abs; docs/ops-mapping.md, rule 5). The unary ones are in activation.cc.
  for (const char* m : {"add", "sub", "mul", "div", "matmul", "floor_divide", "pow", "remainder", "neg", "abs",
                        "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "eq", "ne", "lt", "le", "gt",
                        "ge"}) {
    r.AddAlias(std::string("torch.Tensor.") + m, std::string("torch.") + m);
  }
  r.AddOp({"torch.matmul", "input: Tensor, other: Tensor", MatMul});
  r.AddOp({"torch.mm", "input: Tensor, mat2: Tensor", Mm});
  r.AddOp({"torch.bmm", "input: Tensor, mat2: Tensor", Mm});
  AddFunctionAndMethod(r, "outer", "vec2: Tensor", Outer);
  AddFunctionAndMethod(r, "ger", "vec2: Tensor", Outer);  // deprecated alias, recorded under its own name
  r.AddOp({"torch.cat", "tensors, dim=0", Cat});
  r.AddAlias("torch.concat", "torch.cat");
}

}  // namespace shapelint::rules
