// select_cast.cc: elementwise selection and casts: torch.where (three-way
// broadcast), torch.clamp / clip (and Tensor methods, in place too),
// Tensor.masked_fill (mask broadcast), Tensor.type_as / Tensor.to (dtype
// changes, shape kept), F.normalize.
//
// Attributes follow the aten overload torch binds: where.ScalarOther records
// {"other": v}, where.ScalarSelf {"self": v}; clamp.Tensor has tensor bounds
// (Tensor? min/max, never attributes); Tensor.to has four overloads (dtype,
// other tensor, device, keywords) with different parameter lists.
#include "absl/strings/str_cat.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

using interp::As;
using interp::DType;
using interp::Is;
using interp::ValueKind;


bool IsFloating(DType d) {
  return d == DType::kFloat32 || d == DType::kFloat64 || d == DType::kFloat16 || d == DType::kBFloat16;
}

// BroadcastAll: numpy broadcasting of several shapes; a finding on conflict.
std::optional<std::vector<Dim>> BroadcastAll(OpCall& c, const std::vector<const TensorValue*>& ts, bool* failed) {
  std::vector<Dim> out;
  const TensorValue* first = nullptr;
  for (const TensorValue* t : ts) {
    if (!t) continue;
    if (!t->rank_known) return std::nullopt;
    if (!first) {
      first = t;
      out = t->dims;
      continue;
    }
    ops::BroadcastResult b = ops::Broadcast(out, t->dims);
    if (!b.ok) {
      Finding f = ShapeMismatch(
          c, "broadcast", out[b.conflict_a], t->dims[b.conflict_b],
          absl::StrCat("shapes ", ops::ShapeString(out), " and ", t->ShapeString(), " cannot be broadcast"));
      f.subject = c.spec().name;
      c.Fail(std::move(f));
      *failed = true;
      return std::nullopt;
    }
    out = b.dims;
  }
  if (!first) return std::nullopt;
  return out;
}

ValuePtr Where(OpCall& c) {
  TensorValue* cond = c.Tensor("condition");
  TensorValue* a = c.Tensor("self");
  TensorValue* b = c.Tensor("other");
  bool failed = false;
  auto dims = BroadcastAll(c, {cond, a, b}, &failed);
  if (failed) return interp::MakeUnknownRankTensor();
  DType dt = a ? a->dtype : b ? b->dtype : DType::kFloat32;
  if (a && !b && Is(c.Get("other"), ValueKind::kFloat) && !IsFloating(dt)) dt = DType::kFloat32;
  if (b && !a && Is(c.Get("self"), ValueKind::kFloat) && !IsFloating(dt)) dt = DType::kFloat32;
  if (a && b && a->dtype != b->dtype && IsFloating(b->dtype) && !IsFloating(a->dtype)) dt = b->dtype;
  if (!dims) return c.Finish(interp::MakeUnknownRankTensor(dt));
  return c.Finish(MakeTensor(*dims, dt));
}

ValuePtr Clamp(OpCall& c) {
  TensorValue* x = c.Tensor("input") ? c.Tensor("input") : c.Tensor("self");
  TensorValue* lo = c.Tensor("min");
  TensorValue* hi = c.Tensor("max");
  if (lo || hi) {  // clamp.Tensor: Tensor? bounds are never attributes
    if (!lo) c.DropAttribute("min");
    if (!hi) c.DropAttribute("max");
    bool failed = false;
    auto dims = BroadcastAll(c, {x, lo, hi}, &failed);
    if (failed) return interp::MakeUnknownRankTensor();
    if (!x) return c.Finish(UnknownTensor());
    if (!dims) return c.Finish(interp::MakeUnknownRankTensor(x->dtype));
    return c.Finish(MakeTensor(*dims, x->dtype));
  }
  if (!x) return c.Finish(UnknownTensor());
  return c.Finish(SameAs(*x));
}

// MaskedFill: out of place the result has the broadcast shape of self and
// mask; in place the mask must broadcast to self.
template <bool kInplace>
ValuePtr MaskedFill(OpCall& c) {
  TensorValue* x = c.Tensor("self");
  TensorValue* m = c.Tensor("mask");
  if (!x || !x->rank_known || !m || !m->rank_known) return c.Finish(x ? SameAs(*x) : UnknownTensor());
  bool failed = false;
  auto dims = BroadcastAll(c, {x, m}, &failed);
  if (failed) return interp::MakeUnknownRankTensor();
  if (kInplace && dims) {
    bool same = dims->size() == x->dims.size();
    for (size_t i = 0; same && i < dims->size(); ++i) same = Dim::Equal((*dims)[i], x->dims[i]) != interp::Tri::kFalse;
    if (!same) {
      Finding f = ShapeMismatch(c, "mask", 0, 0,
                                absl::StrCat("the mask of shape ", m->ShapeString(),
                                             " does not broadcast to the tensor's shape ", x->ShapeString()));
      f.expected = x->ShapeString();
      f.actual = m->ShapeString();
      return c.Fail(std::move(f));
    }
    return c.Finish(SameAs(*x));
  }
  if (!dims) return c.Finish(SameAs(*x));
  return c.Finish(MakeTensor(*dims, x->dtype));
}

ValuePtr TypeAs(OpCall& c) {
  TensorValue* x = c.Tensor("self");
  TensorValue* o = c.Tensor("other");
  if (!x) return c.Finish(UnknownTensor());
  ValuePtr out = SameAs(*x);
  if (o) As<TensorValue>(out)->dtype = o->dtype;
  return c.Finish(out);
}

// To: `self: Tensor, device=None, dtype=None, non_blocking=False, copy=False,
// memory_format=None`, recorded as the overload torch binds:
//   x.to(torch.float16) / x.to(dtype=...)  aten::to.dtype       (dtype, non_blocking, copy, memory_format)
//   x.to(other)                            aten::to.other       (non_blocking, copy, memory_format)
//   x.to("cpu"[, dtype])                   aten::to.prim_Device (device, dtype, non_blocking, copy)
ValuePtr To(OpCall& c) {
  TensorValue* x = c.Tensor("self");
  ValuePtr dev = c.Get("device");
  std::optional<DType> dt;
  if (Is(dev, ValueKind::kTensor)) {  // to.other
    c.DropAttribute("dtype");
    dt = As<TensorValue>(dev)->dtype;
  } else if (auto d = DTypeArg(dev); d && c.IsNone("dtype")) {  // to.dtype, dtype given positionally
    c.DropAttribute("device");
    c.SetAttribute("dtype", dev);
    dt = d;
  } else if (Is(dev, ValueKind::kNone)) {  // to.dtype with dtype=... (or nothing)
    c.DropAttribute("device");
    dt = DTypeArg(c.Get("dtype"));
  } else {  // to.prim_Device
    c.DropAttribute("memory_format");
    dt = DTypeArg(c.Get("dtype"));
  }
  if (!x) return c.Finish(UnknownTensor());
  ValuePtr out = SameAs(*x);
  if (dt) As<TensorValue>(out)->dtype = *dt;
  return c.Finish(out);
}

ValuePtr Normalize(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  if (!x) return c.Finish(UnknownTensor());
  auto dim = c.Int("dim");
  if (dim && x->rank_known && !ops::NormalizeDim(*dim, std::max<size_t>(x->dims.size(), 1))) {
    int64_t r = std::max<int64_t>(static_cast<int64_t>(x->dims.size()), 1);
    Finding f = ShapeMismatch(c, "dim", 0, *dim, "dimension out of range for input shape " + x->ShapeString());
    f.expected = absl::StrCat("a dim in [", -r, ", ", r - 1, "]");
    return c.Fail(std::move(f));
  }
  return c.Finish(SameAs(*x));
}

}  // namespace

void RegisterTorchSelectCast(OpRegistry& r) {
  r.AddOp({"torch.where", "condition: Tensor, self, other", Where});
  r.AddOp({"torch.Tensor.where", "self: Tensor, condition: Tensor, other", [](OpCall& c) -> ValuePtr {
             // x.where(cond, y) == torch.where(cond, x, y)
             TensorValue* x = c.Tensor("self");
             TensorValue* cond = c.Tensor("condition");
             TensorValue* y = c.Tensor("other");
             bool failed = false;
             auto dims = BroadcastAll(c, {cond, x, y}, &failed);
             if (failed) return interp::MakeUnknownRankTensor();
             DType dt = x ? x->dtype : DType::kFloat32;
             return c.Finish(dims ? ValuePtr(MakeTensor(*dims, dt)) : interp::MakeUnknownRankTensor(dt));
           }});
  for (const char* n : {"clamp", "clip"}) {
    r.AddOp({std::string("torch.") + n, "input: Tensor, min=None, max=None", Clamp});
    r.AddOp({std::string("torch.Tensor.") + n, "self: Tensor, min=None, max=None", Clamp});
    r.AddOp({std::string("torch.Tensor.") + n + "_", "self: Tensor, min=None, max=None", Clamp});
  }
  r.AddOp({"torch.Tensor.masked_fill", "self: Tensor, mask: Tensor, value", MaskedFill<false>});
  r.AddOp({"torch.Tensor.masked_fill_", "self: Tensor, mask: Tensor, value", MaskedFill<true>});
  r.AddOp({"torch.masked_fill", "input: Tensor, mask: Tensor, value", [](OpCall& c) -> ValuePtr {
             TensorValue* x = c.Tensor("input");
             TensorValue* m = c.Tensor("mask");
             bool failed = false;
             auto dims = BroadcastAll(c, {x, m}, &failed);
             if (failed) return interp::MakeUnknownRankTensor();
             if (!x) return c.Finish(UnknownTensor());
             return c.Finish(dims ? ValuePtr(MakeTensor(*dims, x->dtype)) : SameAs(*x));
           }});
  r.AddOp({"torch.Tensor.type_as", "self: Tensor, other: Tensor", TypeAs});
  r.AddOp({"torch.Tensor.to",
           "self: Tensor, device=None, dtype=None, non_blocking=False, copy=False, "
           "memory_format=None",
           To});
  r.AddOp({"torch.nn.functional.normalize", "input: Tensor, p=2.0, dim=1, eps=1e-12, out: Optional[Tensor] = None",
           Normalize});
}

}  // namespace shapelint::rules
