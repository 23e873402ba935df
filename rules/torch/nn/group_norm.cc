// group_norm.cc: nn.GroupNorm / F.group_norm and nn.LocalResponseNorm /
// F.local_response_norm: normalizations over channel groups, shape-preserving.
#include "absl/strings/str_cat.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

using interp::Tri;

ValuePtr GroupNormOp(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  const auto* xd = DimsOf(x);
  auto groups = c.DimArg("num_groups");
  if (!xd) return c.Finish(UnknownTensor());
  if (xd->size() < 2) {
    return c.Fail(
        ShapeMismatch(c, "input rank", 2, static_cast<int64_t>(xd->size()),
                      "group_norm expects at least 2 dimensions (N, C, *), got shape " + ops::ShapeString(*xd)));
  }
  const Dim& ch = (*xd)[1];
  if (groups) {
    auto rem = Dim::Mod(ch, *groups);
    if (rem && Dim::Equal(*rem, 0) == Tri::kFalse) {
      Finding f =
          ShapeMismatch(c, "num_channels", 0, ch,
                        absl::StrCat("the input's channels (", ch.ToString(), ") must be divisible by num_groups (",
                                     groups->ToString(), "); input shape ", ops::ShapeString(*xd)));
      f.expected = absl::StrCat("a multiple of num_groups (", groups->ToString(), ")");
      return c.Fail(std::move(f));
    }
  }
  for (const char* p : {"weight", "bias"}) {
    const auto* pd = DimsOf(c.Tensor(p));
    if (pd && pd->size() == 1 && Dim::Equal((*pd)[0], ch) == Tri::kFalse) {
      return c.Fail(ShapeMismatch(c, "num_channels", (*pd)[0], ch, "input shape " + ops::ShapeString(*xd)));
    }
  }
  return c.Finish(SameAs(*x));
}

void GroupNormInit(LayerInit& l) {
  auto groups = l.DimArg("num_groups"), ch = l.DimArg("num_channels");
  if (groups && ch) {
    auto rem = Dim::Mod(*ch, *groups);
    if (rem && Dim::Equal(*rem, 0) == Tri::kFalse) {
      // torch: raise ValueError('num_channels must be divisible by num_groups')
      Finding f;
      f.kind = FindingKind::kShapeMismatch;
      f.subject = "num_channels";
      f.expected = absl::StrCat("a multiple of num_groups (", groups->ToString(), ")");
      f.actual = ch->ToString();
      f.detail = "num_channels must be divisible by num_groups";
      l.in().Report(std::move(f));
    }
  }
  for (const char* n : {"num_groups", "num_channels", "eps", "affine"}) l.Keep(n);
  Dim c = ch ? *ch : FreshDim();
  if (l.Bool("affine").value_or(true)) {
    l.AddParam("weight", {c});
    l.AddParam("bias", {c});
  } else {
    l.AddNoneParam("weight");
    l.AddNoneParam("bias");
  }
}

ValuePtr GroupNormForward(LayerCall& l) {
  return l.CallOp("torch.nn.functional.group_norm",
                  {l.Get("input"), l.Attr("num_groups"), l.Attr("weight"), l.Attr("bias"), l.Attr("eps")});
}

ValuePtr LocalResponseNormOp(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  const auto* xd = DimsOf(x);
  if (!xd) return c.Finish(UnknownTensor());
  if (xd->size() < 3) {
    return c.Fail(ShapeMismatch(c, "input rank", 3, static_cast<int64_t>(xd->size()),
                                "local_response_norm expects 3D or higher input, got shape " + ops::ShapeString(*xd)));
  }
  return c.Finish(SameAs(*x));
}

void LocalResponseNormInit(LayerInit& l) {
  for (const char* n : {"size", "alpha", "beta", "k"}) l.Keep(n);
}

ValuePtr LocalResponseNormForward(LayerCall& l) {
  return l.CallOp("torch.nn.functional.local_response_norm",
                  {l.Get("input"), l.Attr("size"), l.Attr("alpha"), l.Attr("beta"), l.Attr("k")});
}

}  // namespace

void RegisterTorchNnGroupNorm(OpRegistry& r) {
  r.AddOp({"torch.nn.functional.group_norm",
           "input: Tensor, num_groups, weight: Optional[Tensor] = None, bias: Optional[Tensor] = None, eps=1e-05",
           GroupNormOp});
  r.AddLayer({"torch.nn.GroupNorm", "num_groups, num_channels, eps=1e-05, affine=True, device=None, dtype=None",
              GroupNormInit, GroupNormForward});
  r.AddOp({"torch.nn.functional.local_response_norm", "input: Tensor, size, alpha=0.0001, beta=0.75, k=1.0",
           LocalResponseNormOp});
  r.AddLayer({"torch.nn.LocalResponseNorm", "size, alpha=0.0001, beta=0.75, k=1.0", LocalResponseNormInit,
              LocalResponseNormForward});
}

}  // namespace shapelint::rules
