// move_axes.cc: torch.swapaxes / swapdims (transpose under other names, with
// their own parameter names) and torch.movedim / moveaxis (one dim or lists
// of dims moved to new positions, the others keeping their order); as torch.*
// and Tensor methods.
#include "absl/strings/str_cat.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

TensorValue* Self(OpCall& c) { return c.Tensor("input") ? c.Tensor("input") : c.Tensor("self"); }

Finding DimOutOfRange(OpCall& c, int64_t dim, size_t rank, const std::string& shape) {
  int64_t r = std::max<int64_t>(static_cast<int64_t>(rank), 1);
  Finding f = ShapeMismatch(c, "dim", 0, dim, "dimension out of range for shape " + shape);
  f.expected = absl::StrCat("a dim in [", -r, ", ", r - 1, "]");
  return f;
}

// Swap: swapaxes(axis0, axis1) / swapdims(dim0, dim1).
template <bool kAxes>
ValuePtr Swap(OpCall& c) {
  TensorValue* x = Self(c);
  auto a0 = c.Int(kAxes ? "axis0" : "dim0"), a1 = c.Int(kAxes ? "axis1" : "dim1");
  if (!x || !x->rank_known || !a0 || !a1) return c.Finish(UnknownTensor());
  size_t rank = std::max<size_t>(x->dims.size(), 1);
  auto a = ops::NormalizeDim(*a0, rank), b = ops::NormalizeDim(*a1, rank);
  if (!a || !b) return c.Fail(DimOutOfRange(c, !a ? *a0 : *a1, x->dims.size(), x->ShapeString()));
  std::vector<Dim> out = x->dims;
  if (!out.empty()) std::swap(out[*a], out[*b]);
  return c.Finish(MakeTensor(out, x->dtype));
}

ValuePtr MoveDim(OpCall& c) {
  TensorValue* x = Self(c);
  auto src = c.Ints("source"), dst = c.Ints("destination");
  if (!x || !x->rank_known || !src || !dst) return c.Finish(UnknownTensor());
  size_t rank = x->dims.size();
  if (src->size() != dst->size()) {
    return c.Fail(ShapeMismatch(c, "number of destination dims", static_cast<int64_t>(src->size()),
                                static_cast<int64_t>(dst->size()),
                                "movedim: source and destination must have the same number of dims"));
  }
  std::vector<int> target(rank, -1);  // output position -> input dim
  std::vector<bool> moved(rank, false);
  for (size_t i = 0; i < src->size(); ++i) {
    if (!(*src)[i].is_const() || !(*dst)[i].is_const()) return c.Finish(UnknownTensor());
    auto s = ops::NormalizeDim((*src)[i].value(), std::max<size_t>(rank, 1));
    auto d = ops::NormalizeDim((*dst)[i].value(), std::max<size_t>(rank, 1));
    if (!s) return c.Fail(DimOutOfRange(c, (*src)[i].value(), rank, x->ShapeString()));
    if (!d) return c.Fail(DimOutOfRange(c, (*dst)[i].value(), rank, x->ShapeString()));
    if (rank == 0) continue;
    if (moved[*s] || target[*d] >= 0) {
      Finding f = ShapeMismatch(c, "dim", 0, 0, "movedim: repeated dim in source or destination");
      f.expected = "distinct dims";
      f.actual = "a repeated dim";
      return c.Fail(std::move(f));
    }
    moved[*s] = true;
    target[*d] = static_cast<int>(*s);
  }
  size_t next = 0;
  for (size_t pos = 0; pos < rank; ++pos) {
    if (target[pos] >= 0) continue;
    while (next < rank && moved[next]) ++next;
    target[pos] = static_cast<int>(next++);
  }
  std::vector<Dim> out;
  for (size_t pos = 0; pos < rank; ++pos) out.push_back(x->dims[target[pos]]);
  return c.Finish(MakeTensor(out, x->dtype));
}

}  // namespace

void RegisterTorchMoveAxes(OpRegistry& r) {
  AddFunctionAndMethod(r, "swapaxes", "axis0, axis1", Swap<true>);
  AddFunctionAndMethod(r, "swapdims", "dim0, dim1", Swap<false>);
  for (const char* n : {"movedim", "moveaxis"}) {
    r.AddOp({std::string("torch.") + n, "input: Tensor, source, destination", MoveDim});
    r.AddOp({std::string("torch.Tensor.") + n, "self: Tensor, source, destination", MoveDim});
  }
}

}  // namespace shapelint::rules
