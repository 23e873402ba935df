// pool.cc: max/avg/adaptive-avg pooling, modules and functional ops.
#include "absl/strings/str_cat.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

// PoolOp: shared by max_pool and avg_pool (avg has dilation 1).
template <int N, bool kMax>
ValuePtr PoolOp(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  const auto* xd = DimsOf(x);
  if (!xd) return c.Finish(UnknownTensor());
  if (xd->size() != N + 1 && xd->size() != N + 2) {
    return c.Fail(ShapeMismatch(c, "input rank", N + 2, static_cast<int64_t>(xd->size()),
                                absl::StrCat("pooling over ", N, " dims expects a ", N + 1, "D or ", N + 2,
                                             "D input, got shape ", ops::ShapeString(*xd))));
  }
  auto k = c.Ints("kernel_size", N);
  auto s = c.IsNone("stride") ? k : c.Ints("stride", N);
  if (!s && interp::IsSeq(c.Get("stride")) &&
      interp::As<interp::SeqValue>(c.Get("stride"))->items.empty()) {
    s = k;  // stride=[] means kernel_size
  }
  auto p = c.Ints("padding", N);
  std::optional<std::vector<Dim>> d = std::vector<Dim>(N, 1);
  if (kMax) d = c.Ints("dilation", N);
  auto ceil = c.Bool("ceil_mode");
  if (!k || !s || !p || !d || !ceil) return c.Finish(UnknownTensor());
  std::vector<Dim> out(xd->begin(), xd->end() - N);
  for (int i = 0; i < N; ++i) {
    const Dim& in = (*xd)[xd->size() - N + i];
    auto o = ops::ConvOutput(in, (*k)[i], (*s)[i], (*p)[i], (*d)[i], *ceil);
    if (!o) return c.Finish(UnknownTensor());
    if (ops::IsNegativeOrZero(*o)) {
      return c.Fail(ShapeMismatch(c, "kernel_size", (*k)[i], in + (*p)[i] * 2,
                                  absl::StrCat("the pooling window (", (*k)[i].ToString(),
                                               ") is larger than the padded input (",
                                               (in + (*p)[i] * 2).ToString(), "); input shape ",
                                               ops::ShapeString(*xd))));
    }
    out.push_back(*o);
  }
  return c.Finish(MakeTensor(out, x->dtype));
}

template <int N>
ValuePtr AdaptivePoolOp(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  const auto* xd = DimsOf(x);
  if (!xd || xd->size() < static_cast<size_t>(N)) return c.Finish(UnknownTensor());
  ValuePtr os = c.Get("output_size");
  std::vector<Dim> out(xd->begin(), xd->end() - N);
  std::vector<ValuePtr> items;
  if (interp::IsSeq(os)) items = interp::As<interp::SeqValue>(os)->items;
  else items = std::vector<ValuePtr>(N, os);
  if (items.size() != static_cast<size_t>(N)) return c.Finish(UnknownTensor());
  for (int i = 0; i < N; ++i) {
    if (interp::Is(items[i], interp::ValueKind::kNone)) {
      out.push_back((*xd)[xd->size() - N + i]);
      continue;
    }
    auto d = interp::AsDim(items[i]);
    if (!d) return c.Finish(UnknownTensor());
    out.push_back(*d);
  }
  return c.Finish(MakeTensor(out, x->dtype));
}

// Module constructors keep their arguments as torch does: MaxPoolNd and
// AvgPool2d/3d raw, AvgPool1d through _single; stride defaults to kernel_size.
template <bool kSingle>
void PoolInit(LayerInit& l) {
  auto keep = [&](const char* name, ValuePtr v) {
    if (kSingle) {
      if (auto d = interp::AsDim(v)) v = TupleOf({*d});
    }
    l.SetAttr(name, v);
  };
  keep("kernel_size", l.Get("kernel_size"));
  keep("stride", l.IsNone("stride") ? l.Get("kernel_size") : l.Get("stride"));
  keep("padding", l.Get("padding"));
  for (const char* n : {"dilation", "return_indices", "ceil_mode", "count_include_pad", "divisor_override"}) {
    if (l.signature().Index(n) >= 0) l.Keep(n);
  }
}

template <int N>
ValuePtr MaxPoolForward(LayerCall& l) {
  static const char* kOps[] = {"", "torch.nn.functional.max_pool1d", "torch.nn.functional.max_pool2d",
                               "torch.nn.functional.max_pool3d"};
  return l.CallOp(kOps[N], {l.Get("input"), l.Attr("kernel_size"), l.Attr("stride"), l.Attr("padding"),
                            l.Attr("dilation")},
                  {{"ceil_mode", l.Attr("ceil_mode")}, {"return_indices", l.Attr("return_indices")}});
}

template <int N>
ValuePtr AvgPoolForward(LayerCall& l) {
  static const char* kOps[] = {"", "torch.avg_pool1d", "torch.nn.functional.avg_pool2d",
                               "torch.nn.functional.avg_pool3d"};
  std::vector<ValuePtr> args = {l.Get("input"), l.Attr("kernel_size"), l.Attr("stride"), l.Attr("padding"),
                                l.Attr("ceil_mode"), l.Attr("count_include_pad")};
  if (N > 1) args.push_back(l.Attr("divisor_override"));
  return l.CallOp(kOps[N], args);
}

void AdaptiveInit(LayerInit& l) { l.Keep("output_size"); }

template <int N>
ValuePtr AdaptiveAvgForward(LayerCall& l) {
  static const char* kOps[] = {"", "torch.adaptive_avg_pool1d", "torch.nn.functional.adaptive_avg_pool2d",
                               "torch.nn.functional.adaptive_avg_pool3d"};
  return l.CallOp(kOps[N], {l.Get("input"), l.Attr("output_size")});
}

constexpr const char* kMaxOpSig =
    "input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False";
constexpr const char* kMaxLayerSig =
    "kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False";
// avg_pool is a builtin: aten schema defaults (stride=[] means kernel_size).
constexpr const char* kAvg2dOpSig =
    "input: Tensor, kernel_size, stride=[], padding=[0, 0], ceil_mode=False, count_include_pad=True, "
    "divisor_override=None";
constexpr const char* kAvg3dOpSig =
    "input: Tensor, kernel_size, stride=[], padding=[0, 0, 0], ceil_mode=False, count_include_pad=True, "
    "divisor_override=None";
constexpr const char* kAvg1dOpSig =
    "input: Tensor, kernel_size, stride=[], padding=[0], ceil_mode=False, count_include_pad=True";
constexpr const char* kAvgLayerSig =
    "kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None";
constexpr const char* kAvg1dLayerSig = "kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True";

}  // namespace

void RegisterTorchNnPool(OpRegistry& r) {
  r.AddOp({"torch.nn.functional.max_pool1d", kMaxOpSig, PoolOp<1, true>});
  r.AddOp({"torch.nn.functional.max_pool2d", kMaxOpSig, PoolOp<2, true>});
  r.AddOp({"torch.nn.functional.max_pool3d", kMaxOpSig, PoolOp<3, true>});
  r.AddOp({"torch.avg_pool1d", kAvg1dOpSig, PoolOp<1, false>});
  r.AddAlias("torch.nn.functional.avg_pool1d", "torch.avg_pool1d");
  r.AddOp({"torch.nn.functional.avg_pool2d", kAvg2dOpSig, PoolOp<2, false>});
  r.AddOp({"torch.nn.functional.avg_pool3d", kAvg3dOpSig, PoolOp<3, false>});
  r.AddOp({"torch.adaptive_avg_pool1d", "input: Tensor, output_size", AdaptivePoolOp<1>});
  r.AddAlias("torch.nn.functional.adaptive_avg_pool1d", "torch.adaptive_avg_pool1d");
  r.AddOp({"torch.nn.functional.adaptive_avg_pool2d", "input: Tensor, output_size", AdaptivePoolOp<2>});
  r.AddOp({"torch.nn.functional.adaptive_avg_pool3d", "input: Tensor, output_size", AdaptivePoolOp<3>});
  r.AddLayer({"torch.nn.MaxPool1d", kMaxLayerSig, PoolInit<false>, MaxPoolForward<1>});
  r.AddLayer({"torch.nn.MaxPool2d", kMaxLayerSig, PoolInit<false>, MaxPoolForward<2>});
  r.AddLayer({"torch.nn.MaxPool3d", kMaxLayerSig, PoolInit<false>, MaxPoolForward<3>});
  r.AddLayer({"torch.nn.AvgPool1d", kAvg1dLayerSig, PoolInit<true>, AvgPoolForward<1>});
  r.AddLayer({"torch.nn.AvgPool2d", kAvgLayerSig, PoolInit<false>, AvgPoolForward<2>});
  r.AddLayer({"torch.nn.AvgPool3d", kAvgLayerSig, PoolInit<false>, AvgPoolForward<3>});
  r.AddLayer({"torch.nn.AdaptiveAvgPool1d", "output_size", AdaptiveInit, AdaptiveAvgForward<1>});
  r.AddLayer({"torch.nn.AdaptiveAvgPool2d", "output_size", AdaptiveInit, AdaptiveAvgForward<2>});
  r.AddLayer({"torch.nn.AdaptiveAvgPool3d", "output_size", AdaptiveInit, AdaptiveAvgForward<3>});
}

}  // namespace shapelint::rules
