// flip_tri_unflatten.cc: shape-keeping rearrangements and masks (flip,
// fliplr, flipud, tril, triu and their in-place forms) and unflatten
// (Tensor.unflatten, torch.unflatten, nn.Unflatten), with the errors torch
// 1.13 raises for them.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

using interp::As;

// ShortName: "torch.Tensor.tril_" -> "tril_".
std::string ShortName(const OpCall& c) { return c.spec().name.substr(c.spec().name.rfind('.') + 1); }

// WrapDim: torch's maybe_wrap_dim; a 0-d tensor takes dims -1 and 0 when
// `wrap_scalar` (flip), none otherwise (unflatten).
std::optional<size_t> WrapDim(int64_t dim, size_t rank, bool wrap_scalar) {
  if (rank == 0) {
    if (!wrap_scalar) return std::nullopt;
    return dim == 0 || dim == -1 ? std::optional<size_t>(0) : std::nullopt;
  }
  return ops::NormalizeDim(dim, rank);
}

// Described: "input shape 4x6", or "the input is a 0-d tensor".
std::string Described(const std::vector<Dim>& dims) {
  return dims.empty() ? "the input is a 0-d tensor" : "input shape " + ops::ShapeString(dims);
}

// DimOutOfRange: torch's IndexError "Dimension out of range (expected to be
// in range of [-r, r-1], but got d)".
ValuePtr DimOutOfRange(OpCall& c, int64_t dim, const std::vector<Dim>& dims) {
  int64_t r = std::max<int64_t>(static_cast<int64_t>(dims.size()), 1);
  Finding f = ShapeMismatch(c, ShortName(c) + " dim", r, dim, "dimension out of range; " + Described(dims));
  f.expected = absl::StrCat("a dim in [", -r, ", ", r - 1, "]");
  return c.Fail(std::move(f));
}

// RankBelow: an op that needs at least `min_rank` dims got fewer.
ValuePtr RankBelow(OpCall& c, size_t min_rank, const std::vector<Dim>& dims) {
  Finding f = ShapeMismatch(c, ShortName(c) + " input rank", static_cast<int64_t>(min_rank),
                            static_cast<int64_t>(dims.size()), Described(dims));
  f.expected = absl::StrCat("at least ", min_rank);
  return c.Fail(std::move(f));
}

// IntItems: `*dims` of Tensor.flip (ints or one sequence) or `dims` of
// torch.flip (one sequence), as ints; nullopt when one is not known.
std::optional<std::vector<int64_t>> IntItems(const ValuePtr& packed, std::vector<ValuePtr>* values) {
  if (!interp::IsSeq(packed)) return std::nullopt;
  auto items = As<interp::SeqValue>(packed)->items;
  if (items.size() == 1 && interp::IsSeq(items[0])) items = As<interp::SeqValue>(items[0])->items;
  *values = items;
  std::vector<int64_t> out;
  for (const auto& v : items) {
    auto i = interp::AsInt(v);
    if (!i) return std::nullopt;
    out.push_back(*i);
  }
  return out;
}

// Flip: same shape; every dim in range, none twice.
ValuePtr Flip(OpCall& c) {
  TensorValue* x = SelfOrInput(c);
  std::vector<ValuePtr> values;
  auto dims = IntItems(c.Get("dims"), &values);
  if (interp::IsSeq(c.Get("dims"))) c.SetAttribute("dims", interp::MakeList(values));
  const auto* xd = DimsOf(x);
  if (!xd || !dims) return c.Finish(x ? SameAs(*x) : UnknownTensor());
  std::vector<bool> seen(std::max<size_t>(xd->size(), 1), false);
  for (int64_t d : *dims) {
    auto n = WrapDim(d, xd->size(), /*wrap_scalar=*/true);
    if (!n) return DimOutOfRange(c, d, *xd);
    if (seen[*n]) {
      Finding f = ShapeMismatch(c, "flip dims", 0, 0,
                                absl::StrCat("dim ", *n, " appears multiple times in the list of dims"));
      f.expected = "distinct dims";
      f.actual = absl::StrCat("[", absl::StrJoin(*dims, ", "), "]");
      return c.Fail(std::move(f));
    }
    seen[*n] = true;
  }
  return c.Finish(SameAs(*x));
}

// FlipLrUd: fliplr needs >= 2 dims, flipud >= 1.
template <size_t kMinRank>
ValuePtr FlipLrUd(OpCall& c) {
  TensorValue* x = SelfOrInput(c);
  const auto* xd = DimsOf(x);
  if (!xd) return c.Finish(x ? SameAs(*x) : UnknownTensor());
  if (xd->size() < kMinRank) return RankBelow(c, kMinRank, *xd);
  return c.Finish(SameAs(*x));
}

// Tri: tril/triu (and tril_/triu_) keep the shape of a matrix or a batch of
// matrices; fewer than 2 dims is torch's "Dimension out of range".
ValuePtr Tri(OpCall& c) {
  TensorValue* x = SelfOrInput(c);
  const auto* xd = DimsOf(x);
  if (!xd) return c.Finish(x ? SameAs(*x) : UnknownTensor());
  if (xd->size() < 2) return RankBelow(c, 2, *xd);
  return c.Finish(SameAs(*x));
}

Finding UnflattenMismatch(OpCall& c, const std::string& expected, const std::string& actual,
                          const std::string& detail) {
  Finding f;
  f.kind = FindingKind::kViewSizeMismatch;
  f.subject = "unflatten";
  f.expected = expected;
  f.actual = actual;
  f.detail = detail;
  f.def_span = DefSpanOfCurrentLayer(c);  // nn.Unflatten's construction
  return f;
}

// BadSizes: a `sizes` argument torch rejects before counting elements.
Finding BadSizes(OpCall& c, const std::string& expected, const std::string& actual, const std::string& detail) {
  Finding f = ShapeMismatch(c, "unflatten sizes", 0, 0, detail);
  f.expected = expected;
  f.actual = actual;
  return f;
}

// Unflatten: dim `dim` of size S becomes `sizes` (one -1 inferred); their
// product must be S (at::infer_size, as view).
ValuePtr Unflatten(OpCall& c) {
  TensorValue* x = SelfOrInput(c);
  ValuePtr sizes_v = c.Get("sizes");
  if (interp::IsSeq(sizes_v)) c.SetAttribute("sizes", interp::MakeList(As<interp::SeqValue>(sizes_v)->items));
  const auto* xd = DimsOf(x);
  auto dim = c.Int("dim");
  if (!xd || !dim || !interp::IsSeq(sizes_v)) return c.Finish(UnknownTensor());
  const auto& items = As<interp::SeqValue>(sizes_v)->items;
  std::string shape_in = ops::ShapeString(*xd);
  if (items.empty()) return c.Fail(BadSizes(c, "a non-empty list", "[]", ""));
  if (xd->empty()) return RankBelow(c, 1, *xd);
  auto n = WrapDim(*dim, xd->size(), /*wrap_scalar=*/false);
  if (!n) return DimOutOfRange(c, *dim, *xd);
  const Dim& size = (*xd)[*n];
  std::vector<Dim> sizes;
  std::vector<std::string> spelled;
  int infer = -1;
  bool all_known = true;
  for (size_t i = 0; i < items.size(); ++i) {
    auto d = interp::AsDim(items[i]);
    if (!d) {
      all_known = false;
      sizes.push_back(FreshDim());
      spelled.push_back("?");
      continue;
    }
    spelled.push_back(d->ToString());
    if (d->is_const() && d->value() == -1) {
      if (infer >= 0) {
        return c.Fail(UnflattenMismatch(c, "at most one -1", "two", "only one dimension can be inferred"));
      }
      infer = static_cast<int>(i);
      sizes.push_back(1);
      continue;
    }
    if (d->is_const() && d->value() < 0) {
      return c.Fail(BadSizes(c, "sizes >= 0 or -1", d->ToString(), absl::StrCat("invalid shape dimension ", d->value())));
    }
    sizes.push_back(*d);
  }
  auto finish = [&](std::vector<Dim> mid) {
    std::vector<Dim> out(xd->begin(), xd->begin() + *n);
    out.insert(out.end(), mid.begin(), mid.end());
    out.insert(out.end(), xd->begin() + *n + 1, xd->end());
    return c.Finish(MakeTensor(out, x->dtype));
  };
  if (!all_known) {
    if (infer >= 0) sizes[infer] = FreshDim();
    return finish(sizes);
  }
  std::string what = absl::StrCat("sizes [", absl::StrJoin(spelled, ", "), "] don't multiply up to the size of dim ",
                                  *n, " (", size.ToString(), ") of input shape ", shape_in);
  Dim known = ops::Numel(sizes);
  if (infer < 0) {
    if (CheckEqual(c, "unflatten size", known, size) == interp::Tri::kFalse) {
      return c.Fail(UnflattenMismatch(c, known.ToString(), size.ToString(), what));
    }
    return finish(sizes);
  }
  if (known.is_const() && known.value() == 0) {
    return c.Fail(UnflattenMismatch(c, "a nonzero size", "0", "cannot infer -1 with a zero-size dimension"));
  }
  if (auto q = Dim::DivExact(size, known)) {
    sizes[infer] = *q;
  } else if (size.is_const() && known.is_const()) {
    return c.Fail(UnflattenMismatch(c, absl::StrCat("a multiple of ", known.ToString()), size.ToString(), what));
  } else {
    CheckMultiple(c, "unflatten size", known, size);
    sizes[infer] = FreshDim();
  }
  return finish(sizes);
}

void UnflattenInit(LayerInit& l) {
  l.Keep("dim");
  l.Keep("unflattened_size");
}

// nn.Unflatten.forward: `input.unflatten(self.dim, self.unflattened_size)`.
ValuePtr UnflattenForward(LayerCall& l) {
  ValuePtr input = l.Get("input");
  ValuePtr method = l.in().GetAttr(input, "unflatten", l.in().CallSite());
  interp::Args args;
  args.positional = {l.Attr("dim"), l.Attr("unflattened_size")};
  return l.in().Call(method, std::move(args), l.in().CallSite());
}

}  // namespace

void RegisterTorchFlipTriUnflatten(OpRegistry& r) {
  r.AddOp({"torch.flip", "input: Tensor, dims", Flip});
  r.AddOp({"torch.Tensor.flip", "self: Tensor, *dims", Flip});
  AddFunctionAndMethod(r, "fliplr", "", FlipLrUd<2>);
  AddFunctionAndMethod(r, "flipud", "", FlipLrUd<1>);
  AddFunctionAndMethod(r, "tril", "diagonal=0", Tri);
  AddFunctionAndMethod(r, "triu", "diagonal=0", Tri);
  r.AddOp({"torch.Tensor.tril_", "self: Tensor, diagonal=0", Tri});
  r.AddOp({"torch.Tensor.triu_", "self: Tensor, diagonal=0", Tri});
  AddFunctionAndMethod(r, "unflatten", "dim, sizes", Unflatten);
  r.AddLayer({"torch.nn.Unflatten", "dim, unflattened_size", UnflattenInit, UnflattenForward});
}

}  // namespace shapelint::rules
