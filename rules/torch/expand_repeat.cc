// expand_repeat.cc: ops that take their shape from sizes or another tensor:
// Tensor.expand / expand_as (broadcast size-1 dims), Tensor.repeat (tile),
// torch.roll / Tensor.roll (same shape), Tensor.view_as / reshape_as.
// expand and repeat take `*size` varargs that torch records as one list.
#include "absl/strings/str_cat.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

using interp::As;
using interp::Tri;

// SizeArgs: `*size`: ints, or one sequence of ints (torch.Size included).
std::optional<std::vector<ValuePtr>> SizeArgs(const ValuePtr& packed) {
  if (!interp::IsSeq(packed)) return std::nullopt;
  auto items = As<interp::SeqValue>(packed)->items;
  if (items.size() == 1 && interp::IsSeq(items[0])) items = As<interp::SeqValue>(items[0])->items;
  return items;
}

// ExpandTo: the shape of expanding `xd` to `target` (-1 keeps a dim).
ValuePtr ExpandTo(OpCall& c, const TensorValue& x, const std::vector<std::optional<Dim>>& target) {
  const auto& xd = x.dims;
  if (target.size() < xd.size()) {
    return c.Fail(ShapeMismatch(c, "number of sizes", static_cast<int64_t>(xd.size()),
                                static_cast<int64_t>(target.size()),
                                absl::StrCat("the number of sizes provided (", target.size(),
                                             ") must be greater or equal to the number of dimensions in the tensor (",
                                             xd.size(), "); shape ", x.ShapeString())));
  }
  size_t lead = target.size() - xd.size();
  // torch checks from the last dim backwards.
  std::vector<Dim> out(target.size(), 0);
  for (size_t i = target.size(); i-- > 0;) {
    if (!target[i]) {
      out[i] = FreshDim();
      continue;
    }
    const Dim& t = *target[i];
    bool keep = t.is_const() && t.value() == -1;
    if (i < lead) {
      if (keep) {
        return c.Fail(ShapeMismatch(c, "size", 0, -1,
                                    absl::StrCat("the expanded size -1 is not allowed in a leading, non-existing "
                                                 "dimension ",
                                                 i)));
      }
      out[i] = t;
      continue;
    }
    const Dim& have = xd[i - lead];
    if (keep) {
      out[i] = have;
      continue;
    }
    if (Dim::Equal(have, t) == Tri::kFalse && Dim::Equal(have, 1) == Tri::kFalse) {
      return c.Fail(ShapeMismatch(
          c, "size", have, t,
          absl::StrCat("the expanded size of the tensor (", t.ToString(), ") must match the existing size (",
                       have.ToString(), ") at non-singleton dimension ", i, "; shape ", x.ShapeString())));
    }
    out[i] = t;
  }
  return c.Finish(MakeTensor(out, x.dtype));
}

ValuePtr Expand(OpCall& c) {
  TensorValue* x = c.Tensor("self");
  auto items = SizeArgs(c.Get("size"));
  if (items) c.SetAttribute("size", interp::MakeList(*items));
  if (!x || !x->rank_known || !items) return c.Finish(UnknownTensor());
  std::vector<std::optional<Dim>> target;
  for (const auto& v : *items) target.push_back(interp::AsDim(v));
  return ExpandTo(c, *x, target);
}

ValuePtr ExpandAs(OpCall& c) {
  TensorValue* x = c.Tensor("self");
  const auto* od = DimsOf(c.Tensor("other"));
  if (!x || !x->rank_known || !od) return c.Finish(UnknownTensor());
  std::vector<std::optional<Dim>> target(od->begin(), od->end());
  return ExpandTo(c, *x, target);
}

ValuePtr Repeat(OpCall& c) {
  TensorValue* x = c.Tensor("self");
  auto items = SizeArgs(c.Get("repeats"));
  if (items) c.SetAttribute("repeats", interp::MakeList(*items));
  if (!x || !x->rank_known || !items) return c.Finish(UnknownTensor());
  if (items->size() < x->dims.size()) {
    return c.Fail(ShapeMismatch(c, "number of repeats", static_cast<int64_t>(x->dims.size()),
                                static_cast<int64_t>(items->size()),
                                "number of dimensions of repeat dims can not be smaller than number of dimensions "
                                "of tensor " +
                                    x->ShapeString()));
  }
  size_t lead = items->size() - x->dims.size();
  std::vector<Dim> out;
  for (size_t i = 0; i < items->size(); ++i) {
    auto r = interp::AsDim((*items)[i]);
    Dim have = i < lead ? Dim(1) : x->dims[i - lead];
    out.push_back(r ? have * *r : FreshDim());
  }
  return c.Finish(MakeTensor(out, x->dtype));
}

ValuePtr Roll(OpCall& c) {
  TensorValue* x = c.Tensor("input") ? c.Tensor("input") : c.Tensor("self");
  if (!x) return c.Finish(UnknownTensor());
  auto shifts = c.Ints("shifts"), dims = c.Ints("dims");
  if (shifts && dims && !dims->empty() && shifts->size() != dims->size()) {
    return c.Fail(ShapeMismatch(c, "number of shifts", static_cast<int64_t>(dims->size()),
                                static_cast<int64_t>(shifts->size()),
                                absl::StrCat("shifts and dimensions must align: shifts ", ops::ShapeString(*shifts),
                                             ", dims ", ops::ShapeString(*dims))));
  }
  return c.Finish(SameAs(*x));
}

// ViewAs: view_as / reshape_as: other's shape; the element counts must agree.
ValuePtr ViewAs(OpCall& c) {
  TensorValue* x = c.Tensor("self");
  const auto* od = DimsOf(c.Tensor("other"));
  if (!x || !od) return c.Finish(UnknownTensor());
  if (x->rank_known) {
    Dim have = ops::Numel(x->dims), want = ops::Numel(*od);
    if (Dim::Equal(have, want) == Tri::kFalse) {
      Finding f;
      f.kind = FindingKind::kViewSizeMismatch;
      f.subject = c.spec().name.substr(c.spec().name.rfind('.') + 1);
      f.expected = want.ToString();
      f.actual = have.ToString();
      f.detail = absl::StrCat("shape [", ops::ShapeString(*od), "] is invalid for input of shape ", x->ShapeString());
      return c.Fail(std::move(f));
    }
  }
  return c.Finish(MakeTensor(*od, x->dtype));
}

}  // namespace

void RegisterTorchExpandRepeat(OpRegistry& r) {
  r.AddOp({"torch.Tensor.expand", "self: Tensor, *size, implicit=False", Expand});
  r.AddOp({"torch.Tensor.expand_as", "self: Tensor, other: Tensor", ExpandAs});
  r.AddOp({"torch.Tensor.repeat", "self: Tensor, *repeats", Repeat});
  AddFunctionAndMethod(r, "roll", "shifts, dims=[]", Roll);
  r.AddOp({"torch.Tensor.view_as", "self: Tensor, other: Tensor", ViewAs});
  r.AddOp({"torch.Tensor.reshape_as", "self: Tensor, other: Tensor", ViewAs});
}

}  // namespace shapelint::rules
