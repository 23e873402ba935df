// conv_transpose.cc: nn.ConvTranspose1d/2d/3d and torch.conv_transpose1d/2d/3d
// (F.conv_transposeNd is torch.conv_transposeNd). The output size per spatial
// dim is (in-1)*stride - 2*pad + dilation*(k-1) + output_padding + 1.
#include "absl/strings/str_cat.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

using interp::Tri;

template <int N>
ValuePtr ConvTransposeOp(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  TensorValue* w = c.Tensor("weight");
  const auto* xd = DimsOf(x);
  const auto* wd = DimsOf(w);
  if (!xd || !wd || wd->size() != N + 2) return c.Finish(UnknownTensor());
  bool batched = xd->size() == N + 2;
  if (!batched && xd->size() != N + 1) {
    return c.Fail(ShapeMismatch(c, "input rank", N + 2, static_cast<int64_t>(xd->size()),
                                absl::StrCat("conv_transpose", N, "d expects a ", N + 1, "D or ", N + 2,
                                             "D input, got shape ", ops::ShapeString(*xd))));
  }
  size_t off = batched ? 1 : 0;
  // weight: (in_channels, out_channels / groups, *kernel_size)
  if (Dim::Equal((*xd)[off], (*wd)[0]) == Tri::kFalse) {
    return c.Fail(ShapeMismatch(c, "in_channels", (*wd)[0], (*xd)[off], "input shape " + ops::ShapeString(*xd)));
  }
  auto groups = c.DimArg("groups");
  auto stride = c.Ints("stride", N), pad = c.Ints("padding", N), opad = c.Ints("output_padding", N),
       dilation = c.Ints("dilation", N);
  if (!groups || !stride || !pad || !opad || !dilation) return c.Finish(UnknownTensor());
  std::vector<Dim> out;
  if (batched) out.push_back((*xd)[0]);
  out.push_back((*wd)[1] * *groups);
  for (int i = 0; i < N; ++i) {
    const Dim &in = (*xd)[off + 1 + i], &k = (*wd)[2 + i], &s = (*stride)[i], &d = (*dilation)[i], &op = (*opad)[i];
    if (op.is_const() && s.is_const() && d.is_const() && op.value() >= s.value() && op.value() >= d.value()) {
      return c.Fail(ShapeMismatch(c, "output_padding", s, op,
                                  absl::StrCat("output padding must be smaller than either stride (", s.ToString(),
                                               ") or dilation (", d.ToString(), ")")));
    }
    Dim o = (in - 1) * s - (*pad)[i] * 2 + d * (k - 1) + op + 1;
    if (ops::IsNegativeOrZero(o)) {
      return c.Fail(ShapeMismatch(c, "padding", 0, (*pad)[i],
                                  absl::StrCat("the padding leaves an empty output (", o.ToString(), "); input shape ",
                                               ops::ShapeString(*xd))));
    }
    out.push_back(o);
  }
  // Each input element meets out_channels/groups * prod(kernel) weights.
  c.in().AddMacs(ops::Numel(*xd) * ops::Numel(*wd, 1));
  return c.Finish(MakeTensor(out, x->dtype));
}

template <int N>
void ConvTransposeInit(LayerInit& l) {
  l.Keep("in_channels");
  l.Keep("out_channels");
  auto k = l.Ints("kernel_size", N), s = l.Ints("stride", N), p = l.Ints("padding", N), d = l.Ints("dilation", N),
       op = l.Ints("output_padding", N);
  auto tuple = [](const std::optional<std::vector<Dim>>& v, const char* what) {
    return v ? TupleOf(*v) : interp::MakeUnknown(what);
  };
  l.SetAttr("kernel_size", tuple(k, "kernel_size"));
  l.SetAttr("stride", tuple(s, "stride"));
  l.SetAttr("padding", tuple(p, "padding"));
  l.SetAttr("dilation", tuple(d, "dilation"));
  l.SetAttr("transposed", interp::MakeBool(true));
  l.SetAttr("output_padding", tuple(op, "output_padding"));
  l.Keep("groups");
  l.Keep("padding_mode");
  auto in = l.DimArg("in_channels"), out = l.DimArg("out_channels"), g = l.DimArg("groups");
  std::vector<Dim> wshape;
  if (in && out && g && k) {
    auto per_group = Dim::FloorDiv(*out, *g);
    wshape = {*in, per_group ? *per_group : FreshDim()};
    for (const Dim& kd : *k) wshape.push_back(kd);
  } else {
    for (int i = 0; i < N + 2; ++i) wshape.push_back(FreshDim());
  }
  l.AddParam("weight", wshape);
  if (l.Bool("bias").value_or(true))
    l.AddParam("bias", {out ? *out : FreshDim()});
  else
    l.AddNoneParam("bias");
}

// OutputPadding: _ConvTransposeNd._output_padding: the module's
// output_padding, or what reaches `output_size` (a list of ints).
template <int N>
std::optional<ValuePtr> OutputPadding(LayerCall& l) {
  if (l.IsNone("output_size")) return l.Attr("output_padding");
  const auto* xd = DimsOf(l.Tensor("input"));
  auto size = l.Ints("output_size");
  auto seq = [&](const char* n) -> std::optional<std::vector<Dim>> {
    ValuePtr v = l.Attr(n);
    if (!interp::IsSeq(v)) return std::nullopt;
    std::vector<Dim> out;
    for (const auto& i : interp::As<interp::SeqValue>(v)->items) {
      auto d = interp::AsDim(i);
      if (!d) return std::nullopt;
      out.push_back(*d);
    }
    return out.size() == N ? std::optional<std::vector<Dim>>(out) : std::nullopt;
  };
  auto s = seq("stride"), p = seq("padding"), k = seq("kernel_size"), d = seq("dilation");
  if (!xd || !size || !s || !p || !k || !d || (xd->size() != N + 1 && xd->size() != N + 2)) return std::nullopt;
  size_t non_spatial = xd->size() == N + 2 ? 2 : 1;
  std::vector<Dim> want = *size;
  if (want.size() == non_spatial + N) want.erase(want.begin(), want.begin() + non_spatial);
  if (want.size() != N) return std::nullopt;
  std::vector<ValuePtr> res;
  for (int i = 0; i < N; ++i) {
    Dim min = ((*xd)[non_spatial + i] - 1) * (*s)[i] - (*p)[i] * 2 + (*d)[i] * ((*k)[i] - 1) + 1;
    Dim extra = want[i] - min;
    if (extra.is_const() && (*s)[i].is_const() && (extra.value() < 0 || extra.value() >= (*s)[i].value())) {
      Finding f;
      f.kind = FindingKind::kShapeMismatch;
      f.subject = "output_size";
      f.expected = absl::StrCat("between ", min.ToString(), " and ", (min + (*s)[i] - 1).ToString());
      f.actual = want[i].ToString();
      f.detail =
          absl::StrCat("requested output size ", ops::ShapeString(want), " for input shape ", ops::ShapeString(*xd));
      f.def_span = DefSpanOfCurrentLayer(l);
      l.in().Report(std::move(f));
      return nullptr;
    }
    res.push_back(interp::MakeInt(extra));
  }
  return interp::MakeList(std::move(res));
}

template <int N>
ValuePtr ConvTransposeForward(LayerCall& l) {
  static const char* kOps[] = {"", "torch.conv_transpose1d", "torch.conv_transpose2d", "torch.conv_transpose3d"};
  auto op = OutputPadding<N>(l);
  if (op && *op == nullptr) return UnknownTensor();  // reported
  ValuePtr output_padding = op ? *op : interp::MakeUnknown("output_padding");
  return l.CallOp(kOps[N], {l.Get("input"), l.Attr("weight"), l.Attr("bias"), l.Attr("stride"), l.Attr("padding"),
                            output_padding, l.Attr("groups"), l.Attr("dilation")});
}

// Defaults as the aten schema gives them (int[N] lists).
constexpr const char* kOpSig1 =
    "input: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride=[1], padding=[0], output_padding=[0], "
    "groups=1, dilation=[1]";
constexpr const char* kOpSig2 =
    "input: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride=[1, 1], padding=[0, 0], "
    "output_padding=[0, 0], groups=1, dilation=[1, 1]";
constexpr const char* kOpSig3 =
    "input: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride=[1, 1, 1], padding=[0, 0, 0], "
    "output_padding=[0, 0, 0], groups=1, dilation=[1, 1, 1]";
constexpr const char* kLayerSig =
    "in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, "
    "dilation=1, padding_mode='zeros', device=None, dtype=None";

}  // namespace

void RegisterTorchNnConvTranspose(OpRegistry& r) {
  r.AddOp({"torch.conv_transpose1d", kOpSig1, ConvTransposeOp<1>});
  r.AddOp({"torch.conv_transpose2d", kOpSig2, ConvTransposeOp<2>});
  r.AddOp({"torch.conv_transpose3d", kOpSig3, ConvTransposeOp<3>});
  for (int n = 1; n <= 3; ++n) {
    std::string d = std::to_string(n);
    r.AddAlias("torch.nn.functional.conv_transpose" + d + "d", "torch.conv_transpose" + d + "d");
  }
  r.AddLayer({"torch.nn.ConvTranspose1d", kLayerSig, ConvTransposeInit<1>, ConvTransposeForward<1>,
              "input, output_size=None"});
  r.AddLayer({"torch.nn.ConvTranspose2d", kLayerSig, ConvTransposeInit<2>, ConvTransposeForward<2>,
              "input, output_size=None"});
  r.AddLayer({"torch.nn.ConvTranspose3d", kLayerSig, ConvTransposeInit<3>, ConvTransposeForward<3>,
              "input, output_size=None"});
}

}  // namespace shapelint::rules
