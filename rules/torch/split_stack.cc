// split_stack.cc: stacking and splitting along a dim: torch.stack,
// torch.chunk / Tensor.chunk, torch.split / Tensor.split (a size or a list
// of sizes), torch.unbind / Tensor.unbind. The splits return tuples: the op
// records every piece (`outputs`).
//
// torch.meshgrid (a tuple of grids) lives here too.
//
// torch.split is a Python function (bound by its signature:
// split_size_or_sections); Tensor.split binds aten::split.Tensor /
// split.sizes (split_size).
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

using interp::As;
using interp::Is;
using interp::Tri;
using interp::ValueKind;

// DimOutOfRange: a `dim` argument outside [-rank, rank-1].
Finding DimOutOfRange(OpCall& c, int64_t dim, size_t rank, const std::string& shape) {
  int64_t r = std::max<int64_t>(static_cast<int64_t>(rank), 1);
  Finding f = ShapeMismatch(c, "dim", 0, dim, "dimension out of range for shape " + shape);
  f.expected = absl::StrCat("a dim in [", -r, ", ", r - 1, "]");
  return f;
}

TensorValue* Self(OpCall& c) {
  for (const char* n : {"input", "self", "tensor"})
    if (TensorValue* t = c.Tensor(n)) return t;
  return nullptr;
}

ValuePtr Stack(OpCall& c) {
  ValuePtr seq = c.Get("tensors");
  auto dim = c.Int("dim");
  if (!interp::IsSeq(seq) || !dim) return c.Finish(UnknownTensor());
  const auto& items = As<interp::SeqValue>(seq)->items;
  std::vector<const TensorValue*> ts;
  for (const auto& it : items) {
    if (!Is(it, ValueKind::kTensor) || !As<TensorValue>(it)->rank_known) return c.Finish(UnknownTensor());
    ts.push_back(As<TensorValue>(it));
  }
  if (ts.empty()) return c.Finish(UnknownTensor());
  size_t rank = ts[0]->dims.size();
  auto d = ops::NormalizeDim(*dim, rank + 1);
  if (!d) {
    return c.Fail(DimOutOfRange(c, *dim, rank + 1, ts[0]->ShapeString() + " (stacked: one more dim)"));
  }
  for (size_t i = 1; i < ts.size(); ++i) {
    bool differ = ts[i]->dims.size() != rank;
    for (size_t k = 0; !differ && k < rank; ++k) differ = Dim::Equal(ts[i]->dims[k], ts[0]->dims[k]) == Tri::kFalse;
    if (differ) {
      Finding f =
          ShapeMismatch(c, "size", 0, 0,
                        absl::StrCat("stack expects each tensor to be equal size, but got ", ts[0]->ShapeString(),
                                     " at entry 0 and ", ts[i]->ShapeString(), " at entry ", i));
      f.expected = ts[0]->ShapeString();
      f.actual = ts[i]->ShapeString();
      f.subject = c.spec().name;
      return c.Fail(std::move(f));
    }
  }
  std::vector<Dim> out = ts[0]->dims;
  out.insert(out.begin() + *d, static_cast<int64_t>(ts.size()));
  return c.Finish(MakeTensor(out, ts[0]->dtype));
}

// Pieces: a tuple of tensors, `sizes` along dim `d` of x.
ValuePtr Pieces(const TensorValue& x, size_t d, const std::vector<Dim>& sizes) {
  std::vector<ValuePtr> out;
  for (const Dim& s : sizes) {
    std::vector<Dim> dims = x.dims;
    dims[d] = s;
    out.push_back(MakeTensor(dims, x.dtype));
  }
  return interp::MakeTuple(std::move(out));
}

// EqualPieces: the sizes of splitting n into pieces of `each` (the last one
// smaller); nullopt when the count is not known.
std::optional<std::vector<Dim>> EqualPieces(const Dim& n, const Dim& each) {
  if (n.is_const() && each.is_const()) {
    if (each.value() <= 0) return std::nullopt;
    std::vector<Dim> out;
    for (int64_t left = n.value(); left > 0; left -= each.value()) out.push_back(std::min(left, each.value()));
    if (out.empty()) out.push_back(0);  // splitting an empty dim gives one empty piece
    return out;
  }
  if (auto k = Dim::DivExact(n, each); k && k->is_const() && k->value() > 0 && k->value() <= 4096) {
    return std::vector<Dim>(k->value(), each);
  }
  return std::nullopt;
}

std::optional<size_t> DimOf(OpCall& c, const TensorValue& x, bool* failed) {
  auto dim = c.Int("dim");
  if (!dim) return std::nullopt;
  auto d = ops::NormalizeDim(*dim, std::max<size_t>(x.dims.size(), 1));
  if (!d || x.dims.empty()) {
    c.Fail(DimOutOfRange(c, *dim, x.dims.size(), x.ShapeString()));
    *failed = true;
    return std::nullopt;
  }
  return d;
}

ValuePtr Chunk(OpCall& c) {
  TensorValue* x = Self(c);
  auto chunks = c.Int("chunks");
  if (!x || !x->rank_known || !chunks) return c.Finish(interp::MakeUnknown("chunk"));
  if (*chunks <= 0) {
    return c.Fail(ShapeMismatch(c, "chunks", 1, *chunks, "chunk expects `chunks` to be greater than 0"));
  }
  bool failed = false;
  auto d = DimOf(c, *x, &failed);
  if (failed) return interp::MakeUnknown("chunk");
  if (!d) return c.Finish(interp::MakeUnknown("chunk"));
  const Dim& n = x->dims[*d];
  std::optional<std::vector<Dim>> sizes;
  if (n.is_const()) {
    int64_t each = (n.value() + *chunks - 1) / *chunks;
    sizes = each == 0 ? std::vector<Dim>(*chunks, 0) : EqualPieces(n, each);
  } else if (auto each = Dim::DivExact(n, *chunks)) {
    sizes = std::vector<Dim>(*chunks, *each);
  }
  if (!sizes) return c.Finish(interp::MakeUnknown("chunk"));
  return c.Finish(Pieces(*x, *d, *sizes));
}

ValuePtr Split(OpCall& c, const char* param) {
  TensorValue* x = Self(c);
  ValuePtr split = c.Get(param);
  if (!x || !x->rank_known) return c.Finish(interp::MakeUnknown("split"));
  bool failed = false;
  auto d = DimOf(c, *x, &failed);
  if (failed) return interp::MakeUnknown("split");
  if (!d) return c.Finish(interp::MakeUnknown("split"));
  const Dim& n = x->dims[*d];
  if (interp::IsSeq(split)) {
    std::vector<Dim> sizes;
    Dim total = 0;
    for (const auto& v : As<interp::SeqValue>(split)->items) {
      auto s = interp::AsDim(v);
      if (!s) return c.Finish(interp::MakeUnknown("split"));
      sizes.push_back(*s);
      total = total + *s;
    }
    if (Dim::Equal(total, n) == Tri::kFalse) {
      return c.Fail(ShapeMismatch(
          c, "split sizes", n, total,
          absl::StrCat("split_with_sizes expects split_sizes to sum exactly to ", n.ToString(),
                       " (input tensor's size at dimension ", *d, "), but got split_sizes=[",
                       absl::StrJoin(sizes, ", ", [](std::string* o, const Dim& s) { o->append(s.ToString()); }),
                       "]")));
    }
    return c.Finish(Pieces(*x, *d, sizes));
  }
  auto each = interp::AsDim(split);
  if (!each) return c.Finish(interp::MakeUnknown("split"));
  auto sizes = EqualPieces(n, *each);
  if (!sizes) return c.Finish(interp::MakeUnknown("split"));
  return c.Finish(Pieces(*x, *d, *sizes));
}

ValuePtr TorchSplit(OpCall& c) { return Split(c, "split_size_or_sections"); }
ValuePtr TensorSplit(OpCall& c) { return Split(c, "split_size"); }

ValuePtr Unbind(OpCall& c) {
  TensorValue* x = Self(c);
  if (!x || !x->rank_known) return c.Finish(interp::MakeUnknown("unbind"));
  bool failed = false;
  auto d = DimOf(c, *x, &failed);
  if (failed) return interp::MakeUnknown("unbind");
  if (!d || !x->dims[*d].is_const() || x->dims[*d].value() > 4096) return c.Finish(interp::MakeUnknown("unbind"));
  std::vector<Dim> dims = x->dims;
  dims.erase(dims.begin() + *d);
  std::vector<ValuePtr> out;
  for (int64_t i = 0; i < x->dims[*d].value(); ++i) out.push_back(MakeTensor(dims, x->dtype));
  return c.Finish(interp::MakeTuple(std::move(out)));
}

// Meshgrid: torch.meshgrid(*tensors, indexing=None) (a Python function; the
// tensors may come as one list): N 0-d/1-d tensors give N tensors of shape
// (n0, n1, ...); indexing='xy' swaps the first two.
ValuePtr Meshgrid(OpCall& c) {
  ValuePtr packed = c.Get("tensors");
  if (!interp::IsSeq(packed)) return c.Finish(interp::MakeUnknown("meshgrid"));
  std::vector<ValuePtr> items = As<interp::SeqValue>(packed)->items;
  if (items.size() == 1 && interp::IsSeq(items[0])) items = As<interp::SeqValue>(items[0])->items;
  std::vector<Dim> shape;
  const TensorValue* first = nullptr;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!Is(items[i], ValueKind::kTensor)) return c.Finish(interp::MakeUnknown("meshgrid"));
    const auto* t = As<TensorValue>(items[i]);
    if (!t->rank_known) return c.Finish(interp::MakeUnknown("meshgrid"));
    if (t->dims.size() > 1) {
      return c.Fail(ShapeMismatch(
          c, "input rank", 1, static_cast<int64_t>(t->dims.size()),
          absl::StrCat("meshgrid expects 0D or 1D tensors, tensor ", i, " has shape ", t->ShapeString())));
    }
    shape.push_back(t->dims.empty() ? Dim(1) : t->dims[0]);
    if (!first) first = t;
  }
  if (!first) return c.Finish(interp::MakeUnknown("meshgrid"));
  const std::string* indexing = interp::AsStr(c.Get("indexing"));
  if (indexing && *indexing == "xy" && shape.size() >= 2) std::swap(shape[0], shape[1]);
  std::vector<ValuePtr> out;
  for (size_t i = 0; i < shape.size(); ++i) out.push_back(MakeTensor(shape, first->dtype));
  return c.Finish(interp::MakeTuple(std::move(out)));
}

}  // namespace

void RegisterTorchSplitStack(OpRegistry& r) {
  r.AddOp({"torch.meshgrid", "*tensors, indexing=None", Meshgrid});
  r.AddOp({"torch.stack", "tensors, dim=0", Stack});
  AddFunctionAndMethod(r, "chunk", "chunks, dim=0", Chunk);
  r.AddOp({"torch.split", "tensor: Tensor, split_size_or_sections, dim=0", TorchSplit});
  r.AddOp({"torch.Tensor.split", "self: Tensor, split_size, dim=0", TensorSplit});
  AddFunctionAndMethod(r, "unbind", "dim=0", Unbind);
}

}  // namespace shapelint::rules
