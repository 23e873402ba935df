#include "analyzer/ops/shape_util.h"

namespace shapelint::ops {

std::string ShapeString(const std::vector<Dim>& dims) {
  std::string out;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i) out += 'x';
    out += dims[i].ToShapeString();
  }
  return out;
}

std::string ShapeString(const interp::TensorValue& t) { return t.ShapeString(); }

std::optional<Dim> ConvOutput(const Dim& in, const Dim& kernel, const Dim& stride, const Dim& pad,
                              const Dim& dilation, bool ceil_mode) {
  if (!stride.is_const() || stride.value() <= 0) return std::nullopt;
  Dim span = in + pad * 2 - dilation * (kernel - 1) - 1;
  if (!ceil_mode) {
    auto q = Dim::FloorDiv(span, stride);
    if (!q) return std::nullopt;
    return *q + 1;
  }
  auto q = Dim::FloorDiv(span + stride - 1, stride);
  if (!q) return std::nullopt;
  Dim out = *q + 1;
  // The last pooling window must start inside the input or the left padding.
  Dim last_start = (out - 1) * stride;
  Dim limit = in + pad;
  Dim diff = last_start - limit;
  if (diff.is_const()) {
    if (diff.value() >= 0) out = out - 1;
  } else if (!in.is_const()) {
    return std::nullopt;  // depends on the value: not expressible exactly here
  }
  return out;
}

BroadcastResult Broadcast(const std::vector<Dim>& a, const std::vector<Dim>& b) {
  BroadcastResult r;
  size_t n = std::max(a.size(), b.size());
  r.dims.resize(n);
  for (size_t i = 0; i < n; ++i) {
    // Align from the right.
    bool has_a = i < a.size(), has_b = i < b.size();
    const Dim* da = has_a ? &a[a.size() - 1 - i] : nullptr;
    const Dim* db = has_b ? &b[b.size() - 1 - i] : nullptr;
    Dim& out = r.dims[n - 1 - i];
    if (!da) { out = *db; continue; }
    if (!db) { out = *da; continue; }
    if (da->is_const() && da->value() == 1) { out = *db; continue; }
    if (db->is_const() && db->value() == 1) { out = *da; continue; }
    interp::Tri eq = Dim::Equal(*da, *db);
    if (eq == interp::Tri::kFalse) {
      if (r.ok) {
        r.ok = false;
        r.conflict_a = static_cast<int>(a.size() - 1 - i);
        r.conflict_b = static_cast<int>(b.size() - 1 - i);
      }
      out = *da;
      continue;
    }
    // Equal, or unknown: a symbolic size may be 1; prefer the constant.
    out = db->is_const() ? *db : *da;
  }
  return r;
}

std::optional<size_t> NormalizeDim(int64_t dim, size_t rank) {
  int64_t r = static_cast<int64_t>(rank);
  if (dim < 0) dim += r;
  if (dim < 0 || dim >= std::max<int64_t>(r, 1)) return std::nullopt;
  return static_cast<size_t>(dim);
}

Dim Numel(const std::vector<Dim>& dims, size_t begin, size_t end) {
  Dim n = 1;
  for (size_t i = begin; i < dims.size() && i < end; ++i) n = n * dims[i];
  return n;
}

bool IsNegativeOrZero(const Dim& d) { return d.is_const() && d.value() <= 0; }

}  // namespace shapelint::ops
