// embedding.cc: nn.Embedding / F.embedding.
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

ValuePtr EmbeddingOp(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  const auto* wd = DimsOf(c.Tensor("weight"));
  const auto* xd = DimsOf(x);
  if (!xd || !wd || wd->size() != 2) return c.Finish(UnknownTensor());
  std::vector<Dim> out = *xd;
  out.push_back((*wd)[1]);
  return c.Finish(MakeTensor(out, interp::DType::kFloat32));
}

void EmbeddingInit(LayerInit& l) {
  for (const char* n : {"num_embeddings", "embedding_dim", "padding_idx", "max_norm", "norm_type",
                        "scale_grad_by_freq", "sparse"}) {
    l.Keep(n);
  }
  auto padding_idx = l.Int("padding_idx");
  auto num = l.DimArg("num_embeddings"), dim = l.DimArg("embedding_dim");
  if (padding_idx && *padding_idx < 0 && num && num->is_const()) {
    l.SetAttr("padding_idx", interp::MakeInt(*padding_idx + num->value()));
  }
  l.AddParam("weight", {num ? *num : FreshDim(), dim ? *dim : FreshDim()});
}

ValuePtr EmbeddingForward(LayerCall& l) {
  return l.CallOp("torch.nn.functional.embedding",
                  {l.Get("input"), l.Attr("weight"), l.Attr("padding_idx"), l.Attr("max_norm"), l.Attr("norm_type"),
                   l.Attr("scale_grad_by_freq"), l.Attr("sparse")});
}

}  // namespace

void RegisterTorchNnEmbedding(OpRegistry& r) {
  r.AddOp({"torch.nn.functional.embedding",
           "input: Tensor, weight: Tensor, padding_idx=None, max_norm=None, norm_type=2.0, "
           "scale_grad_by_freq=False, sparse=False",
           EmbeddingOp});
  r.AddLayer({"torch.nn.Embedding",
              "num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0, "
              "scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False, device=None, dtype=None",
              EmbeddingInit, EmbeddingForward});
}

}  // namespace shapelint::rules
