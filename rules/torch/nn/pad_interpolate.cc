// pad_interpolate.cc: F.pad (and the padding modules: ConstantPadNd,
// ZeroPad2d, ReflectionPadNd, ReplicationPadNd) and F.interpolate (and
// nn.Upsample, UpsamplingNearest2d, UpsamplingBilinear2d).
//
// F.pad is a builtin (aten::pad schema: value=None); `pad` lists (left, right)
// pairs from the last dim backwards. F.interpolate is a Python function:
// scale factors give floor(size * scale).
#include <cmath>

#include "absl/strings/str_cat.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

using interp::As;
using interp::Is;
using interp::ValueKind;

ValuePtr Pad(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  auto pad = c.Ints("pad");
  const std::string* mode = interp::AsStr(c.Get("mode"));
  if (!x || !x->rank_known || !pad || !mode) return c.Finish(UnknownTensor());
  size_t rank = x->dims.size();
  if (pad->size() % 2 != 0) {
    return c.Fail(ShapeMismatch(c, "pad length", static_cast<int64_t>(pad->size() + 1),
                                static_cast<int64_t>(pad->size()), "padding length must be divisible by 2"));
  }
  size_t n = pad->size() / 2;
  if (n > rank) {
    return c.Fail(ShapeMismatch(c, "pad length", static_cast<int64_t>(2 * rank), static_cast<int64_t>(pad->size()),
                                "padding length too large for input of shape " + x->ShapeString()));
  }
  if (*mode != "constant" && n > 0 && rank != n + 1 && rank != n + 2) {
    return c.Fail(ShapeMismatch(c, "input rank", static_cast<int64_t>(n + 2), static_cast<int64_t>(rank),
                                absl::StrCat(*mode, " padding of ", n, " dims expects a ", n + 1, "D or ", n + 2,
                                             "D input, got shape ", x->ShapeString())));
  }
  std::vector<Dim> out = x->dims;
  for (size_t i = 0; i < n; ++i) {
    size_t d = rank - 1 - i;
    const Dim &lo = (*pad)[2 * i], &hi = (*pad)[2 * i + 1];
    if (*mode == "reflect") {
      for (const Dim& p : {lo, hi}) {
        if (p.is_const() && x->dims[d].is_const() && p.value() >= x->dims[d].value()) {
          return c.Fail(ShapeMismatch(c, "padding", x->dims[d] - 1, p,
                                      absl::StrCat("reflect padding size should be less than the corresponding input "
                                                   "dimension; input shape ",
                                                   x->ShapeString())));
        }
      }
    }
    out[d] = x->dims[d] + lo + hi;
    if (out[d].is_const() && out[d].value() < 0) {
      return c.Fail(ShapeMismatch(
          c, "padding", 0, out[d],
          absl::StrCat("the padded size of dimension ", d, " is negative; input shape ", x->ShapeString())));
    }
  }
  return c.Finish(MakeTensor(out, x->dtype));
}

// Scaled: floor(n * s), exactly for constant sizes and integral factors.
Dim Scaled(const Dim& n, double s) {
  if (n.is_const()) return static_cast<int64_t>(std::floor(static_cast<double>(n.value()) * s));
  if (s == std::floor(s) && s >= 0 && s < 1e9) return n * static_cast<int64_t>(s);
  return FreshDim();
}

ValuePtr Interpolate(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  const std::string* mode = interp::AsStr(c.Get("mode"));
  if (!x || !x->rank_known || !mode) return c.Finish(UnknownTensor());
  size_t rank = x->dims.size();
  if (rank < 3 || rank > 5) {
    return c.Fail(
        ShapeMismatch(c, "input rank", 4, static_cast<int64_t>(rank),
                      "interpolate expects a 3D, 4D or 5D input (N, C, *spatial), got shape " + x->ShapeString()));
  }
  static const std::pair<const char*, size_t> kRanks[] = {
      {"linear", 3}, {"bilinear", 4}, {"bicubic", 4}, {"trilinear", 5}};
  for (const auto& [m, want] : kRanks) {
    if (*mode == m && rank != want) {
      return c.Fail(ShapeMismatch(
          c, "input rank", static_cast<int64_t>(want), static_cast<int64_t>(rank),
          absl::StrCat("got ", rank, "D input, but ", m, " mode needs ", want, "D input; shape ", x->ShapeString())));
    }
  }
  size_t n = rank - 2;
  ValuePtr size = c.Get("size"), scale = c.Get("scale_factor");
  std::vector<Dim> out(x->dims.begin(), x->dims.begin() + 2);
  auto per_dim = [&](const ValuePtr& v, const char* what) -> std::optional<std::vector<ValuePtr>> {
    if (!interp::IsSeq(v)) return std::vector<ValuePtr>(n, v);
    const auto& items = As<interp::SeqValue>(v)->items;
    if (items.size() != n) {
      c.Fail(ShapeMismatch(c, what, static_cast<int64_t>(n), static_cast<int64_t>(items.size()),
                           absl::StrCat("input has ", n, " spatial dimensions; shape ", x->ShapeString())));
      return std::nullopt;
    }
    return items;
  };
  bool has_size = !Is(size, ValueKind::kNone), has_scale = !Is(scale, ValueKind::kNone);
  if (has_size == has_scale) {
    Finding f = ShapeMismatch(c, "size / scale_factor", 0, 0,
                              has_size ? "only one of size or scale_factor should be defined"
                                       : "either size or scale_factor should be defined");
    f.expected = "exactly one";
    f.actual = has_size ? "both" : "neither";
    return c.Fail(std::move(f));
  }
  if (has_size) {
    auto items = per_dim(size, "size");
    if (!items) return interp::MakeUnknownRankTensor();
    for (const auto& v : *items) {
      auto d = interp::AsDim(v);
      out.push_back(d ? *d : FreshDim());
    }
  } else {
    auto items = per_dim(scale, "scale_factor");
    if (!items) return interp::MakeUnknownRankTensor();
    for (size_t i = 0; i < n; ++i) {
      auto s = interp::AsNumber((*items)[i]);
      out.push_back(s ? Scaled(x->dims[2 + i], *s) : FreshDim());
    }
  }
  return c.Finish(MakeTensor(out, x->dtype));
}

// ---- padding modules ------------------------------------------------------

template <int N>
void PadInit(LayerInit& l) {
  auto p = l.Ints("padding", 2 * N);
  l.SetAttr("padding", p ? TupleOf(*p) : l.Get("padding"));
  if (l.signature().Index("value") >= 0) l.Keep("value");
}

void ZeroPadInit(LayerInit& l) {
  auto p = l.Ints("padding", 4);
  l.SetAttr("padding", p ? TupleOf(*p) : l.Get("padding"));
  l.SetAttr("value", interp::MakeFloat(0.0));
}

template <int kMode>
ValuePtr PadForward(LayerCall& l) {
  static const char* kModes[] = {"constant", "reflect", "replicate"};
  std::vector<ValuePtr> args = {l.Get("input"), l.Attr("padding"), interp::MakeStr(kModes[kMode])};
  if (kMode == 0) args.push_back(l.Attr("value"));
  return l.CallOp("torch.nn.functional.pad", std::move(args));
}

// ---- upsampling modules --------------------------------------------------------

void UpsampleInit(LayerInit& l) {
  auto* inst = l.self();
  l.SetAttr("name", interp::MakeStr(inst->cls->name));
  l.Keep("size");
  ValuePtr s = l.Get("scale_factor");
  if (interp::IsSeq(s)) {
    std::vector<ValuePtr> fs;
    for (const auto& v : As<interp::SeqValue>(s)->items) {
      auto f = interp::AsNumber(v);
      fs.push_back(f ? interp::MakeFloat(*f) : interp::MakeUnknown("scale_factor"));
    }
    l.SetAttr("scale_factor", interp::MakeTuple(std::move(fs)));
  } else {
    // float(scale_factor) if scale_factor else None
    auto f = interp::AsNumber(s);
    if (f)
      l.SetAttr("scale_factor", *f != 0 ? interp::MakeFloat(*f) : interp::MakeNone());
    else
      l.SetAttr("scale_factor", Is(s, ValueKind::kNone) ? s : interp::MakeUnknown("scale_factor"));
  }
  for (const char* n : {"mode", "align_corners", "recompute_scale_factor"}) {
    if (l.signature().Index(n) >= 0) l.Keep(n);
  }
}

void UpsamplingNearestInit(LayerInit& l) {
  UpsampleInit(l);
  l.SetAttr("mode", interp::MakeStr("nearest"));
  l.SetAttr("align_corners", interp::MakeNone());
  l.SetAttr("recompute_scale_factor", interp::MakeNone());
}

void UpsamplingBilinearInit(LayerInit& l) {
  UpsampleInit(l);
  l.SetAttr("mode", interp::MakeStr("bilinear"));
  l.SetAttr("align_corners", interp::MakeBool(true));
  l.SetAttr("recompute_scale_factor", interp::MakeNone());
}

ValuePtr UpsampleForward(LayerCall& l) {
  return l.CallOp("torch.nn.functional.interpolate",
                  {l.Get("input"), l.Attr("size"), l.Attr("scale_factor"), l.Attr("mode"), l.Attr("align_corners")},
                  {{"recompute_scale_factor", l.Attr("recompute_scale_factor")}});
}

}  // namespace

void RegisterTorchNnPadInterpolate(OpRegistry& r) {
  r.AddOp({"torch.nn.functional.pad", "input: Tensor, pad, mode='constant', value=None", Pad});
  r.AddOp({"torch.nn.functional.interpolate",
           "input: Tensor, size=None, scale_factor=None, mode='nearest', align_corners=None, "
           "recompute_scale_factor=None, antialias=False",
           Interpolate});
  r.AddLayer({"torch.nn.ConstantPad1d", "padding, value", PadInit<1>, PadForward<0>});
  r.AddLayer({"torch.nn.ConstantPad2d", "padding, value", PadInit<2>, PadForward<0>});
  r.AddLayer({"torch.nn.ConstantPad3d", "padding, value", PadInit<3>, PadForward<0>});
  r.AddLayer({"torch.nn.ZeroPad2d", "padding", ZeroPadInit, PadForward<0>});
  r.AddLayer({"torch.nn.ReflectionPad1d", "padding", PadInit<1>, PadForward<1>});
  r.AddLayer({"torch.nn.ReflectionPad2d", "padding", PadInit<2>, PadForward<1>});
  r.AddLayer({"torch.nn.ReflectionPad3d", "padding", PadInit<3>, PadForward<1>});
  r.AddLayer({"torch.nn.ReplicationPad1d", "padding", PadInit<1>, PadForward<2>});
  r.AddLayer({"torch.nn.ReplicationPad2d", "padding", PadInit<2>, PadForward<2>});
  r.AddLayer({"torch.nn.ReplicationPad3d", "padding", PadInit<3>, PadForward<2>});
  r.AddLayer({"torch.nn.Upsample",
              "size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None",
              UpsampleInit, UpsampleForward});
  r.AddLayer({"torch.nn.UpsamplingNearest2d", "size=None, scale_factor=None", UpsamplingNearestInit, UpsampleForward});
  r.AddLayer(
      {"torch.nn.UpsamplingBilinear2d", "size=None, scale_factor=None", UpsamplingBilinearInit, UpsampleForward});
}

}  // namespace shapelint::rules
