#include "analyzer/emit/module_json.h"

#include <cmath>
#include <ctime>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "analyzer/interp/module_tree.h"

namespace shapelint::emit {

using interp::As;
using interp::Is;
using interp::ValueKind;
using interp::ValuePtr;

namespace {

// The attributes the dynamic tool reads, in its order.
constexpr const char* kParameterAttrs[] = {
    "in_channels", "out_channels", "in_features", "out_features", "kernel_size", "stride", "padding",
    "dilation", "groups", "bias", "padding_mode", "num_features", "eps", "momentum", "affine",
    "track_running_stats", "num_heads", "embed_dim", "kdim", "vdim", "batch_first", "normalized_shape",
    "elementwise_affine"};

// ModuleAttr: what getattr(module, name) gives, or null when it has none.
ValuePtr ModuleAttr(interp::InstanceValue* m, const std::string& name) {
  if (auto* p = m->module->FindParam(name)) return p->value;
  if (auto* b = m->module->FindBuffer(name)) return b->value;
  if (ValuePtr c = m->module->FindChild(name)) return c;
  if (ValuePtr v = m->attrs.Get(name)) return v;
  for (const auto& c : m->cls->mro) {
    if (c->is_native) continue;
    if (ValuePtr v = c->attrs.Get(name)) {
      if (Is(v, ValueKind::kFunction) || Is(v, ValueKind::kNative)) return nullptr;
      return v;
    }
  }
  return nullptr;
}

Json Shapes(const std::vector<interp::TensorRecord>& recs, bool dtypes) {
  Json out = Json::array();
  for (const auto& r : recs) out.push_back(dtypes ? r.dtype : r.shape);
  return out;
}

Json TensorType(const interp::TensorRecord& r) { return Json{{"shape", r.shape}, {"dtype", r.dtype}}; }

}  // namespace

Json ValueToJson(const ValuePtr& v) {
  if (!v) return nullptr;
  switch (v->kind) {
    case ValueKind::kNone: return nullptr;
    case ValueKind::kBool: return As<interp::BoolValue>(v)->value;
    case ValueKind::kInt: {
      const auto& d = As<interp::IntValue>(v)->value;
      if (d.is_const()) return d.value();
      return d.ToString();
    }
    case ValueKind::kFloat: {
      // Non-finite floats as Python's repr, as the dynamic tool writes them
      // (JSON has no inf/nan): masked_fill(mask, float("-inf")) -> "-inf".
      double d = As<interp::FloatValue>(v)->value;
      if (std::isnan(d)) return "nan";
      if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
      return d;
    }
    case ValueKind::kStr: {
      const std::string& s = As<interp::StrValue>(v)->value;
      if (absl::StartsWith(s, "torch.")) return s.substr(6);  // a dtype
      return s;
    }
    case ValueKind::kTuple:
    case ValueKind::kList: {
      Json a = Json::array();
      for (const auto& x : As<interp::SeqValue>(v)->items) a.push_back(ValueToJson(x));
      return a;
    }
    case ValueKind::kSlice: {
      auto* s = As<interp::SliceValue>(v);
      auto part = [](const ValuePtr& p) -> std::string {
        if (Is(p, ValueKind::kNone)) return "";
        return interp::Repr(p);
      };
      std::string out = part(s->lower) + ":" + part(s->upper);
      if (!Is(s->step, ValueKind::kNone)) out += ":" + part(s->step);
      return out;
    }
    case ValueKind::kTensor: return "<tensor>";
    case ValueKind::kNative:
      if (v == interp::EllipsisValue()) return "...";
      return interp::Repr(v);
    case ValueKind::kDict: {
      Json o = Json::object();
      for (auto& [k, x] : As<interp::DictValue>(v)->entries) o[interp::Str(k)] = ValueToJson(x);
      return o;
    }
    default: return nullptr;
  }
}

std::string NowIso8601() {
  std::time_t t = std::time(nullptr);
  std::tm tm;
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

std::string ModuleGroupKey(const std::string& class_name, std::vector<std::string> in_shapes,
                           std::vector<std::string> out_shapes, const Json& params) {
  std::sort(in_shapes.begin(), in_shapes.end());
  std::sort(out_shapes.begin(), out_shapes.end());
  nlohmann::json sorted_params = nlohmann::json::parse(params.dump());  // std::map: sorted keys
  return absl::StrCat(class_name, "|", nlohmann::json(in_shapes).dump(), "|", nlohmann::json(out_shapes).dump(),
                      "|", sorted_params.dump());
}

ModelJson BuildModelJson(const ValuePtr& root, const interp::Interpreter& in, const ExtractInfo& info) {
  std::vector<interp::ModuleEntry> entries = interp::NamedModules(root);
  struct Group {
    Json module;
    std::vector<std::string> occurrences;
  };
  std::vector<Group> groups;
  absl::flat_hash_map<std::string, size_t> by_key;
  absl::flat_hash_map<const interp::InstanceValue*, size_t> group_of;
  for (const auto& e : entries) {
    interp::InstanceValue* m = e.module;
    Json params = Json::object();
    for (const char* name : kParameterAttrs) {
      ValuePtr v = ModuleAttr(m, name);
      if (!v) continue;
      if (std::string(name) == "bias") {
        params[name] = !Is(v, ValueKind::kNone);
        continue;
      }
      params[name] = ValueToJson(v);
    }
    const std::string& cls = m->cls->name;
    std::string path = e.path.empty() ? "(root)" : e.path;
    size_t gi;
    bool container = cls == "Sequential" || cls == "ModuleList" || cls == "ModuleDict";
    std::vector<std::string> in_shapes, out_shapes;
    for (const auto& r : m->module->inputs) in_shapes.push_back(r.shape);
    for (const auto& r : m->module->outputs) out_shapes.push_back(r.shape);
    std::string key = ModuleGroupKey(cls, std::move(in_shapes), std::move(out_shapes), params);
    auto it = container ? by_key.end() : by_key.find(key);
    if (it != by_key.end()) {
      gi = it->second;
      groups[gi].occurrences.push_back(path);
    } else {
      gi = groups.size();
      Group g;
      g.module["id"] = absl::StrCat("mod_", absl::Dec(gi, absl::kZeroPad3));
      g.module["class_name"] = cls;
      g.module["module_path"] = path;
      g.module["parent"] = e.path.empty() ? Json(nullptr) : Json(e.parent.empty() ? "(root)" : e.parent);
      g.module["input_shapes"] = Shapes(m->module->inputs, false);
      g.module["output_shapes"] = Shapes(m->module->outputs, false);
      g.module["input_dtypes"] = Shapes(m->module->inputs, true);
      g.module["output_dtypes"] = Shapes(m->module->outputs, true);
      g.module["parameters"] = params;
      g.occurrences.push_back(path);
      groups.push_back(std::move(g));
      if (!container) by_key[key] = gi;
    }
    group_of[m] = gi;
  }
  ModelJson out;
  Json modules = Json::array();
  for (auto& g : groups) {
    g.module["occurrences"] = g.occurrences;
    modules.push_back(std::move(g.module));
  }
  std::string model_class = entries.empty() ? "" : entries[0].module->cls->name;
  out.unique_modules["metadata"] = Json{{"load_fn_location", info.load_fn_location},
                                        {"load_fn_name", info.load_fn_name},
                                        {"model_class", model_class},
                                        {"total_modules", entries.size()},
                                        {"unique_modules", groups.size()},
                                        {"timestamp", info.timestamp},
                                        {"analyzer", info.analyzer},
                                        {"mode", "static"}};
  out.unique_modules["modules"] = std::move(modules);

  // Ops: unique by name + attributes + input/output shapes.
  struct OpGroup {
    Json op;
    Json occurrences = Json::array();
  };
  std::vector<OpGroup> op_groups;
  absl::flat_hash_map<std::string, size_t> op_by_key;
  for (const auto& r : in.ops()) {
    Json attrs = Json::object();
    for (const auto& [k, v] : r.attributes) attrs[k] = ValueToJson(v);
    auto mod_it = group_of.find(r.module);
    Json mod_id = mod_it == group_of.end() ? Json(nullptr)
                                           : Json(absl::StrCat("mod_", absl::Dec(mod_it->second, absl::kZeroPad3)));
    Json occ = {{"source_module_id", mod_id}, {"node_name", r.node_name}};
    std::string key = r.op_name + "|" + nlohmann::json(attrs).dump();
    for (const auto& t : r.inputs) absl::StrAppend(&key, "|i", t.shape);
    for (const auto& t : r.outputs) absl::StrAppend(&key, "|o", t.shape);
    auto it = op_by_key.find(key);
    if (it != op_by_key.end()) {
      op_groups[it->second].occurrences.push_back(occ);
      continue;
    }
    OpGroup g;
    g.op["id"] = absl::StrCat("op_", absl::Dec(op_groups.size(), absl::kZeroPad3));
    g.op["op_name"] = r.op_name;
    g.op["source_module_id"] = mod_id;
    g.op["source_module_class"] = r.module ? r.module->cls->name : "";
    g.op["attributes"] = attrs;
    Json tt = Json::object();
    Json inputs = Json::array();
    for (const auto& t : r.inputs) inputs.push_back(TensorType(t));
    tt["inputs"] = inputs;
    if (!r.outputs.empty()) tt["output"] = TensorType(r.outputs[0]);
    if (r.outputs.size() > 1) {
      Json outs = Json::array();
      for (const auto& t : r.outputs) outs.push_back(TensorType(t));
      tt["outputs"] = outs;
    }
    g.op["tensor_types"] = tt;
    g.occurrences.push_back(occ);
    op_by_key[key] = op_groups.size();
    op_groups.push_back(std::move(g));
  }
  Json ops = Json::array();
  for (auto& g : op_groups) {
    g.op["occurrences"] = g.occurrences;
    ops.push_back(std::move(g.op));
  }
  out.pytorch_ops["metadata"] = Json{{"source_modules_json", "unique_modules.json"},
                                     {"total_ops", in.ops().size()},
                                     {"unique_ops", op_groups.size()},
                                     {"timestamp", info.timestamp},
                                     {"analyzer", info.analyzer},
                                     {"mode", "static"}};
  out.pytorch_ops["ops"] = std::move(ops);
  return out;
}

}  // namespace shapelint::emit
