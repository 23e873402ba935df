// attention.cc: nn.MultiheadAttention and F.multi_head_attention_forward
// (torch 1.13). Under the reference's TorchFunctionMode the module never takes
// its fast path (torch._native_multi_head_attention): has_torch_function is
// true for every argument, so torch records the functional op, plus the
// transposes a batch_first module makes around it. The op returns
// (attn_output, attn_weights); with need_weights=False the weights are None,
// and a result holding a None is not recorded.
#include "absl/strings/str_cat.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

using interp::As;
using interp::Is;
using interp::Tri;
using interp::ValueKind;

bool Differ(const Dim& a, const Dim& b) { return Dim::Equal(a, b) == Tri::kFalse; }

// Mismatch: a shape-mismatch finding whose sizes are spelled out as text.
Finding Mismatch(OpCall& c, const std::string& what, const std::string& expected, const std::string& actual,
                 const std::string& detail) {
  Finding f = ShapeMismatch(c, what, 0, 0, detail);
  f.expected = expected;
  f.actual = actual;
  return f;
}

ValuePtr MhaOp(OpCall& c) {
  TensorValue* q = c.Tensor("query");
  TensorValue* k = c.Tensor("key");
  TensorValue* v = c.Tensor("value");
  bool need_weights = c.Bool("need_weights").value_or(true);
  bool average = c.Bool("average_attn_weights").value_or(true);
  if (!need_weights) c.SkipRecord();  // (attn_output, None)
  auto unknown = [&]() -> ValuePtr {
    return c.Finish(interp::MakeTuple({UnknownTensor(), need_weights ? UnknownTensor() : interp::MakeNone()}));
  };
  const auto* qd = DimsOf(q);
  const auto* kd = DimsOf(k);
  const auto* vd = DimsOf(v);
  if (!qd || !kd || !vd) return unknown();
  std::string shapes = absl::StrCat("query ", ops::ShapeString(*qd), ", key ", ops::ShapeString(*kd), ", value ",
                                    ops::ShapeString(*vd));
  if (qd->size() != 2 && qd->size() != 3) {
    return c.Fail(ShapeMismatch(c, "query rank", 3, static_cast<int64_t>(qd->size()),
                                "query should be unbatched 2D or batched 3D; " + shapes));
  }
  bool batched = qd->size() == 3;
  if (kd->size() != qd->size() || vd->size() != qd->size()) {
    const auto* bad = kd->size() != qd->size() ? kd : vd;
    return c.Fail(ShapeMismatch(c, kd->size() != qd->size() ? "key rank" : "value rank",
                                static_cast<int64_t>(qd->size()), static_cast<int64_t>(bad->size()),
                                "key and value must have the query's rank; " + shapes));
  }
  // Pretend batched: (L, N, E) with N = 1 for unbatched inputs.
  auto batch = [&](const std::vector<Dim>& d) {
    return batched ? d : std::vector<Dim>{d[0], 1, d[1]};
  };
  std::vector<Dim> q3 = batch(*qd), k3 = batch(*kd), v3 = batch(*vd);
  const Dim &L = q3[0], &N = q3[1], &E = q3[2], &S = k3[0];
  auto e_check = c.DimArg("embed_dim_to_check");
  auto heads = c.DimArg("num_heads");
  if (!e_check || !heads) return unknown();
  if (Differ(E, *e_check)) {
    // (The shapes here are sequence-first, after a batch_first layer's
    // transpose; the user's tensors are not, so only the dimension is named.)
    return c.Fail(ShapeMismatch(c, "embed_dim", *e_check, E, "the query's last dimension"));
  }
  auto head_dim = Dim::FloorDiv(E, *heads);
  if (head_dim && Differ(*head_dim * *heads, E)) {
    return c.Fail(Mismatch(c, "embed_dim", absl::StrCat("a multiple of num_heads (", heads->ToString(), ")"),
                           E.ToString(), "embed_dim must be divisible by num_heads; " + shapes));
  }
  bool separate = c.Bool("use_separate_proj_weight").value_or(false);
  size_t same = separate ? 2 : 3;
  for (size_t i = 0; i < same; ++i) {
    if (Differ(k3[i], v3[i])) {
      return c.Fail(ShapeMismatch(c, i == 0 ? "value sequence length" : i == 1 ? "value batch size" : "vdim",
                                  k3[i], v3[i],
                                  separate ? "key's sequence and batch dims must match value's; " + shapes
                                           : "key shape must match value shape; " + shapes));
    }
  }
  if (Differ(k3[1], N)) {
    return c.Fail(
        ShapeMismatch(c, "key batch size", N, k3[1], "key's batch dimension differs from query's; " + shapes));
  }
  // In-projection: packed [3E, E] weights (key and value have E features)
  // or separate [E, kdim] / [E, vdim] ones.
  Dim macs = 0;
  if (!separate) {
    const auto* wd = DimsOf(c.Tensor("in_proj_weight"));
    if (wd && wd->size() == 2) {
      const Dim& in = (*wd)[1];
      if (Differ(E, in)) return c.Fail(ShapeMismatch(c, "embed_dim", in, E, "query's last dimension; " + shapes));
      if (Differ(k3[2], in)) return c.Fail(ShapeMismatch(c, "kdim", in, k3[2], "key's last dimension; " + shapes));
    }
    macs = L * N * E * E + S * N * E * k3[2] * 2;
  } else {
    const char* names[] = {"q_proj_weight", "k_proj_weight", "v_proj_weight"};
    const std::vector<Dim>* ins[] = {&q3, &k3, &v3};
    const char* subjects[] = {"embed_dim", "kdim", "vdim"};
    for (int i = 0; i < 3; ++i) {
      const auto* wd = DimsOf(c.Tensor(names[i]));
      if (!wd || wd->size() != 2) continue;
      const Dim& got = (*ins[i])[2];
      if (Differ((*wd)[1], got)) {
        return c.Fail(ShapeMismatch(c, subjects[i], (*wd)[1], got,
                                    absl::StrCat(names[i], " is ", ops::ShapeString(*wd), "; ", shapes)));
      }
    }
    macs = L * N * E * E + S * N * E * k3[2] + S * N * E * v3[2];
  }
  // Masks are checked against the source length before bias_k / zero-attn padding.
  if (const auto* md = DimsOf(c.Tensor("attn_mask"))) {
    std::vector<Dim> want;
    if (md->size() == 2) want = {L, S};
    else if (md->size() == 3) want = {N * *heads, L, S};
    if (want.empty()) {
      return c.Fail(ShapeMismatch(c, "attn_mask rank", 3, static_cast<int64_t>(md->size()),
                                  "attn_mask must be 2D or 3D; attn_mask " + ops::ShapeString(*md)));
    }
    for (size_t i = 0; i < want.size(); ++i) {
      if (Differ((*md)[i], want[i])) {
        return c.Fail(Mismatch(c, "attn_mask", ops::ShapeString(want), ops::ShapeString(*md),
                               "attn_mask shape; " + shapes));
      }
    }
  }
  Dim src = S;
  if (c.Tensor("bias_k") && c.Tensor("bias_v")) src = src + 1;
  if (c.Bool("add_zero_attn").value_or(false)) src = src + 1;
  if (const auto* pd = DimsOf(c.Tensor("key_padding_mask"))) {
    std::vector<Dim> want = batched ? std::vector<Dim>{N, S} : std::vector<Dim>{S};
    if (pd->size() != want.size() || Differ((*pd)[0], want[0]) || Differ(pd->back(), want.back())) {
      return c.Fail(Mismatch(c, "key_padding_mask", ops::ShapeString(want), ops::ShapeString(*pd),
                             "key_padding_mask shape; " + shapes));
    }
  }
  // QK^T and attention-weighted values: N*H heads of [L, hd] x [hd, S'], then
  // [L, S'] x [S', hd]; and the out-projection.
  macs = macs + N * L * src * E * 2 + L * N * E * E;
  c.in().AddMacs(macs);
  std::vector<Dim> out = batched ? std::vector<Dim>{L, N, E} : std::vector<Dim>{L, E};
  ValuePtr weights = interp::MakeNone();
  if (need_weights) {
    std::vector<Dim> w = average ? std::vector<Dim>{N, L, src} : std::vector<Dim>{N, *heads, L, src};
    if (!batched) w.erase(w.begin());
    weights = MakeTensor(w, q->dtype);
  }
  return c.Finish(interp::MakeTuple({MakeTensor(out, q->dtype), weights}));
}

void MhaInit(LayerInit& l) {
  auto e = l.DimArg("embed_dim");
  auto h = l.DimArg("num_heads");
  ValuePtr kdim = l.IsNone("kdim") ? l.Get("embed_dim") : l.Get("kdim");
  ValuePtr vdim = l.IsNone("vdim") ? l.Get("embed_dim") : l.Get("vdim");
  auto kd = interp::AsDim(kdim), vd = interp::AsDim(vdim);
  l.Keep("embed_dim");
  l.SetAttr("kdim", kdim);
  l.SetAttr("vdim", vdim);
  Tri same = Tri::kUnknown;
  if (e && kd && vd) {
    Tri a = Dim::Equal(*kd, *e), b = Dim::Equal(*vd, *e);
    same = a == Tri::kFalse || b == Tri::kFalse ? Tri::kFalse
           : a == Tri::kTrue && b == Tri::kTrue ? Tri::kTrue
                                                 : Tri::kUnknown;
  }
  l.SetAttr("_qkv_same_embed_dim", same == Tri::kUnknown ? interp::MakeUnknown("_qkv_same_embed_dim")
                                                          : interp::MakeBool(same == Tri::kTrue));
  l.Keep("num_heads");
  l.Keep("dropout");
  l.Keep("batch_first");
  std::optional<Dim> head_dim = e && h ? Dim::FloorDiv(*e, *h) : std::nullopt;
  l.SetAttr("head_dim", head_dim ? interp::MakeInt(*head_dim) : interp::MakeUnknown("head_dim"));
  if (head_dim && Dim::Equal(*head_dim * *h, *e) == Tri::kFalse) {
    // torch: assert self.head_dim * num_heads == self.embed_dim
    Finding f;
    f.kind = FindingKind::kShapeMismatch;
    f.subject = "embed_dim";
    f.expected = absl::StrCat("a multiple of num_heads (", h->ToString(), ")");
    f.actual = e->ToString();
    f.detail = "embed_dim must be divisible by num_heads";
    l.in().Report(std::move(f));
  }
  Dim E = e ? *e : FreshDim();
  if (same == Tri::kFalse) {
    l.AddParam("q_proj_weight", {E, E});
    l.AddParam("k_proj_weight", {E, kd ? *kd : FreshDim()});
    l.AddParam("v_proj_weight", {E, vd ? *vd : FreshDim()});
    l.AddNoneParam("in_proj_weight");
  } else {
    l.AddParam("in_proj_weight", {E * 3, E});
    l.AddNoneParam("q_proj_weight");
    l.AddNoneParam("k_proj_weight");
    l.AddNoneParam("v_proj_weight");
  }
  bool bias = l.Bool("bias").value_or(true);
  if (bias) l.AddParam("in_proj_bias", {E * 3});
  else l.AddNoneParam("in_proj_bias");
  // self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias)
  interp::Interpreter& in = l.in();
  ValuePtr cls = in.ResolveModeled("torch.nn.modules.linear.NonDynamicallyQuantizableLinear", in.CallSite());
  interp::Args args;
  args.positional = {l.Get("embed_dim"), l.Get("embed_dim")};
  args.keywords = {{"bias", interp::MakeBool(bias)}};
  ValuePtr out_proj = in.Call(cls, std::move(args), in.CallSite());
  if (interp::IsModuleInstance(out_proj)) in.RegisterChild(l.self(), "out_proj", out_proj);
  if (l.Bool("add_bias_kv").value_or(false)) {
    l.AddParam("bias_k", {1, 1, E});
    l.AddParam("bias_v", {1, 1, E});
  } else {
    l.SetAttr("bias_k", interp::MakeNone());
    l.SetAttr("bias_v", interp::MakeNone());
  }
  l.Keep("add_zero_attn");
}

ValuePtr MhaForward(LayerCall& l) {
  interp::Interpreter& in = l.in();
  ValuePtr query = l.Get("query"), key = l.Get("key"), value = l.Get("value");
  const auto* qd = DimsOf(l.Tensor("query"));
  bool batched = qd && qd->size() == 3;
  bool batch_first = interp::Truthy(l.Attr("batch_first")) == Tri::kTrue;
  // As torch: transpose each distinct tensor once (keeping `is` identity).
  if (batch_first && batched) {
    auto t = [&](const ValuePtr& x) {
      return l.CallOp("torch.Tensor.transpose", {x, interp::MakeInt(1), interp::MakeInt(0)});
    };
    if (key == value) {
      if (query == key) {
        query = key = value = t(query);
      } else {
        query = t(query);
        key = value = t(key);
      }
    } else {
      query = t(query);
      key = t(key);
      value = t(value);
    }
  }
  ValuePtr out_proj = l.Attr("out_proj");
  ValuePtr out_w = in.GetAttr(out_proj, "weight", in.CallSite());
  ValuePtr out_b = in.GetAttr(out_proj, "bias", in.CallSite());
  std::vector<ValuePtr> pos = {query, key, value, l.Attr("embed_dim"), l.Attr("num_heads"),
                               l.Attr("in_proj_weight"), l.Attr("in_proj_bias"), l.Attr("bias_k"),
                               l.Attr("bias_v"), l.Attr("add_zero_attn"), l.Attr("dropout"), out_w, out_b};
  std::vector<std::pair<std::string, ValuePtr>> kw = {
      {"training", l.Attr("training")},         {"key_padding_mask", l.Get("key_padding_mask")},
      {"need_weights", l.Get("need_weights")}, {"attn_mask", l.Get("attn_mask")}};
  if (interp::Truthy(l.Attr("_qkv_same_embed_dim")) == Tri::kFalse) {
    kw.emplace_back("use_separate_proj_weight", interp::MakeBool(true));
    kw.emplace_back("q_proj_weight", l.Attr("q_proj_weight"));
    kw.emplace_back("k_proj_weight", l.Attr("k_proj_weight"));
    kw.emplace_back("v_proj_weight", l.Attr("v_proj_weight"));
  }
  kw.emplace_back("average_attn_weights", l.Get("average_attn_weights"));
  ValuePtr r = l.CallOp("torch.nn.functional.multi_head_attention_forward", std::move(pos), std::move(kw));
  if (!(batch_first && batched)) return r;
  if (!interp::IsSeq(r) || As<interp::SeqValue>(r)->items.size() != 2) return r;
  const auto& items = As<interp::SeqValue>(r)->items;
  ValuePtr out = items[0];
  if (Is(out, ValueKind::kTensor)) {
    out = l.CallOp("torch.Tensor.transpose", {out, interp::MakeInt(1), interp::MakeInt(0)});
  }
  return interp::MakeTuple({out, items[1]});
}

// NonDynamicallyQuantizableLinear: a Linear subclass torch uses only for
// MultiheadAttention.out_proj (never called: MHA reads its weight and bias).
void NdqLinearInit(LayerInit& l) {
  l.Keep("in_features");
  l.Keep("out_features");
  auto in = l.DimArg("in_features"), out = l.DimArg("out_features");
  l.AddParam("weight", {out ? *out : FreshDim(), in ? *in : FreshDim()});
  if (l.Bool("bias").value_or(true)) l.AddParam("bias", {out ? *out : FreshDim()});
  else l.AddNoneParam("bias");
}

ValuePtr NdqLinearForward(LayerCall& l) {
  return l.CallOp("torch.nn.functional.linear", {l.Get("input"), l.Attr("weight"), l.Attr("bias")});
}

constexpr const char* kMhaOpSig =
    "query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check, num_heads, "
    "in_proj_weight: Optional[Tensor], in_proj_bias: Optional[Tensor], bias_k: Optional[Tensor], "
    "bias_v: Optional[Tensor], add_zero_attn, dropout_p, out_proj_weight: Tensor, "
    "out_proj_bias: Optional[Tensor], training=True, key_padding_mask: Optional[Tensor] = None, "
    "need_weights=True, attn_mask: Optional[Tensor] = None, use_separate_proj_weight=False, "
    "q_proj_weight: Optional[Tensor] = None, k_proj_weight: Optional[Tensor] = None, "
    "v_proj_weight: Optional[Tensor] = None, static_k: Optional[Tensor] = None, "
    "static_v: Optional[Tensor] = None, average_attn_weights=True";

}  // namespace

void RegisterTorchNnAttention(OpRegistry& r) {
  r.AddOp({"torch.nn.functional.multi_head_attention_forward", kMhaOpSig, MhaOp});
  r.AddLayer({"torch.nn.MultiheadAttention",
              "embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False, "
              "kdim=None, vdim=None, batch_first=False, device=None, dtype=None",
              MhaInit, MhaForward,
              "query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None, "
              "average_attn_weights=True"});
  r.AddAlias("torch.nn.modules.activation.MultiheadAttention", "torch.nn.MultiheadAttention");
  r.AddLayer({"torch.nn.modules.linear.NonDynamicallyQuantizableLinear",
              "in_features, out_features, bias=True, device=None, dtype=None", NdqLinearInit, NdqLinearForward});
}

}  // namespace shapelint::rules
