// module_tree.h: `model.named_modules()`: pre-order, registration order, the
// root included, a shared instance only under its first path.
#ifndef SHAPELINT_INTERP_MODULE_TREE_H_
#define SHAPELINT_INTERP_MODULE_TREE_H_

#include <string>
#include <vector>

#include "analyzer/interp/value.h"

namespace shapelint::interp {

struct ModuleEntry {
  std::string path;    // "" for the root, else "layer1.0.conv1"
  std::string parent;  // path of the parent ("" for top-level children and the root)
  InstanceValue* module = nullptr;
};

std::vector<ModuleEntry> NamedModules(const ValuePtr& root);

}  // namespace shapelint::interp

#endif  // SHAPELINT_INTERP_MODULE_TREE_H_
