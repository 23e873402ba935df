// analyze.h: the driver that composes the layers for one run: a file cache
// shared by every path, the op registry, and per-path interpreters. `check`
// runs a file's top-level code (as `python file.py` would, without running
// anything) on every branch path up to a bound; `extract` evaluates
// load_model/get_inputs abstractly and calls the model once.
#ifndef SHAPELINT_CLI_ANALYZE_H_
#define SHAPELINT_CLI_ANALYZE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "analyzer/base/finding.h"
#include "analyzer/base/source.h"
#include "analyzer/emit/module_json.h"
#include "analyzer/emit/summary.h"
#include "analyzer/interp/file_cache.h"
#include "analyzer/interp/interpreter.h"
#include "analyzer/ops/op_registry.h"

namespace shapelint::cli {

struct AnalyzerOptions {
  interp::InterpOptions interp;
  // input_shapes: the forward inputs of a model class `check` runs on its
  // own (pyproject [tool.shapelint.input-shapes]); replaces the guess from
  // the first layer, and its findings are kept as definite.
  std::map<std::string, std::vector<std::string>> input_shapes;
};

struct CheckResult {
  std::vector<Finding> findings;
  int paths_explored = 0;
  std::string values_dump;  // `--dump=values`: module-level names after the first path
  // Shape of the tensor (torch or Keras) assigned on each line of the file,
  // on the first path, at top level (last wins): `# shape:` expectations.
  std::map<int, std::string> line_shapes;
};

struct ExtractRequest {
  std::string model_file, model_fn = "load_model";
  std::string inputs_file, inputs_fn = "get_inputs";
  std::string input_shape;  // "1x3x224x224" (symbols allowed): replaces inputs_fn
};

struct ExtractResult {
  emit::ModelJson json;
  std::vector<Finding> findings;
  std::string model_class;
  std::string summary_text;            // `shapelint summary`
  nlohmann::ordered_json summary_json; // `shapelint summary --format json`
  // Shape of the value assigned on each line of the model file (last wins).
  std::map<int, std::string> line_shapes;
};

class Analyzer {
 public:
  static absl::StatusOr<std::unique_ptr<Analyzer>> Create(AnalyzerOptions options);

  absl::StatusOr<CheckResult> Check(const std::string& path);
  absl::StatusOr<ExtractResult> Extract(const ExtractRequest& request);
  // ExtractBatch: several models in one interpreter, so that the packages
  // they import (torchvision) are parsed and executed once for all.
  std::vector<absl::StatusOr<ExtractResult>> ExtractBatch(const std::vector<ExtractRequest>& requests);
  SourceManager& sources() { return sources_; }
  // DumpIr: the lowered IR of a file as S-expressions (`--dump=ir`).
  absl::StatusOr<std::string> DumpIr(const std::string& path);
  // SyntaxFindings: syntax errors and lowering notes of every file read so
  // far (reported once per file, whichever path read it).
  std::vector<Finding> TakeFileFindings();

 private:
  explicit Analyzer(AnalyzerOptions options);
  static bool IsKerasModel(const interp::ValuePtr& v);
  std::map<int, std::string> LineShapes(interp::Interpreter& in, const std::string& path);
  absl::StatusOr<ExtractResult> ExtractKeras(interp::Interpreter& in, FindingSink& sink, const ExtractRequest& req,
                                             const interp::ValuePtr& model);
  absl::StatusOr<ExtractResult> ExtractIn(interp::Interpreter& in, FindingSink& sink, const ExtractRequest& request);
  AnalyzerOptions options_;
  ops::OpRegistry registry_;
  SourceManager sources_;
  FindingSink file_sink_;
  size_t file_findings_taken_ = 0;
  interp::FileCache cache_;
};

// SupportedApiMarkdown: docs/supported-api.md, generated from the registry.
std::string SupportedApiMarkdown();

// ParseShape: "1x3x224x224" or "Bx3xHxW" to dims.
absl::StatusOr<std::vector<interp::Dim>> ParseShape(const std::string& text);

}  // namespace shapelint::cli

#endif  // SHAPELINT_CLI_ANALYZE_H_
