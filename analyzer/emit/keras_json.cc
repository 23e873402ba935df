#include "analyzer/emit/keras_json.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace shapelint::emit {


ModelJson BuildKerasModelJson(const Json& entries, const ExtractInfo& info) {
  ModelJson out;
  Json modules = Json::array();
  absl::flat_hash_map<std::string, size_t> by_key;
  for (const auto& e : entries) {
    std::string key = ModuleGroupKey(e["class_name"].get<std::string>(),
                                     e.value("input_shapes", std::vector<std::string>{}),
                                     e.value("output_shapes", std::vector<std::string>{}), e["parameters"]);
    auto it = by_key.find(key);
    if (it != by_key.end() && e["module_path"] != "(root)") {
      modules[it->second]["occurrences"].push_back(e["module_path"]);
      continue;
    }
    by_key[key] = modules.size();
    Json m;
    m["id"] = absl::StrCat("mod_", absl::Dec(modules.size(), absl::kZeroPad3));
    m["class_name"] = e["class_name"];
    m["module_path"] = e["module_path"];
    m["parent"] = e["parent"];
    m["input_shapes"] = e["input_shapes"];
    m["output_shapes"] = e["output_shapes"];
    m["input_dtypes"] = Json(std::vector<std::string>(e["input_shapes"].size(), "float32"));
    m["output_dtypes"] = Json(std::vector<std::string>(e["output_shapes"].size(), "float32"));
    m["parameters"] = e["parameters"];
    m["occurrences"] = Json::array({e["module_path"]});
    modules.push_back(std::move(m));
  }
  const Json& root = entries.at(0);
  Json meta;
  meta["load_fn_location"] = info.load_fn_location;
  meta["load_fn_name"] = info.load_fn_name;
  meta["model_class"] = root["class_name"];
  meta["total_modules"] = entries.size();
  meta["unique_modules"] = modules.size();
  meta["timestamp"] = info.timestamp;
  meta["analyzer"] = info.analyzer;
  meta["mode"] = "static";
  meta["framework"] = "keras";
  meta["total_params"] = root["params"];
  meta["trainable_params"] = root["trainable"];
  meta["non_trainable_params"] = root["non_trainable"];
  out.unique_modules["metadata"] = std::move(meta);
  out.unique_modules["modules"] = std::move(modules);
  Json ops_meta;
  ops_meta["source_modules_json"] = "unique_modules.json";
  ops_meta["total_ops"] = 0;
  ops_meta["unique_ops"] = 0;
  ops_meta["timestamp"] = info.timestamp;
  out.pytorch_ops["metadata"] = std::move(ops_meta);
  out.pytorch_ops["ops"] = Json::array();
  return out;
}

Json KerasSummaryJson(const Json& entries) {
  const Json& root = entries.at(0);
  Json out;
  out["total_params"] = root["params"];
  out["trainable_params"] = root["trainable"];
  out["non_trainable_params"] = root["non_trainable"];
  out["model_class"] = root["class_name"];
  Json layers = Json::array();
  for (size_t i = 1; i < entries.size(); ++i) {
    const Json& e = entries[i];
    Json l;
    l["name"] = e["module_path"];
    l["class_name"] = e["class_name"];
    l["output_shapes"] = e["output_shapes"];
    l["params"] = e["params"];
    l["trainable_params"] = e["trainable"];
    l["non_trainable_params"] = e["non_trainable"];
    l["connected_to"] = e.value("connected_to", Json::array());
    l["config"] = e["parameters"];
    layers.push_back(std::move(l));
  }
  out["layers"] = std::move(layers);
  return out;
}

}  // namespace shapelint::emit
