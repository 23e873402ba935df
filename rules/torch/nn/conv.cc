// conv.cc: nn.Conv1d/2d/3d and torch.conv1d/2d/3d (F.convNd is torch.convNd).
#include "absl/strings/str_cat.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

template <int N>
ValuePtr ConvOp(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  TensorValue* w = c.Tensor("weight");
  const auto* xd = DimsOf(x);
  const auto* wd = DimsOf(w);
  if (!xd || !wd || wd->size() != N + 2) return c.Finish(UnknownTensor());
  bool batched = xd->size() == N + 2;
  if (!batched && xd->size() != N + 1) {
    Finding f = ShapeMismatch(c, "input rank", N + 2, static_cast<int64_t>(xd->size()),
                              absl::StrCat("conv", N, "d expects a ", N + 1, "D or ", N + 2,
                                           "D input, got shape ", ops::ShapeString(*xd)));
    return c.Fail(std::move(f));
  }
  size_t off = batched ? 1 : 0;
  auto groups = c.DimArg("groups");
  if (!groups) return c.Finish(UnknownTensor());
  Dim expected_in = (*wd)[1] * *groups;
  if (CheckEqual(c, "in_channels", expected_in, (*xd)[off]) == interp::Tri::kFalse) {
    return c.Fail(ShapeMismatch(c, "in_channels", expected_in, (*xd)[off],
                                "input shape " + ops::ShapeString(*xd)));
  }
  auto stride = c.Ints("stride", N), dilation = c.Ints("dilation", N);
  if (!stride || !dilation) return c.Finish(UnknownTensor());
  std::vector<Dim> pad;
  const std::string* pad_str = interp::AsStr(c.Get("padding"));
  if (!pad_str) {
    auto p = c.Ints("padding", N);
    if (!p) return c.Finish(UnknownTensor());
    pad = *p;
  }
  std::vector<Dim> out;
  if (batched) out.push_back((*xd)[0]);
  out.push_back((*wd)[0]);
  for (int i = 0; i < N; ++i) {
    const Dim& in = (*xd)[off + 1 + i];
    const Dim& k = (*wd)[2 + i];
    if (pad_str && *pad_str == "same") {
      out.push_back(in);
      continue;
    }
    Dim p = pad_str ? Dim(0) : pad[i];
    auto o = ops::ConvOutput(in, k, (*stride)[i], p, (*dilation)[i]);
    if (!o) return c.Finish(UnknownTensor());
    if (ops::IsNegativeOrZero(*o)) {
      Finding f = ShapeMismatch(c, "kernel_size", k, in + p * 2,
                                absl::StrCat("the kernel (", k.ToString(), ", dilation ", (*dilation)[i].ToString(),
                                             ") is larger than the padded input (", (in + p * 2).ToString(),
                                             "); input shape ", ops::ShapeString(*xd)));
      return c.Fail(std::move(f));
    }
    out.push_back(*o);
  }
  // Each output element: in_channels/groups * prod(kernel) multiply-adds.
  c.in().AddMacs(ops::Numel(out) * ops::Numel(*wd, 1));
  return c.Finish(MakeTensor(out, x->dtype));
}

template <int N>
void ConvInit(LayerInit& l) {
  l.Keep("in_channels");
  l.Keep("out_channels");
  auto k = l.Ints("kernel_size", N), s = l.Ints("stride", N), d = l.Ints("dilation", N);
  l.SetAttr("kernel_size", k ? TupleOf(*k) : interp::MakeUnknown("kernel_size"));
  l.SetAttr("stride", s ? TupleOf(*s) : interp::MakeUnknown("stride"));
  if (interp::AsStr(l.Get("padding"))) {
    l.Keep("padding");
  } else {
    auto p = l.Ints("padding", N);
    l.SetAttr("padding", p ? TupleOf(*p) : interp::MakeUnknown("padding"));
  }
  l.SetAttr("dilation", d ? TupleOf(*d) : interp::MakeUnknown("dilation"));
  l.SetAttr("transposed", interp::MakeBool(false));
  l.SetAttr("output_padding", TupleOf(std::vector<Dim>(N, 0)));
  l.Keep("groups");
  l.Keep("padding_mode");
  auto in = l.DimArg("in_channels"), out = l.DimArg("out_channels"), g = l.DimArg("groups");
  std::vector<Dim> wshape;
  if (in && out && g && k) {
    auto per_group = Dim::FloorDiv(*in, *g);
    wshape = {*out, per_group ? *per_group : FreshDim()};
    for (const Dim& kd : *k) wshape.push_back(kd);
  } else {
    for (int i = 0; i < N + 2; ++i) wshape.push_back(FreshDim());
  }
  l.AddParam("weight", wshape);
  if (l.Bool("bias").value_or(true)) l.AddParam("bias", {out ? *out : FreshDim()});
  else l.AddNoneParam("bias");
}

template <int N>
ValuePtr ConvForward(LayerCall& l) {
  static const char* kOps[] = {"", "torch.conv1d", "torch.conv2d", "torch.conv3d"};
  return l.CallOp(kOps[N], {l.Get("input"), l.Attr("weight"), l.Attr("bias"), l.Attr("stride"),
                            l.Attr("padding"), l.Attr("dilation"), l.Attr("groups")});
}

// Defaults as the aten schema gives them (int[N] lists): torch records them so.
constexpr const char* kConv1dOpSig =
    "input: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride=[1], padding=[0], dilation=[1], groups=1";
constexpr const char* kConv2dOpSig =
    "input: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride=[1, 1], padding=[0, 0], "
    "dilation=[1, 1], groups=1";
constexpr const char* kConv3dOpSig =
    "input: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride=[1, 1, 1], padding=[0, 0, 0], "
    "dilation=[1, 1, 1], groups=1";
constexpr const char* kConvLayerSig =
    "in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, "
    "padding_mode='zeros', device=None, dtype=None";

}  // namespace

void RegisterTorchNnConv(OpRegistry& r) {
  r.AddOp({"torch.conv1d", kConv1dOpSig, ConvOp<1>});
  r.AddOp({"torch.conv2d", kConv2dOpSig, ConvOp<2>});
  r.AddOp({"torch.conv3d", kConv3dOpSig, ConvOp<3>});
  for (int n = 1; n <= 3; ++n) {
    std::string d = std::to_string(n);
    r.AddAlias("torch.nn.functional.conv" + d + "d", "torch.conv" + d + "d");
  }
  r.AddLayer({"torch.nn.Conv1d", kConvLayerSig, ConvInit<1>, ConvForward<1>});
  r.AddLayer({"torch.nn.Conv2d", kConvLayerSig, ConvInit<2>, ConvForward<2>});
  r.AddLayer({"torch.nn.Conv3d", kConvLayerSig, ConvInit<3>, ConvForward<3>});
}

}  // namespace shapelint::rules
