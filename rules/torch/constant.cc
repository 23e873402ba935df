// constant.cc: ops that turn small constant tensors back into Python values
// or keep computing on them (RegNet derives its stage widths this way):
// tolist/item, int/long/float casts, round/floor/ceil, diff.
#include <cmath>

#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

using interp::As;

ValuePtr PyNumber(double v, interp::DType dtype) {
  if (IsIntegerDType(dtype)) return interp::MakeInt(static_cast<int64_t>(v));
  return interp::MakeFloat(v);
}

// ToList: nested Python lists of the tensor's values.
ValuePtr ToList(const std::vector<double>& data, const std::vector<Dim>& dims, size_t dim, size_t* pos,
                interp::DType dtype) {
  if (dim == dims.size()) return PyNumber(data[(*pos)++], dtype);
  std::vector<ValuePtr> items;
  for (int64_t i = 0; i < dims[dim].value(); ++i) items.push_back(ToList(data, dims, dim + 1, pos, dtype));
  return interp::MakeList(std::move(items));
}

ValuePtr TolistOp(OpCall& c) {
  TensorValue* x = c.Tensor("self");
  const auto* data = DataOf(x);
  if (data == nullptr) return interp::MakeUnknown("tolist() of a tensor with unknown values");
  for (const auto& d : x->dims) if (!d.is_const()) return interp::MakeUnknown("tolist()");
  size_t pos = 0;
  return ToList(*data, x->dims, 0, &pos, x->dtype);
}

ValuePtr ItemOp(OpCall& c) {
  TensorValue* x = c.Tensor("self");
  const auto* data = DataOf(x);
  if (data == nullptr || data->size() != 1) return interp::MakeUnknown("item()");
  return PyNumber((*data)[0], x->dtype);
}

template <interp::DType kDType>
ValuePtr CastOp(OpCall& c) {
  TensorValue* x = c.Tensor("self");
  if (x == nullptr || !x->rank_known) return c.Finish(UnknownTensor());
  if (const auto* data = DataOf(x)) return c.Finish(WithData(x->dims, kDType, *data));
  return c.Finish(MakeTensor(x->dims, kDType));
}

ValuePtr RoundingOp(OpCall& c) {
  TensorValue* x = c.Tensor("input") ? c.Tensor("input") : c.Tensor("self");
  if (x == nullptr || !x->rank_known) return c.Finish(UnknownTensor());
  std::string op = c.spec().name.substr(c.spec().name.rfind('.') + 1);
  if (auto folded = FoldUnary(op, *x)) return c.Finish(WithData(x->dims, x->dtype, std::move(*folded)));
  return c.Finish(SameAs(*x));
}

ValuePtr DiffOp(OpCall& c) {
  TensorValue* x = c.Tensor("input");
  if (x == nullptr || !x->rank_known || x->dims.size() != 1) return c.Finish(UnknownTensor());
  Dim n = x->dims[0] - 1;
  if (const auto* data = DataOf(x)) {
    std::vector<double> out;
    for (size_t i = 1; i < data->size(); ++i) out.push_back((*data)[i] - (*data)[i - 1]);
    return c.Finish(WithData({n}, x->dtype, std::move(out)));
  }
  return c.Finish(MakeTensor({n}, x->dtype));
}

}  // namespace

void RegisterTorchConstant(OpRegistry& r) {
  r.AddOp({"torch.Tensor.tolist", "self: Tensor", TolistOp, /*record=*/false});
  r.AddOp({"torch.Tensor.item", "self: Tensor", ItemOp, false});
  r.AddOp({"torch.Tensor.int", "self: Tensor, memory_format=0", CastOp<interp::DType::kInt32>});
  r.AddOp({"torch.Tensor.long", "self: Tensor, memory_format=0", CastOp<interp::DType::kInt64>});
  r.AddOp({"torch.Tensor.float", "self: Tensor, memory_format=0", CastOp<interp::DType::kFloat32>});
  r.AddOp({"torch.Tensor.double", "self: Tensor, memory_format=0", CastOp<interp::DType::kFloat64>});
  r.AddOp({"torch.Tensor.bool", "self: Tensor, memory_format=0", CastOp<interp::DType::kBool>});
  for (const char* op : {"round", "floor", "ceil"}) {
    r.AddOp({std::string("torch.") + op, "input: Tensor", RoundingOp});
    r.AddOp({std::string("torch.Tensor.") + op, "self: Tensor", RoundingOp});
  }
  r.AddOp({"torch.diff", "input: Tensor, n=1, dim=-1, prepend: Optional[Tensor] = None, "
                         "append: Optional[Tensor] = None",
           DiffOp});
}

}  // namespace shapelint::rules
