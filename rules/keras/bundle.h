// bundle.h: the Python files of rules/keras/py/, embedded at build time
// (rules/CMakeLists.txt generates keras_bundle.cc).
#ifndef SHAPELINT_RULES_KERAS_BUNDLE_H_
#define SHAPELINT_RULES_KERAS_BUNDLE_H_

#include <vector>

#include "analyzer/ops/op_registry.h"

namespace shapelint::rules {

struct BundledPy {
  const char* path;  // relative to rules/keras/py: "keras/layers.py"
  const char* text;
};

const std::vector<BundledPy>& KerasBundle();

// RegisterKeras (intrinsics.cc): the bundle and the `_shapelint` intrinsics.
void RegisterKeras(ops::OpRegistry& r);

}  // namespace shapelint::rules

#endif  // SHAPELINT_RULES_KERAS_BUNDLE_H_
