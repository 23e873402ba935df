#include "analyzer/interp/module_tree.h"

#include "absl/container/flat_hash_set.h"

namespace shapelint::interp {

namespace {

void Walk(InstanceValue* m, const std::string& path, const std::string& parent,
          absl::flat_hash_set<InstanceValue*>* seen, std::vector<ModuleEntry>* out) {
  if (!seen->insert(m).second) return;
  out->push_back({path, parent, m});
  for (const auto& [name, child] : m->module->children) {
    if (!IsModuleInstance(child)) continue;  // a child set to None
    Walk(As<InstanceValue>(child), path.empty() ? name : path + "." + name, path, seen, out);
  }
}

}  // namespace

std::vector<ModuleEntry> NamedModules(const ValuePtr& root) {
  std::vector<ModuleEntry> out;
  if (!IsModuleInstance(root)) return out;
  absl::flat_hash_set<InstanceValue*> seen;
  Walk(As<InstanceValue>(root), "", "", &seen, &out);
  return out;
}

}  // namespace shapelint::interp
