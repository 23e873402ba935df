// creation.cc: tensor factories: randn/rand/zeros/ones/empty (a size as ints
// or one sequence), randint, tensor(data), arange, *_like.
#include <cmath>

#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

using interp::As;
using interp::Is;
using interp::ValueKind;

interp::DType DTypeOf(const ValuePtr& v, interp::DType fallback) { return DTypeArg(v).value_or(fallback); }

std::optional<std::vector<Dim>> SizeFrom(const ValuePtr& packed) {
  if (!interp::IsSeq(packed)) return std::nullopt;
  auto items = As<interp::SeqValue>(packed)->items;
  if (items.size() == 1 && interp::IsSeq(items[0])) items = As<interp::SeqValue>(items[0])->items;
  std::vector<Dim> dims;
  for (const auto& i : items) {
    auto d = interp::AsDim(i);
    if (!d) return std::nullopt;
    dims.push_back(*d);
  }
  return dims;
}

// Python-level keywords that are not in the aten schema torch records.
void DropPythonOnly(OpCall& c) {
  for (const char* n : {"out", "requires_grad", "generator"}) {
    if (c.signature().Index(n) >= 0) c.DropAttribute(n);
  }
}

ValuePtr Factory(OpCall& c) {
  DropPythonOnly(c);
  auto dims = SizeFrom(c.Get("size"));
  if (dims) c.SetAttribute("size", TupleOf(*dims));
  interp::DType dt = DTypeOf(c.Get("dtype"), interp::DType::kFloat32);
  if (!dims) return c.Finish(interp::MakeUnknownRankTensor(dt));
  auto t = MakeTensor(*dims, dt);
  t->origin = c.in().CallSite();
  return c.Finish(t);
}

ValuePtr RandInt(OpCall& c) {
  DropPythonOnly(c);
  ValuePtr size = c.Get("size");
  if (Is(size, ValueKind::kNone)) size = c.Get("high");  // randint(high, size)
  auto dims = SizeFrom(interp::MakeTuple({size}));
  interp::DType dt = DTypeOf(c.Get("dtype"), interp::DType::kInt64);
  return c.Finish(dims ? ValuePtr(MakeTensor(*dims, dt)) : interp::MakeUnknownRankTensor(dt));
}

// DataShape: the shape and element kind of nested Python lists.
bool DataShape(const ValuePtr& v, size_t depth, std::vector<Dim>* dims, interp::DType* dt) {
  if (interp::IsSeq(v)) {
    const auto& items = As<interp::SeqValue>(v)->items;
    if (dims->size() == depth) dims->push_back(static_cast<int64_t>(items.size()));
    else if (!(*dims)[depth].is_const() || (*dims)[depth].value() != static_cast<int64_t>(items.size())) return false;
    for (const auto& i : items) if (!DataShape(i, depth + 1, dims, dt)) return false;
    return true;
  }
  if (Is(v, ValueKind::kFloat)) *dt = interp::DType::kFloat32;
  else if (Is(v, ValueKind::kBool) && *dt == interp::DType::kUnknown) *dt = interp::DType::kBool;
  else if (Is(v, ValueKind::kInt) && (*dt == interp::DType::kUnknown || *dt == interp::DType::kBool)) *dt = interp::DType::kInt64;
  else if (!Is(v, ValueKind::kFloat) && !Is(v, ValueKind::kInt) && !Is(v, ValueKind::kBool)) return false;
  return depth == dims->size();
}

void Flatten(const ValuePtr& v, std::vector<double>* out) {
  if (interp::IsSeq(v)) {
    for (const auto& i : As<interp::SeqValue>(v)->items) Flatten(i, out);
  } else if (auto n = interp::AsNumber(v)) {
    out->push_back(*n);
  }
}

ValuePtr TensorData(OpCall& c) {
  std::vector<Dim> dims;
  interp::DType dt = interp::DType::kUnknown;
  if (Is(c.Get("data"), ValueKind::kTensor)) return c.Finish(SameAs(*c.Tensor("data")));
  if (!DataShape(c.Get("data"), 0, &dims, &dt)) return c.Finish(interp::MakeUnknownRankTensor());
  if (dt == interp::DType::kUnknown) dt = interp::DType::kFloat32;
  std::vector<double> values;
  Flatten(c.Get("data"), &values);
  return c.Finish(WithData(dims, DTypeOf(c.Get("dtype"), dt), std::move(values)));
}

ValuePtr Arange(OpCall& c) {
  DropPythonOnly(c);
  ValuePtr start = c.Get("start"), end = c.Get("end"), step = c.Get("step");
  if (Is(end, ValueKind::kNone)) {
    // arange(end): the aten::arange(Scalar end, ...) overload.
    c.SetAttribute("end", start);
    c.DropAttribute("start");
    c.DropAttribute("step");
    end = start;
    start = interp::MakeInt(0);
  }
  bool is_float = Is(start, ValueKind::kFloat) || Is(end, ValueKind::kFloat) || Is(step, ValueKind::kFloat);
  interp::DType dt = DTypeOf(c.Get("dtype"), is_float ? interp::DType::kFloat32 : interp::DType::kInt64);
  auto s = interp::AsNumber(start), e = interp::AsNumber(end), st = interp::AsNumber(step);
  if (s && e && st && *st != 0) {
    int64_t n = static_cast<int64_t>(std::max(0.0, std::ceil((*e - *s) / *st)));
    if (n <= 65536) {
      std::vector<double> data;
      for (int64_t i = 0; i < n; ++i) data.push_back(*s + static_cast<double>(i) * *st);
      return c.Finish(WithData({n}, dt, std::move(data)));
    }
    return c.Finish(MakeTensor({n}, dt));
  }
  auto sd = interp::AsDim(start), ed = interp::AsDim(end);
  if (sd && ed && interp::AsInt(step) == 1) return c.Finish(MakeTensor({*ed - *sd}, dt));
  return c.Finish(MakeTensor({FreshDim()}, dt));
}

ValuePtr Like(OpCall& c) {
  DropPythonOnly(c);
  TensorValue* x = c.Tensor("input");
  if (!x) return c.Finish(UnknownTensor());
  auto t = SameAs(*x);
  As<TensorValue>(t)->dtype = DTypeOf(c.Get("dtype"), x->dtype);
  return c.Finish(t);
}

constexpr const char* kFactorySig =
    "*size, out=None, dtype=None, layout=None, device=None, pin_memory=None, requires_grad=False";

}  // namespace

void RegisterTorchCreation(OpRegistry& r) {
  for (const char* f : {"torch.randn", "torch.rand", "torch.zeros", "torch.ones", "torch.empty"}) {
    r.AddOp({f, kFactorySig, Factory});
  }
  r.AddOp({"torch.randint", "low=0, high=None, size=None, *, generator=None, dtype=None, layout=None, "
                            "device=None, requires_grad=False",
           RandInt});
  r.AddOp({"torch.tensor", "data, dtype=None, device=None, requires_grad=False", TensorData});
  r.AddOp({"torch.arange", "start, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, pin_memory=None, "
                           "requires_grad=False",
           Arange});
  for (const char* f : {"torch.zeros_like", "torch.ones_like", "torch.randn_like", "torch.rand_like",
                        "torch.empty_like"}) {
    r.AddOp({f, "input: Tensor, dtype=None, layout=None, device=None, pin_memory=None, memory_format=None, "
             "requires_grad=False",
             Like});
  }
}

}  // namespace shapelint::rules
