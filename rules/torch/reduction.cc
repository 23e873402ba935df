// reduction.cc: reductions over dimensions: mean, sum, amax/amin, max/min
// (with a dim they return (values, indices)), argmax/argmin; as torch.* and
// Tensor methods. `dim` is an int or a sequence of ints.
//
// What torch records follows the aten overload that binds: x.mean() binds
// aten::mean(Tensor self, *, ScalarType? dtype) (no dim/keepdim), x.mean(1)
// aten::mean.dim; torch.max(x) binds aten::max(Tensor self) and
// torch.max(x, y) aten::max.other (no keepdim).
#include "absl/strings/str_cat.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

using interp::As;
using interp::DType;
using interp::Is;
using interp::ValueKind;

DType DTypeArg(const ValuePtr& v, DType fallback) {
  const std::string* s = interp::AsStr(v);
  if (s == nullptr) return fallback;
  static const std::pair<const char*, DType> kNames[] = {
      {"torch.float32", DType::kFloat32},   {"torch.float64", DType::kFloat64}, {"torch.float16", DType::kFloat16},
      {"torch.bfloat16", DType::kBFloat16}, {"torch.int64", DType::kInt64},     {"torch.int32", DType::kInt32},
      {"torch.int16", DType::kInt16},       {"torch.int8", DType::kInt8},       {"torch.uint8", DType::kUInt8},
      {"torch.bool", DType::kBool}};
  for (auto& [n, d] : kNames)
    if (*s == n) return d;
  return fallback;
}

bool IsIntegral(DType d) {
  return d == DType::kInt64 || d == DType::kInt32 || d == DType::kInt16 || d == DType::kInt8 || d == DType::kUInt8 ||
         d == DType::kBool;
}

TensorValue* Self(OpCall& c) { return c.Tensor("input") ? c.Tensor("input") : c.Tensor("self"); }

// DimOutOfRange: a `dim` argument outside [-rank, rank-1].
Finding DimOutOfRange(OpCall& c, int64_t dim, size_t rank, const std::string& shape) {
  int64_t r = std::max<int64_t>(static_cast<int64_t>(rank), 1);
  Finding f = ShapeMismatch(c, "dim", 0, dim, "dimension out of range for shape " + shape);
  f.expected = absl::StrCat("a dim in [", -r, ", ", r - 1, "]");
  return f;
}

// ReducedDims: which dims `dim` names (all of them for None or []); false
// with a finding reported when one is out of range or repeated.
enum class DimsResult { kOk, kUnknown, kFailed };
DimsResult ReducedDims(OpCall& c, const ValuePtr& dim, size_t rank, const std::string& shape,
                       std::vector<bool>* reduced) {
  reduced->assign(rank, false);
  std::vector<ValuePtr> items;
  if (Is(dim, ValueKind::kNone)) {
    reduced->assign(rank, true);
    return DimsResult::kOk;
  }
  if (interp::IsSeq(dim))
    items = As<interp::SeqValue>(dim)->items;
  else
    items = {dim};
  if (items.empty()) {
    reduced->assign(rank, true);
    return DimsResult::kOk;
  }
  for (const auto& it : items) {
    auto d = interp::AsInt(it);
    if (!d) return DimsResult::kUnknown;
    auto n = ops::NormalizeDim(*d, std::max<size_t>(rank, 1));
    if (!n) {
      c.Fail(DimOutOfRange(c, *d, rank, shape));
      return DimsResult::kFailed;
    }
    if (rank == 0) continue;  // a 0-d tensor accepts dim 0 / -1
    if ((*reduced)[*n]) {
      Finding f =
          ShapeMismatch(c, "dim", 0, *d, absl::StrCat("dim ", *n, " appears multiple times in the list of dims"));
      f.expected = "distinct dims";
      c.Fail(std::move(f));
      return DimsResult::kFailed;
    }
    (*reduced)[*n] = true;
  }
  return DimsResult::kOk;
}

std::vector<Dim> Reduce(const std::vector<Dim>& dims, const std::vector<bool>& reduced, bool keepdim) {
  std::vector<Dim> out;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (!reduced[i])
      out.push_back(dims[i]);
    else if (keepdim)
      out.push_back(1);
  }
  return out;
}

// MeanSum: mean and sum (dim=None means the overload without dim/keepdim).
template <bool kMean>
ValuePtr MeanSum(OpCall& c) {
  TensorValue* x = Self(c);
  bool all = c.IsNone("dim");
  if (all) {
    c.DropAttribute("dim");
    c.DropAttribute("keepdim");
  }
  if (!x || !x->rank_known) return c.Finish(UnknownTensor());
  DType out_dtype = x->dtype;
  if (!kMean && IsIntegral(out_dtype)) out_dtype = DType::kInt64;
  out_dtype = DTypeArg(c.Get("dtype"), out_dtype);
  auto keep = c.Bool("keepdim");
  std::vector<bool> reduced;
  DimsResult r = ReducedDims(c, c.Get("dim"), x->dims.size(), x->ShapeString(), &reduced);
  if (r == DimsResult::kFailed) return interp::MakeUnknownRankTensor();
  if (r == DimsResult::kUnknown || !keep) return c.Finish(interp::MakeUnknownRankTensor(out_dtype));
  return c.Finish(MakeTensor(Reduce(x->dims, reduced, all ? false : *keep), out_dtype));
}

// AmaxAmin: dim=[] (the default) reduces every dim.
ValuePtr AmaxAmin(OpCall& c) {
  TensorValue* x = Self(c);
  if (!x || !x->rank_known) return c.Finish(UnknownTensor());
  auto keep = c.Bool("keepdim");
  std::vector<bool> reduced;
  DimsResult r = ReducedDims(c, c.Get("dim"), x->dims.size(), x->ShapeString(), &reduced);
  if (r == DimsResult::kFailed) return interp::MakeUnknownRankTensor();
  if (r == DimsResult::kUnknown || !keep) return c.Finish(interp::MakeUnknownRankTensor(x->dtype));
  return c.Finish(MakeTensor(Reduce(x->dims, reduced, *keep), x->dtype));
}

// MaxMin: max(x) -> 0-d; max(x, other) elementwise; max(x, dim) -> (values, indices).
ValuePtr MaxMin(OpCall& c) {
  TensorValue* x = Self(c);
  ValuePtr dim = c.Get("dim");
  if (Is(dim, ValueKind::kNone)) {
    c.DropAttribute("dim");
    c.DropAttribute("keepdim");
    if (!x) return c.Finish(UnknownTensor());
    return c.Finish(MakeTensor({}, x->dtype));
  }
  if (Is(dim, ValueKind::kTensor)) {  // aten::max.other
    c.DropAttribute("keepdim");
    auto* y = As<TensorValue>(dim);
    if (!x || !x->rank_known || !y->rank_known) return c.Finish(UnknownTensor());
    ops::BroadcastResult b = ops::Broadcast(x->dims, y->dims);
    if (!b.ok) {
      return c.Fail(
          ShapeMismatch(c, "broadcast", x->dims[b.conflict_a], y->dims[b.conflict_b],
                        absl::StrCat("shapes ", x->ShapeString(), " and ", y->ShapeString(), " cannot be broadcast")));
    }
    return c.Finish(MakeTensor(b.dims, x->dtype));
  }
  auto unknown = [&]() {
    return c.Finish(interp::MakeTuple({UnknownTensor(), interp::MakeUnknownRankTensor(DType::kInt64)}));
  };
  if (!x || !x->rank_known || !interp::AsInt(dim)) return unknown();
  auto keep = c.Bool("keepdim");
  std::vector<bool> reduced;
  DimsResult r = ReducedDims(c, dim, x->dims.size(), x->ShapeString(), &reduced);
  if (r == DimsResult::kFailed) return interp::MakeTuple({UnknownTensor(), UnknownTensor()});
  if (r == DimsResult::kUnknown || !keep) return unknown();
  std::vector<Dim> out = Reduce(x->dims, reduced, *keep);
  return c.Finish(interp::MakeTuple({MakeTensor(out, x->dtype), MakeTensor(out, DType::kInt64)}));
}

// ArgMaxMin: dim=None flattens (0-d result); torch records dim: null.
ValuePtr ArgMaxMin(OpCall& c) {
  TensorValue* x = Self(c);
  if (!x || !x->rank_known) return c.Finish(interp::MakeUnknownRankTensor(DType::kInt64));
  auto keep = c.Bool("keepdim");
  if (!keep) return c.Finish(interp::MakeUnknownRankTensor(DType::kInt64));
  if (c.IsNone("dim")) {
    std::vector<Dim> out = *keep ? std::vector<Dim>(x->dims.size(), 1) : std::vector<Dim>{};
    return c.Finish(MakeTensor(out, DType::kInt64));
  }
  std::vector<bool> reduced;
  DimsResult r = ReducedDims(c, c.Get("dim"), x->dims.size(), x->ShapeString(), &reduced);
  if (r == DimsResult::kFailed) return interp::MakeUnknownRankTensor();
  if (r == DimsResult::kUnknown) return c.Finish(interp::MakeUnknownRankTensor(DType::kInt64));
  return c.Finish(MakeTensor(Reduce(x->dims, reduced, *keep), DType::kInt64));
}

}  // namespace

void RegisterTorchReduction(OpRegistry& r) {
  AddFunctionAndMethod(r, "mean", "dim=None, keepdim=False, *, dtype=None", MeanSum<true>);
  AddFunctionAndMethod(r, "sum", "dim=None, keepdim=False, *, dtype=None", MeanSum<false>);
  for (const char* n : {"amax", "amin"}) {
    r.AddOp({std::string("torch.") + n, "input: Tensor, dim=[], keepdim=False", AmaxAmin});
    r.AddOp({std::string("torch.Tensor.") + n, "self: Tensor, dim=[], keepdim=False", AmaxAmin});
  }
  for (const char* n : {"max", "min"}) {
    r.AddOp({std::string("torch.") + n, "input: Tensor, dim=None, keepdim=False", MaxMin});
    r.AddOp({std::string("torch.Tensor.") + n, "self: Tensor, dim=None, keepdim=False", MaxMin});
  }
  for (const char* n : {"argmax", "argmin"}) {
    r.AddOp({std::string("torch.") + n, "input: Tensor, dim=None, keepdim=False", ArgMaxMin});
    r.AddOp({std::string("torch.Tensor.") + n, "self: Tensor, dim=None, keepdim=False", ArgMaxMin});
  }
}

}  // namespace shapelint::rules
