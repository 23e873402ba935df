// shape_util.h: shape arithmetic shared by the layer rules: the conv/pool
// output formula (kept exact with floor division), broadcasting, dim
// normalization, element counts, and shape spelling ("Bx16x(H//2)x(W//2)").
#ifndef SHAPELINT_OPS_SHAPE_UTIL_H_
#define SHAPELINT_OPS_SHAPE_UTIL_H_

#include <optional>
#include <string>
#include <vector>

#include "analyzer/interp/dim.h"
#include "analyzer/interp/value.h"

namespace shapelint::ops {

using interp::Dim;

std::string ShapeString(const std::vector<Dim>& dims);
std::string ShapeString(const interp::TensorValue& t);

// ConvOutput: floor((in + 2*pad - dil*(k-1) - 1) / stride) + 1, or with
// ceil_mode the pooling rule (the last window must start inside the input or
// left padding). nullopt when stride is not a positive constant.
std::optional<Dim> ConvOutput(const Dim& in, const Dim& kernel, const Dim& stride, const Dim& pad,
                              const Dim& dilation, bool ceil_mode = false);

// Broadcast: numpy broadcasting of two shapes. `conflict` gets the first pair
// of sizes that differ for every value (and neither is 1).
struct BroadcastResult {
  std::vector<Dim> dims;
  bool ok = true;
  int conflict_a = -1, conflict_b = -1;  // indices into a and b
};
BroadcastResult Broadcast(const std::vector<Dim>& a, const std::vector<Dim>& b);

// NormalizeDim: a possibly negative dim index into [0, rank).
std::optional<size_t> NormalizeDim(int64_t dim, size_t rank);

Dim Numel(const std::vector<Dim>& dims, size_t begin = 0, size_t end = SIZE_MAX);

// IsNegative: true when a Dim is a negative constant (a window larger than
// its input).
bool IsNegativeOrZero(const Dim& d);

}  // namespace shapelint::ops

#endif  // SHAPELINT_OPS_SHAPE_UTIL_H_
