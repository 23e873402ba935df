// registry.h: the one list of rule families. Adding a family is one file
// under rules/ and one line in registry.cc.
#ifndef SHAPELINT_RULES_REGISTRY_H_
#define SHAPELINT_RULES_REGISTRY_H_

#include "absl/status/status.h"
#include "analyzer/ops/op_registry.h"

namespace shapelint::rules {

// RegisterAllRules: every modeled API, then Finalize (parses signatures).
absl::Status RegisterAllRules(ops::OpRegistry& registry);

}  // namespace shapelint::rules

#endif  // SHAPELINT_RULES_REGISTRY_H_
