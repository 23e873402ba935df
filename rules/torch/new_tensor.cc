// new_tensor.cc: Tensor.new_zeros / new_ones / new_empty / new_full: a new
// tensor of the given size with self's dtype unless `dtype` is given
// (torchvision's Swin builds its shift mask with x.new_zeros). `size` is
// ints or one sequence; torch records it as one list.
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

using interp::As;
using interp::DType;


ValuePtr NewTensor(OpCall& c) {
  if (c.signature().Index("requires_grad") >= 0) c.DropAttribute("requires_grad");  // Python-only keyword
  TensorValue* x = c.Tensor("self");
  ValuePtr packed = c.Get("size");
  std::optional<std::vector<Dim>> dims;
  if (interp::IsSeq(packed)) {
    auto items = As<interp::SeqValue>(packed)->items;
    if (items.size() == 1 && interp::IsSeq(items[0])) items = As<interp::SeqValue>(items[0])->items;
    c.SetAttribute("size", interp::MakeList(items));
    dims = std::vector<Dim>();
    for (const auto& i : items) {
      auto d = interp::AsDim(i);
      if (!d) {
        dims.reset();
        break;
      }
      dims->push_back(*d);
    }
  }
  DType dt = DTypeArg(c.Get("dtype")).value_or(x ? x->dtype : DType::kFloat32);
  if (!dims) return c.Finish(interp::MakeUnknownRankTensor(dt));
  return c.Finish(MakeTensor(*dims, dt));
}

constexpr const char* kKeywords = "dtype=None, layout=None, device=None, pin_memory=None, requires_grad=False";

}  // namespace

void RegisterTorchNewTensor(OpRegistry& r) {
  for (const char* n : {"new_zeros", "new_ones", "new_empty"}) {
    r.AddOp({std::string("torch.Tensor.") + n, std::string("self: Tensor, *size, ") + kKeywords, NewTensor});
  }
  r.AddOp({"torch.Tensor.new_full", std::string("self: Tensor, size, fill_value, *, ") + kKeywords, NewTensor});
}

}  // namespace shapelint::rules
