#include "rules/registry.h"

#include "rules/keras/bundle.h"

#include "rules/torch/common.h"

namespace shapelint::rules {

absl::Status RegisterAllRules(ops::OpRegistry& r) {
  RegisterTorchNnModule(r);
  RegisterTorchNnLinear(r);
  RegisterTorchNnConv(r);
  RegisterTorchNnPool(r);
  RegisterTorchNnNorm(r);
  RegisterTorchNnActivation(r);
  RegisterTorchNnEmbedding(r);
  RegisterTorchTensorView(r);
  RegisterTorchPointwise(r);
  RegisterTorchCreation(r);
  RegisterTorchConstant(r);
  RegisterNumpy(r);
  RegisterTorchNnAttention(r);
  RegisterTorchNnGroupNorm(r);
  RegisterTorchNnConvTranspose(r);
  RegisterTorchNnAdaptiveMaxPool(r);
  RegisterTorchNnHardtanh(r);
  RegisterTorchNnDropout(r);
  RegisterTorchReduction(r);
  RegisterTorchSplitStack(r);
  RegisterTorchExpandRepeat(r);
  RegisterTorchNnPadInterpolate(r);
  RegisterTorchSelectCast(r);
  RegisterTorchEinsum(r);
  RegisterTorchInplaceFill(r);
  RegisterTorchNewTensor(r);
  RegisterTorchMoveAxes(r);
  RegisterTorchFlipTriUnflatten(r);
  RegisterKeras(r);
  return r.Finalize();
}

}  // namespace shapelint::rules
