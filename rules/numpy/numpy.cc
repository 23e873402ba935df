// numpy.cc: the little of numpy that model builders use to compute
// hyperparameters (MaxViT's stochastic-depth schedule is np.linspace(...)
// .tolist()). numpy is modeled, never read from source; its arrays are
// constant tensors, so .tolist() and arithmetic work as for torch.
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

ValuePtr Linspace(OpCall& c) {
  auto start = c.Number("start"), stop = c.Number("stop");
  auto num = c.Int("num");
  if (!start || !stop || !num || *num < 0 || *num > 65536) return interp::MakeUnknownRankTensor();
  bool endpoint = c.Bool("endpoint").value_or(true);
  std::vector<double> data;
  int64_t div = endpoint ? *num - 1 : *num;
  for (int64_t i = 0; i < *num; ++i)
    data.push_back(div > 0 ? *start + (*stop - *start) * static_cast<double>(i) / static_cast<double>(div) : *start);
  return WithData({*num}, interp::DType::kFloat64, std::move(data));
}

}  // namespace

void RegisterNumpy(OpRegistry& r) {
  r.AddPackage("numpy");
  r.AddOp({"numpy.linspace", "start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0", Linspace,
           /*record=*/false});
}

}  // namespace shapelint::rules
