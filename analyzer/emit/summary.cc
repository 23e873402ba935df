#include "analyzer/emit/summary.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace shapelint::emit {

using interp::As;
using interp::Dim;

namespace {

Dim Numel(const interp::ValuePtr& v) {
  if (!interp::Is(v, interp::ValueKind::kTensor)) return 0;
  auto* t = As<interp::TensorValue>(v);
  if (!t->rank_known) return 0;
  Dim n = 1;
  for (const auto& d : t->dims) n = n * d;
  return n;
}

// SubtreeParams: each parameter tensor once in the subtree of `m`.
Dim SubtreeParams(interp::InstanceValue* m, absl::flat_hash_set<const interp::Value*>* seen_params,
                  absl::flat_hash_set<const interp::InstanceValue*>* seen_modules) {
  if (!seen_modules->insert(m).second) return 0;
  Dim total = 0;
  for (const auto& p : m->module->params) {
    if (!interp::Is(p.value, interp::ValueKind::kTensor)) continue;
    if (seen_params->insert(p.value.get()).second) total = total + Numel(p.value);
  }
  for (const auto& [n, c] : m->module->children) {
    if (interp::IsModuleInstance(c)) total = total + SubtreeParams(As<interp::InstanceValue>(c), seen_params, seen_modules);
  }
  return total;
}

Dim SubtreeMacs(interp::InstanceValue* m, absl::flat_hash_set<const interp::InstanceValue*>* seen) {
  if (!seen->insert(m).second) return 0;
  Dim total = m->module->macs;
  for (const auto& [n, c] : m->module->children) {
    if (interp::IsModuleInstance(c)) total = total + SubtreeMacs(As<interp::InstanceValue>(c), seen);
  }
  return total;
}

std::string Grouped(const Dim& d) {
  if (!d.is_const()) return d.ToString();
  std::string s = std::to_string(d.value());
  std::string out;
  int n = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it) {
    if (n && n % 3 == 0 && *it != '-') out.insert(out.begin(), ',');
    out.insert(out.begin(), *it);
    ++n;
  }
  return out;
}

}  // namespace

nlohmann::ordered_json DimJson(const Dim& d) {
  if (d.is_const()) return d.value();
  return d.ToString();
}

ModelStats ComputeStats(const interp::ValuePtr& root) {
  ModelStats stats;
  for (const auto& e : interp::NamedModules(root)) {
    ModuleStats ms;
    ms.entry = e;
    ms.depth = e.path.empty() ? 0 : static_cast<int>(std::count(e.path.begin(), e.path.end(), '.')) + 1;
    for (const auto& p : e.module->module->params) ms.own_params = ms.own_params + Numel(p.value);
    absl::flat_hash_set<const interp::Value*> seen_params;
    absl::flat_hash_set<const interp::InstanceValue*> seen_modules, seen_macs;
    ms.params = SubtreeParams(e.module, &seen_params, &seen_modules);
    ms.macs = SubtreeMacs(e.module, &seen_macs);
    stats.modules.push_back(std::move(ms));
  }
  if (!stats.modules.empty()) {
    stats.total_params = stats.modules[0].params;
    stats.macs = stats.modules[0].macs;
    // Trainable: parameters whose requires_grad was not switched off.
    absl::flat_hash_set<const interp::Value*> seen;
    for (const auto& ms : stats.modules) {
      for (const auto& p : ms.entry.module->module->params) {
        if (!interp::Is(p.value, interp::ValueKind::kTensor) || !seen.insert(p.value.get()).second) continue;
        if (As<interp::TensorValue>(p.value)->requires_grad) stats.trainable_params = stats.trainable_params + Numel(p.value);
      }
    }
  }
  return stats;
}

std::string FormatSummaryText(const ModelStats& stats, const std::string& input_desc) {
  struct Row {
    std::string name, shape, params, macs;
  };
  std::vector<Row> rows;
  for (const auto& ms : stats.modules) {
    const auto* st = ms.entry.module->module.get();
    std::string label = ms.entry.path.empty() ? ms.entry.module->cls->name
                                              : ms.entry.path.substr(ms.entry.path.rfind('.') + 1);
    std::string name = std::string(static_cast<size_t>(ms.depth) * 2, ' ') +
                       (ms.depth ? "└─" : "") + (ms.entry.path.empty() ? label : label + " (" + ms.entry.module->cls->name + ")");
    std::string shape;
    for (size_t i = 0; i < st->outputs.size(); ++i) {
      if (i) shape += ", ";
      shape += "[" + st->outputs[i].shape + "]";
    }
    if (!st->called) shape = "--";
    std::string params = ms.params.Identical(0) ? "--" : Grouped(ms.params);
    std::string macs = ms.macs.Identical(0) ? "--" : Grouped(ms.macs);
    rows.push_back({name, shape, params, macs});
  }
  size_t w0 = 30, w1 = 26, w2 = 15, w3 = 18;
  for (const auto& r : rows) {
    w0 = std::max(w0, r.name.size() - (r.name.find("└─") != std::string::npos ? 2 : 0) + 2);
    w1 = std::max(w1, r.shape.size() + 2);
  }
  auto pad = [](const std::string& s, size_t w, bool right) {
    size_t visible = s.size();
    if (s.find("└─") != std::string::npos) visible -= 4;  // the box glyphs are 3 bytes, 1 column
    if (visible >= w) return s;
    return right ? std::string(w - visible, ' ') + s : s + std::string(w - visible, ' ');
  };
  std::string line(w0 + w1 + w2 + w3, '=');
  std::string out = line + "\n";
  out += pad("Layer (type)", w0, false) + pad("Output Shape", w1, false) + pad("Param #", w2, true) +
         pad("Mult-Adds", w3, true) + "\n" + line + "\n";
  for (const auto& r : rows) out += pad(r.name, w0, false) + pad(r.shape, w1, false) + pad(r.params, w2, true) + pad(r.macs, w3, true) + "\n";
  out += line + "\n";
  out += "Total params: " + Grouped(stats.total_params) + "\n";
  out += "Trainable params: " + Grouped(stats.trainable_params) + "\n";
  out += "Non-trainable params: " + Grouped(stats.total_params - stats.trainable_params) + "\n";
  if (stats.macs.is_const()) {
    out += absl::StrFormat("Total mult-adds (G): %.3f\n", static_cast<double>(stats.macs.value()) / 1e9);
  } else {
    out += "Total mult-adds: " + stats.macs.ToString() + "\n";
  }
  out += line + "\n";
  if (!input_desc.empty()) out += "Input: " + input_desc + "\n";
  return out;
}

nlohmann::ordered_json SummaryJson(const ModelStats& stats) {
  nlohmann::ordered_json j;
  j["total_params"] = DimJson(stats.total_params);
  j["trainable_params"] = DimJson(stats.trainable_params);
  j["non_trainable_params"] = DimJson(stats.total_params - stats.trainable_params);
  j["macs"] = DimJson(stats.macs);
  nlohmann::ordered_json mods = nlohmann::ordered_json::array();
  for (const auto& ms : stats.modules) {
    nlohmann::ordered_json m;
    m["module_path"] = ms.entry.path.empty() ? "(root)" : ms.entry.path;
    m["class_name"] = ms.entry.module->cls->name;
    m["depth"] = ms.depth;
    nlohmann::ordered_json shapes = nlohmann::ordered_json::array();
    for (const auto& o : ms.entry.module->module->outputs) shapes.push_back(o.shape);
    m["output_shapes"] = shapes;
    m["params"] = DimJson(ms.params);
    m["macs"] = DimJson(ms.macs);
    mods.push_back(m);
  }
  j["modules"] = mods;
  return j;
}

}  // namespace shapelint::emit
