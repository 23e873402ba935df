// common.h: helpers shared by the torch rule files: the family registration
// functions, and small builders for findings and tensors.
#ifndef SHAPELINT_RULES_TORCH_COMMON_H_
#define SHAPELINT_RULES_TORCH_COMMON_H_

#include <string>
#include <vector>

#include "analyzer/ops/op_registry.h"
#include "analyzer/ops/shape_util.h"

namespace shapelint::rules {

using interp::Dim;
using interp::MakeTensor;
using interp::MakeUnknownRankTensor;
using interp::TensorValue;
using interp::ValuePtr;
using ops::LayerCall;
using ops::LayerInit;
using ops::OpCall;
using ops::OpRegistry;

void RegisterTorchNnModule(OpRegistry& r);
void RegisterTorchNnLinear(OpRegistry& r);
void RegisterTorchNnConv(OpRegistry& r);
void RegisterTorchNnPool(OpRegistry& r);
void RegisterTorchNnNorm(OpRegistry& r);
void RegisterTorchNnActivation(OpRegistry& r);
void RegisterTorchNnEmbedding(OpRegistry& r);
void RegisterTorchTensorView(OpRegistry& r);
void RegisterTorchPointwise(OpRegistry& r);
void RegisterTorchCreation(OpRegistry& r);
void RegisterTorchConstant(OpRegistry& r);
void RegisterNumpy(OpRegistry& r);
void RegisterTorchNnAttention(OpRegistry& r);
void RegisterTorchNnGroupNorm(OpRegistry& r);
void RegisterTorchNnConvTranspose(OpRegistry& r);
void RegisterTorchNnAdaptiveMaxPool(OpRegistry& r);
void RegisterTorchNnHardtanh(OpRegistry& r);
void RegisterTorchNnDropout(OpRegistry& r);
void RegisterTorchReduction(OpRegistry& r);
void RegisterTorchSplitStack(OpRegistry& r);
void RegisterTorchExpandRepeat(OpRegistry& r);
void RegisterTorchNnPadInterpolate(OpRegistry& r);
void RegisterTorchSelectCast(OpRegistry& r);
void RegisterTorchEinsum(OpRegistry& r);
void RegisterTorchInplaceFill(OpRegistry& r);
void RegisterTorchNewTensor(OpRegistry& r);
void RegisterTorchMoveAxes(OpRegistry& r);
void RegisterTorchFlipTriUnflatten(OpRegistry& r);

// AddFunctionAndMethod: registers `torch.<name>(input: Tensor, <rest>)` and
// the method `torch.Tensor.<name>(self: Tensor, <rest>)` with one rule.
void AddFunctionAndMethod(OpRegistry& r, const std::string& name, const std::string& rest, ops::OpFn fn);
// SelfOrInput: the tensor an op works on, whether called as function or method.
TensorValue* SelfOrInput(OpCall& c);

// OpDisplayName: "Tensor.view", "nn.functional.linear": the op a finding
// names when no modeled layer is running it.
std::string OpDisplayName(OpCall& call);
// ShapeMismatch: a finding that a layer/op's declared size (`what`, e.g.
// "in_features") differs from the tensor it receives, for every value of the
// unknowns. The definition span is the running layer's construction.
Finding ShapeMismatch(OpCall& call, const std::string& what, const Dim& expected, const Dim& actual,
                      const std::string& detail);
// CheckEqual: Dim::Equal(expected, actual). When that depends on the input's
// sizes (`16*(H//4)*(W//4)` against in_features 1024) it is not an error but a
// requirement on the input: an info finding (input-requirement) with a
// satisfying example ("e.g. H = W = 32"), and the op goes on as if it held.
interp::Tri CheckEqual(OpCall& call, const std::string& what, const Dim& expected, const Dim& actual);
// CheckMultiple: the same for "numel must be a multiple of `factor`" (a view's -1).
void CheckMultiple(OpCall& call, const std::string& what, const Dim& factor, const Dim& numel);
// Unknown result of an op whose input is not a known tensor.
ValuePtr UnknownTensor();
// SameShape: the result has the input's shape and dtype.
ValuePtr SameAs(const TensorValue& t);
// DimsOf: the dims of a tensor with known rank, or null.
const std::vector<Dim>* DimsOf(const TensorValue* t);
// FreshDim: a size the analysis cannot express (a view's -1 over a symbolic
// element count); distinct from every other, so it never compares equal.
Dim FreshDim();
// Constant tensors (small, fully known values) ---------------------------
// DataOf: the values of a tensor, or null.
const std::vector<double>* DataOf(const TensorValue* t);
// WithData: a tensor of `dims` holding `data` (ints are truncated for
// integer dtypes).
ValuePtr WithData(std::vector<Dim> dims, interp::DType dtype, std::vector<double> data);
bool IsIntegerDType(interp::DType d);
// DTypeArg: a `dtype=` argument (torch.float32 ...) as a DType; nullopt when absent or unknown.
std::optional<interp::DType> DTypeArg(const ValuePtr& v);
// FoldBinary: elementwise `op` ("add", "sub", "mul", "div", "pow", ...) of a
// tensor with data and a number or another tensor with data of the same
// size or one element; nullopt when the values are not all known.
std::optional<std::vector<double>> FoldBinary(const std::string& op, const TensorValue& x, const ValuePtr& other,
                                              double alpha = 1.0);
// FoldUnary: elementwise `op` ("log", "exp", "round", ...) of a tensor with data.
std::optional<std::vector<double>> FoldUnary(const std::string& op, const TensorValue& x);

// TupleOf: a Python tuple of ints (module attributes such as kernel_size).
ValuePtr TupleOf(const std::vector<Dim>& dims);
// DefSpanOfCurrentLayer: where the running modeled layer was constructed.
Span DefSpanOfCurrentLayer(ops::Bound& call);

}  // namespace shapelint::rules

#endif  // SHAPELINT_RULES_TORCH_COMMON_H_
