// module_json.h: unique_modules.json and pytorch_ops.json, in the schema of
// the dynamic tool tt-model-analysis (shared/docs/output-format.md), built from
// an analyzed root module and the ops the interpreter recorded.
#ifndef SHAPELINT_EMIT_MODULE_JSON_H_
#define SHAPELINT_EMIT_MODULE_JSON_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzer/interp/interpreter.h"
#include "analyzer/interp/value.h"

namespace shapelint::emit {

using Json = nlohmann::ordered_json;

struct ModelJson {
  Json unique_modules;
  Json pytorch_ops;
};

struct ExtractInfo {
  std::string load_fn_location;  // "file.py:load_model"
  std::string load_fn_name;
  std::string timestamp;         // ISO 8601
  std::string analyzer;          // "shapelint 0.1.0"
};

ModelJson BuildModelJson(const interp::ValuePtr& root, const interp::Interpreter& in, const ExtractInfo& info);

// ValueToJson: an attribute or parameter value as the dynamic tool writes
// it (tuples as lists, dtypes by name, slices as "a:b", symbolic ints as
// their expression).
Json ValueToJson(const interp::ValuePtr& v);

std::string NowIso8601();

// ModuleGroupKey: what makes two modules one entry of unique_modules.json:
// class name, sorted input and output shapes, parameters (keys sorted).
std::string ModuleGroupKey(const std::string& class_name, std::vector<std::string> in_shapes,
                           std::vector<std::string> out_shapes, const Json& params);

}  // namespace shapelint::emit

#endif  // SHAPELINT_EMIT_MODULE_JSON_H_
