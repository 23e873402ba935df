// adaptive_max_pool.cc: nn.AdaptiveMaxPool1d/2d/3d and
// F.adaptive_max_pool1d/2d/3d. The functional forms are torch's
// boolean_dispatch wrappers: with return_indices=True torch sees (and records)
// F.adaptive_max_poolNd_with_indices, which returns (values, indices).
#include "absl/strings/str_cat.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

// OutputDims: the pooled shape; a None entry of output_size keeps the input size.
template <int N>
std::optional<std::vector<Dim>> OutputDims(OpCall& c, const std::vector<Dim>& xd) {
  ValuePtr os = c.Get("output_size");
  std::vector<ValuePtr> items;
  if (interp::IsSeq(os))
    items = interp::As<interp::SeqValue>(os)->items;
  else
    items = std::vector<ValuePtr>(N, os);
  if (items.size() == 1 && N > 1) items = std::vector<ValuePtr>(N, items[0]);
  if (items.size() != static_cast<size_t>(N)) return std::nullopt;
  std::vector<Dim> out(xd.begin(), xd.end() - N);
  for (int i = 0; i < N; ++i) {
    if (interp::Is(items[i], interp::ValueKind::kNone)) {
      out.push_back(xd[xd.size() - N + i]);
      continue;
    }
    auto d = interp::AsDim(items[i]);
    if (!d) return std::nullopt;
    out.push_back(*d);
  }
  return out;
}

template <int N, bool kWithIndices>
ValuePtr AdaptiveMaxOp(OpCall& c) {
  static const char* kIndexed[] = {"", "torch.nn.functional.adaptive_max_pool1d_with_indices",
                                   "torch.nn.functional.adaptive_max_pool2d_with_indices",
                                   "torch.nn.functional.adaptive_max_pool3d_with_indices"};
  if (!kWithIndices && c.Bool("return_indices").value_or(false)) {
    // boolean_dispatch: the call torch sees is the _with_indices function.
    c.SkipRecord();
    interp::Interpreter& in = c.in();
    interp::Args args;
    args.positional = {c.Get("input"), c.Get("output_size"), c.Get("return_indices")};
    return in.Call(in.ResolveModeled(kIndexed[N], in.CallSite()), std::move(args), in.CallSite());
  }
  TensorValue* x = c.Tensor("input");
  const auto* xd = DimsOf(x);
  auto unknown = [&]() -> ValuePtr {
    if (kWithIndices) return c.Finish(interp::MakeTuple({UnknownTensor(), UnknownTensor()}));
    return c.Finish(UnknownTensor());
  };
  if (!xd) return unknown();
  if (xd->size() != N + 1 && xd->size() != N + 2) {
    return c.Fail(ShapeMismatch(c, "input rank", N + 2, static_cast<int64_t>(xd->size()),
                                absl::StrCat("adaptive_max_pool", N, "d expects a ", N + 1, "D or ", N + 2,
                                             "D input, got shape ", ops::ShapeString(*xd))));
  }
  auto out = OutputDims<N>(c, *xd);
  if (!out) return unknown();
  if (!kWithIndices) return c.Finish(MakeTensor(*out, x->dtype));
  return c.Finish(interp::MakeTuple({MakeTensor(*out, x->dtype), MakeTensor(*out, interp::DType::kInt64)}));
}

void AdaptiveMaxInit(LayerInit& l) {
  l.Keep("output_size");
  l.Keep("return_indices");
}

template <int N>
ValuePtr AdaptiveMaxForward(LayerCall& l) {
  static const char* kOps[] = {"", "torch.nn.functional.adaptive_max_pool1d", "torch.nn.functional.adaptive_max_pool2d",
                               "torch.nn.functional.adaptive_max_pool3d"};
  return l.CallOp(kOps[N], {l.Get("input"), l.Attr("output_size"), l.Attr("return_indices")});
}

constexpr const char* kOpSig = "input: Tensor, output_size, return_indices=False";

}  // namespace

void RegisterTorchNnAdaptiveMaxPool(OpRegistry& r) {
  r.AddOp({"torch.nn.functional.adaptive_max_pool1d", kOpSig, AdaptiveMaxOp<1, false>});
  r.AddOp({"torch.nn.functional.adaptive_max_pool2d", kOpSig, AdaptiveMaxOp<2, false>});
  r.AddOp({"torch.nn.functional.adaptive_max_pool3d", kOpSig, AdaptiveMaxOp<3, false>});
  r.AddOp({"torch.nn.functional.adaptive_max_pool1d_with_indices", kOpSig, AdaptiveMaxOp<1, true>});
  r.AddOp({"torch.nn.functional.adaptive_max_pool2d_with_indices", kOpSig, AdaptiveMaxOp<2, true>});
  r.AddOp({"torch.nn.functional.adaptive_max_pool3d_with_indices", kOpSig, AdaptiveMaxOp<3, true>});
  r.AddLayer(
      {"torch.nn.AdaptiveMaxPool1d", "output_size, return_indices=False", AdaptiveMaxInit, AdaptiveMaxForward<1>});
  r.AddLayer(
      {"torch.nn.AdaptiveMaxPool2d", "output_size, return_indices=False", AdaptiveMaxInit, AdaptiveMaxForward<2>});
  r.AddLayer(
      {"torch.nn.AdaptiveMaxPool3d", "output_size, return_indices=False", AdaptiveMaxInit, AdaptiveMaxForward<3>});
}

}  // namespace shapelint::rules
