// tensor_view.cc: ops that rearrange a tensor without computing: view,
// reshape, flatten (and nn.Flatten), size/dim/numel (not recorded: they
// return ints), unsqueeze, squeeze, permute, transpose, indexing.
#include "absl/strings/str_cat.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

using interp::As;
using interp::Is;
using interp::ValueKind;

// SizeArgs: `*size` of view/reshape: either ints or one sequence of ints.
std::optional<std::vector<ValuePtr>> SizeArgs(const ValuePtr& packed) {
  if (!interp::IsSeq(packed)) return std::nullopt;
  auto items = As<interp::SeqValue>(packed)->items;
  if (items.size() == 1 && interp::IsSeq(items[0])) items = As<interp::SeqValue>(items[0])->items;
  return items;
}

Finding ViewMismatch(OpCall& c, const std::string& expected, const std::string& actual, const std::string& detail) {
  Finding f;
  f.kind = FindingKind::kViewSizeMismatch;
  f.subject = c.spec().name.substr(c.spec().name.rfind('.') + 1);
  f.expected = expected;
  f.actual = actual;
  f.detail = detail;
  return f;
}

// Reshape: shared by view and reshape. `param` names the size parameter.
ValuePtr Reshape(OpCall& c, const char* self_name, const char* param) {
  TensorValue* x = c.Tensor(self_name);
  auto items = SizeArgs(c.Get(param));
  if (items) {
    std::vector<ValuePtr> list(items->begin(), items->end());
    c.SetAttribute(param, interp::MakeList(list));
  }
  const auto* xd = DimsOf(x);
  if (!xd || !items) return c.Finish(UnknownTensor());
  std::vector<Dim> dims;
  int infer = -1;
  for (size_t i = 0; i < items->size(); ++i) {
    auto d = interp::AsDim((*items)[i]);
    if (!d) return c.Finish(interp::MakeUnknownRankTensor(x->dtype));
    if (d->is_const() && d->value() == -1) {
      if (infer >= 0) {
        return c.Fail(ViewMismatch(c, "at most one -1", "two", "only one dimension can be inferred"));
      }
      infer = static_cast<int>(i);
      dims.push_back(1);
      continue;
    }
    dims.push_back(*d);
  }
  Dim numel = ops::Numel(*xd);
  Dim known = ops::Numel(dims);
  std::string shape_in = ops::ShapeString(*xd);
  if (infer < 0) {
    if (CheckEqual(c, "element count", known, numel) == interp::Tri::kFalse) {
      return c.Fail(ViewMismatch(c, known.ToString(), numel.ToString(),
                                 absl::StrCat("shape [", ops::ShapeString(dims), "] is invalid for input of shape ",
                                              shape_in)));
    }
    return c.Finish(MakeTensor(dims, x->dtype));
  }
  if (known.is_const() && known.value() == 0) {
    return c.Fail(ViewMismatch(c, "a nonzero size", "0", "cannot infer -1 with a zero-size dimension"));
  }
  if (auto q = Dim::DivExact(numel, known)) {
    dims[infer] = *q;
  } else if (numel.is_const() && known.is_const()) {
    dims[infer] = -1;
    return c.Fail(ViewMismatch(c, absl::StrCat("a multiple of ", known.ToString()), numel.ToString(),
                               absl::StrCat("shape [", ops::ShapeString(dims), "] is invalid for input of shape ",
                                            shape_in, " (", numel.ToString(), " elements)")));
  } else {
    CheckMultiple(c, "element count", known, numel);
    dims[infer] = FreshDim();
  }
  return c.Finish(MakeTensor(dims, x->dtype));
}

ValuePtr View(OpCall& c) { return Reshape(c, "self", "size"); }
ValuePtr TensorReshape(OpCall& c) { return Reshape(c, "self", "shape"); }
ValuePtr TorchReshape(OpCall& c) { return Reshape(c, "input", "shape"); }

ValuePtr FlattenImpl(OpCall& c, const char* self_name) {
  TensorValue* x = c.Tensor(self_name);
  const auto* xd = DimsOf(x);
  auto start = c.Int("start_dim"), end = c.Int("end_dim");
  if (!xd || !start || !end) return c.Finish(UnknownTensor());
  if (xd->empty()) return c.Finish(MakeTensor({1}, x->dtype));
  auto s = ops::NormalizeDim(*start, xd->size()), e = ops::NormalizeDim(*end, xd->size());
  if (!s || !e || *s > *e) {
    return c.Fail(ShapeMismatch(c, "start_dim/end_dim", static_cast<int64_t>(xd->size()), *start,
                                "dimension out of range for input shape " + ops::ShapeString(*xd)));
  }
  std::vector<Dim> out(xd->begin(), xd->begin() + *s);
  out.push_back(ops::Numel(*xd, *s, *e + 1));
  out.insert(out.end(), xd->begin() + *e + 1, xd->end());
  return c.Finish(MakeTensor(out, x->dtype));
}
ValuePtr TensorFlatten(OpCall& c) { return FlattenImpl(c, "self"); }
ValuePtr TorchFlatten(OpCall& c) { return FlattenImpl(c, "input"); }

ValuePtr Size(OpCall& c) {
  TensorValue* x = c.Tensor("self");
  if (!x || !x->rank_known) return interp::MakeUnknown("size()");
  if (c.IsNone("dim")) {
    std::vector<ValuePtr> dims;
    for (const auto& d : x->dims) dims.push_back(interp::MakeInt(d));
    return interp::MakeTuple(std::move(dims));
  }
  auto dim = c.Int("dim");
  if (!dim) return interp::MakeUnknown("size(dim)");
  auto n = ops::NormalizeDim(*dim, x->dims.size());
  if (!n) {
    return c.Fail(ShapeMismatch(c, "dim", static_cast<int64_t>(x->dims.size()), *dim,
                                "dimension out of range for shape " + x->ShapeString()));
  }
  return interp::MakeInt(x->dims[*n]);
}

ValuePtr DimOp(OpCall& c) {
  TensorValue* x = c.Tensor("self");
  if (!x || !x->rank_known) return interp::MakeUnknown("dim()");
  return interp::MakeInt(static_cast<int64_t>(x->dims.size()));
}

ValuePtr Numel(OpCall& c) {
  const auto* xd = DimsOf(c.Tensor("self"));
  if (!xd) return interp::MakeUnknown("numel()");
  return interp::MakeInt(ops::Numel(*xd));
}

ValuePtr Unsqueeze(OpCall& c) {
  TensorValue* x = c.Tensor("self") ? c.Tensor("self") : c.Tensor("input");
  const auto* xd = DimsOf(x);
  auto dim = c.Int("dim");
  if (!xd || !dim) return c.Finish(UnknownTensor());
  auto n = ops::NormalizeDim(*dim, xd->size() + 1);
  if (!n) {
    return c.Fail(ShapeMismatch(c, "dim", static_cast<int64_t>(xd->size() + 1), *dim,
                                "dimension out of range for shape " + ops::ShapeString(*xd)));
  }
  std::vector<Dim> out = *xd;
  out.insert(out.begin() + *n, 1);
  return c.Finish(MakeTensor(out, x->dtype));
}

ValuePtr Squeeze(OpCall& c) {
  TensorValue* x = c.Tensor("self") ? c.Tensor("self") : c.Tensor("input");
  const auto* xd = DimsOf(x);
  if (!xd) return c.Finish(UnknownTensor());
  std::vector<Dim> out;
  if (c.IsNone("dim")) {
    c.DropAttribute("dim");
    for (const auto& d : *xd) {
      if (d.is_const() && d.value() == 1) continue;
      if (!d.is_const()) return c.Finish(interp::MakeUnknownRankTensor(x->dtype));
      out.push_back(d);
    }
    return c.Finish(MakeTensor(out, x->dtype));
  }
  auto dim = c.Int("dim");
  auto n = dim ? ops::NormalizeDim(*dim, xd->size()) : std::nullopt;
  if (!n) return c.Finish(UnknownTensor());
  out = *xd;
  const Dim& d = (*xd)[*n];
  if (d.is_const() && d.value() == 1) out.erase(out.begin() + *n);
  else if (!d.is_const()) return c.Finish(interp::MakeUnknownRankTensor(x->dtype));
  return c.Finish(MakeTensor(out, x->dtype));
}

ValuePtr Permute(OpCall& c) {
  TensorValue* x = c.Tensor("self") ? c.Tensor("self") : c.Tensor("input");
  auto items = SizeArgs(c.Get("dims"));
  if (items) c.SetAttribute("dims", interp::MakeList(*items));
  const auto* xd = DimsOf(x);
  if (!xd || !items) return c.Finish(UnknownTensor());
  if (items->size() != xd->size()) {
    return c.Fail(ShapeMismatch(c, "number of dims", static_cast<int64_t>(xd->size()),
                                static_cast<int64_t>(items->size()),
                                "permute of a tensor of shape " + ops::ShapeString(*xd)));
  }
  std::vector<Dim> out;
  for (const auto& v : *items) {
    auto d = interp::AsInt(v);
    auto n = d ? ops::NormalizeDim(*d, xd->size()) : std::nullopt;
    if (!n) return c.Finish(UnknownTensor());
    out.push_back((*xd)[*n]);
  }
  return c.Finish(MakeTensor(out, x->dtype));
}

ValuePtr Transpose(OpCall& c) {
  TensorValue* x = c.Tensor("self") ? c.Tensor("self") : c.Tensor("input");
  const auto* xd = DimsOf(x);
  auto d0 = c.Int("dim0"), d1 = c.Int("dim1");
  if (!xd || !d0 || !d1) return c.Finish(UnknownTensor());
  auto a = ops::NormalizeDim(*d0, xd->size()), b = ops::NormalizeDim(*d1, xd->size());
  if (!a || !b) {
    return c.Fail(ShapeMismatch(c, "dim", static_cast<int64_t>(xd->size()), !a ? *d0 : *d1,
                                "dimension out of range for shape " + ops::ShapeString(*xd)));
  }
  std::vector<Dim> out = *xd;
  std::swap(out[*a], out[*b]);
  return c.Finish(MakeTensor(out, x->dtype));
}

ValuePtr TransposeT(OpCall& c) {
  TensorValue* x = c.Tensor("self");
  const auto* xd = DimsOf(x);
  if (!xd) return c.Finish(UnknownTensor());
  std::vector<Dim> out = *xd;
  if (out.size() == 2) std::swap(out[0], out[1]);
  return c.Finish(MakeTensor(out, x->dtype));
}

// SliceLength: how many indices a Python slice selects from a dimension of
// size n; exact for constant n, and for the common symbolic forms (`a:`,
// `:b`, `a:b` with a step of 1, assuming the bounds fit).
Dim SliceLength(const interp::SliceValue& s, const Dim& n) {
  auto get = [](const ValuePtr& v, std::optional<int64_t>* out) {
    if (Is(v, ValueKind::kNone)) return true;
    *out = interp::AsInt(v);
    return out->has_value();
  };
  std::optional<int64_t> lo, hi, step;
  if (!get(s.lower, &lo) || !get(s.upper, &hi) || !get(s.step, &step)) return FreshDim();
  int64_t st = step.value_or(1);
  if (st == 0) return FreshDim();
  if (n.is_const()) {
    int64_t len = n.value();
    auto norm = [&](std::optional<int64_t> v, int64_t dflt, bool upper) -> int64_t {
      if (!v) return dflt;
      int64_t i = *v < 0 ? *v + len : *v;
      if (st > 0) return std::clamp<int64_t>(i, 0, len);
      return std::clamp<int64_t>(i, -1, len - 1) + (upper ? 0 : 0);
    };
    int64_t a = norm(lo, st > 0 ? 0 : len - 1, false);
    int64_t b = norm(hi, st > 0 ? len : -1, true);
    if (st > 0) return b > a ? (b - a + st - 1) / st : 0;
    return a > b ? (a - b - st - 1) / (-st) : 0;
  }
  if (st != 1) return FreshDim();
  if (!hi && lo && *lo >= 0) return n - *lo;
  if (!hi && lo && *lo < 0) return -*lo;
  if (!lo && hi && *hi >= 0) return *hi;
  if (!lo && hi && *hi < 0) return n + *hi;
  if (lo && hi && *lo >= 0 && *hi >= *lo) return *hi - *lo;
  return FreshDim();
}

// GetItem: basic indexing (ints, slices, None, Ellipsis). torch 1.13's
// function mode only sees tuple/list keys, so a single key is not recorded.
ValuePtr GetItem(OpCall& c) {
  TensorValue* x = c.Tensor("self");
  ValuePtr key = c.Get("index");
  bool tuple_key = interp::IsSeq(key);
  if (!tuple_key) c.SkipRecord();
  const auto* xd = DimsOf(x);
  if (!xd) return c.Finish(UnknownTensor());
  ValuePtr tensor_key = Is(key, ValueKind::kTensor) ? key : nullptr;
  if (tuple_key && As<interp::SeqValue>(key)->items.size() == 1 &&
      Is(As<interp::SeqValue>(key)->items[0], ValueKind::kTensor)) {
    tensor_key = As<interp::SeqValue>(key)->items[0];  // x[[t]]
  }
  if (tensor_key) {
    // x[index]: an integer index tensor picks along dim 0 (a bool mask's
    // result size depends on the values).
    auto* idx = As<TensorValue>(tensor_key);
    if (!idx->rank_known || !IsIntegerDType(idx->dtype) || idx->dtype == interp::DType::kBool ||
        idx->dtype == interp::DType::kUInt8 || xd->empty())
      return c.Finish(interp::MakeUnknownRankTensor(x->dtype));
    std::vector<Dim> out = idx->dims;
    out.insert(out.end(), xd->begin() + 1, xd->end());
    return c.Finish(MakeTensor(out, x->dtype));
  }
  std::vector<ValuePtr> keys = tuple_key ? As<interp::SeqValue>(key)->items : std::vector<ValuePtr>{key};
  size_t consumed = 0;
  for (const auto& k : keys) {
    if (!Is(k, ValueKind::kNone) && k != interp::EllipsisValue()) ++consumed;
  }
  std::vector<Dim> out;
  size_t in = 0;
  for (const auto& k : keys) {
    if (k == interp::EllipsisValue()) {
      size_t keep = xd->size() >= consumed ? xd->size() - consumed : 0;
      for (size_t i = 0; i < keep && in < xd->size(); ++i) out.push_back((*xd)[in++]);
      continue;
    }
    if (Is(k, ValueKind::kNone)) {
      out.push_back(1);
      continue;
    }
    if (in >= xd->size()) return c.Finish(UnknownTensor());
    if (interp::AsInt(k) || Is(k, ValueKind::kInt)) {
      ++in;  // an integer index drops the dimension
      continue;
    }
    if (Is(k, ValueKind::kSlice)) {
      out.push_back(SliceLength(*As<interp::SliceValue>(k), (*xd)[in++]));
      continue;
    }
    return c.Finish(interp::MakeUnknownRankTensor(x->dtype));  // advanced indexing
  }
  for (; in < xd->size(); ++in) out.push_back((*xd)[in]);
  return c.Finish(MakeTensor(out, x->dtype));
}

void FlattenInit(LayerInit& l) {
  l.Keep("start_dim");
  l.Keep("end_dim");
}
ValuePtr FlattenForward(LayerCall& l) {
  ValuePtr input = l.Get("input");
  ValuePtr method = l.in().GetAttr(input, "flatten", l.in().CallSite());
  interp::Args args;
  args.positional = {l.Attr("start_dim"), l.Attr("end_dim")};
  return l.in().Call(method, std::move(args), l.in().CallSite());
}

}  // namespace

void RegisterTorchTensorView(OpRegistry& r) {
  r.AddOp({"torch.Tensor.view", "self: Tensor, *size", View});
  r.AddOp({"torch.Tensor.reshape", "self: Tensor, *shape", TensorReshape});
  r.AddOp({"torch.reshape", "input: Tensor, shape", TorchReshape});
  r.AddOp({"torch.Tensor.flatten", "self: Tensor, start_dim=0, end_dim=-1", TensorFlatten});
  r.AddOp({"torch.flatten", "input: Tensor, start_dim=0, end_dim=-1", TorchFlatten});
  r.AddOp({"torch.Tensor.size", "self: Tensor, dim=None", Size, /*record=*/false});
  r.AddOp({"torch.Tensor.dim", "self: Tensor", DimOp, false});
  r.AddOp({"torch.Tensor.numel", "self: Tensor", Numel, false});
  r.AddOp({"torch.Tensor.unsqueeze", "self: Tensor, dim", Unsqueeze});
  r.AddOp({"torch.unsqueeze", "input: Tensor, dim", Unsqueeze});
  r.AddOp({"torch.Tensor.squeeze", "self: Tensor, dim=None", Squeeze});
  r.AddOp({"torch.squeeze", "input: Tensor, dim=None", Squeeze});
  r.AddOp({"torch.Tensor.permute", "self: Tensor, *dims", Permute});
  r.AddOp({"torch.permute", "input: Tensor, dims", Permute});
  r.AddOp({"torch.Tensor.transpose", "self: Tensor, dim0, dim1", Transpose});
  r.AddOp({"torch.transpose", "input: Tensor, dim0, dim1", Transpose});
  r.AddOp({"torch.Tensor.t", "self: Tensor", TransposeT});
  r.AddOp({"torch.Tensor.__getitem__", "self: Tensor, index", GetItem});
  r.AddLayer({"torch.nn.Flatten", "start_dim=1, end_dim=-1", FlattenInit, FlattenForward});
}

}  // namespace shapelint::rules
