// main.cc: the shapelint command line.
//   shapelint check PATH... [--format text|json|sarif] [--python-path DIR]
//   shapelint extract --model-path F.py::FN (--inputs-path F.py::FN | --input-shape 1x3x224x224) [--dir DIR]
//   shapelint --explain CODE | --rules-markdown | --version
// Exit status: 0 clean, 1 findings (warning or error), 2 the tool failed.
#include <sys/stat.h>

#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "analyzer/checks/rule_registry.h"
#include "analyzer/cli/analyze.h"
#include "analyzer/cli/config.h"
#include "analyzer/emit/diagnostics_out.h"
#include "analyzer/emit/sarif.h"

namespace shapelint::cli {
namespace {

constexpr const char* kUsage =
    "usage: shapelint check PATH... [--format text|json|sarif] [--python-path DIR] [--max-paths N] [--config FILE] [--dump=ir|values]\n"
    "       shapelint extract --model-path FILE::FN (--inputs-path FILE::FN | --input-shape 1x3x224x224)\n"
    "                         [--dir DIR] [--format text|json]\n"
    "       shapelint extract --batch LIST   (one model a line: MODEL_PATH INPUTS_PATH|SHAPE DIR)\n"
    "       shapelint summary (same flags as extract): the model as a table with params and MACs\n"
    "       shapelint --explain CODE | --rules-markdown | --supported-api-markdown | --version\n";

int ToolError(const std::string& msg) {
  std::cerr << "shapelint: error: " << msg << "\n";
  return 2;
}

bool IsDir(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// CollectPy: the .py files under a folder, sorted, skipping hidden folders.
void CollectPy(const std::string& dir, std::vector<std::string>* out, int depth = 0) {
  if (depth > 32) return;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return;
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n.empty() || n[0] == '.' || n == "__pycache__") continue;
    names.push_back(n);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    std::string p = dir + "/" + n;
    if (IsDir(p)) CollectPy(p, out, depth + 1);
    else if (absl::EndsWith(n, ".py")) out->push_back(p);
  }
}

struct Flags {
  std::vector<std::string> positional;
  std::string format = "text";
  std::string model_path, inputs_path, input_shape, dir;
  std::vector<std::string> python_path;
  int max_paths = 0;  // 0: from the config, else 16
  std::string config;  // --config FILE (default: the nearest pyproject.toml with [tool.shapelint])
  std::string dump;
  std::string batch;
};

bool ParseFlags(int argc, char** argv, int start, Flags* f, std::string* err) {
  for (int i = start; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string* dst) {
      size_t eq = a.find('=');
      if (eq != std::string::npos) {
        *dst = a.substr(eq + 1);
        return true;
      }
      if (i + 1 >= argc) {
        *err = "flag " + a + " needs a value";
        return false;
      }
      *dst = argv[++i];
      return true;
    };
    std::string name = a.substr(0, a.find('='));
    std::string tmp;
    if (name == "--format") {
      if (!value(&f->format)) return false;
      if (f->format != "text" && f->format != "json" && f->format != "sarif") {
        *err = "--format must be text, json or sarif";
        return false;
      }
    } else if (name == "--model-path") {
      if (!value(&f->model_path)) return false;
    } else if (name == "--inputs-path") {
      if (!value(&f->inputs_path)) return false;
    } else if (name == "--input-shape") {
      if (!value(&f->input_shape)) return false;
    } else if (name == "--dir") {
      if (!value(&f->dir)) return false;
    } else if (name == "--python-path") {
      if (!value(&tmp)) return false;
      f->python_path.push_back(tmp);
    } else if (name == "--config") {
      if (!value(&f->config)) return false;
    } else if (name == "--batch") {
      if (!value(&f->batch)) return false;
    } else if (name == "--dump") {
      if (!value(&f->dump)) return false;
      if (f->dump != "ir" && f->dump != "values") {
        *err = "--dump supports: ir, values";
        return false;
      }
    } else if (name == "--max-paths") {
      if (!value(&tmp)) return false;
      f->max_paths = std::atoi(tmp.c_str());
      if (f->max_paths < 1) {
        *err = "--max-paths must be at least 1";
        return false;
      }
    } else if (absl::StartsWith(a, "-")) {
      *err = "unknown flag " + a;
      return false;
    } else {
      f->positional.push_back(a);
    }
  }
  return true;
}

AnalyzerOptions MakeOptions(const Flags& f) {
  AnalyzerOptions o;
  // The import search path after the analyzed file's folder: --python-path,
  // then where Debian's Python finds packages (user site, local, system).
  o.interp.python_path = f.python_path;
  if (const char* home = std::getenv("HOME")) {
    for (const char* v : {"3.11", "3"}) o.interp.python_path.push_back(std::string(home) + "/.local/lib/python" + v + "/site-packages");
  }
  for (const char* p : {"/usr/local/lib/python3.11/dist-packages", "/usr/local/lib/python3/dist-packages",
                        "/usr/lib/python3/dist-packages"}) {
    o.interp.python_path.push_back(p);
  }
  o.interp.max_paths = f.max_paths > 0 ? f.max_paths : 16;
  return o;
}

bool CountsAsFinding(const checks::Diagnostic& d) { return d.severity != Severity::kInfo; }

int RunCheck(const Flags& flags) {
  if (flags.positional.empty()) return ToolError(std::string("check needs at least one path\n") + kUsage);
  std::vector<std::string> files;
  bool tool_error = false;
  for (const auto& p : flags.positional) {
    if (IsDir(p)) {
      CollectPy(p, &files);
    } else {
      files.push_back(p);
    }
  }
  // The project's [tool.shapelint] table; command-line flags win.
  std::string config_path = flags.config.empty() ? FindConfig(flags.positional[0]) : flags.config;
  Config config;
  if (!config_path.empty()) {
    auto loaded = LoadConfig(config_path);
    if (!loaded.ok()) return ToolError(std::string(loaded.status().message()));
    config = *std::move(loaded);
  }
  for (const auto* list : {&config.select, &config.ignore})
    for (const auto& name : *list)
      if (checks::FindRule(name) == nullptr) return ToolError(config_path + ": unknown rule '" + name + "'");
  AnalyzerOptions options = MakeOptions(flags);
  options.interp.python_path.insert(options.interp.python_path.begin() + static_cast<std::ptrdiff_t>(flags.python_path.size()),
                                    config.python_path.begin(), config.python_path.end());
  if (flags.max_paths == 0 && config.max_paths) options.interp.max_paths = *config.max_paths;
  options.input_shapes = config.input_shapes;
  auto enabled = [&](const checks::Diagnostic& d) {
    auto named = [&](const std::vector<std::string>& names) {
      return std::find(names.begin(), names.end(), d.name) != names.end() ||
             std::find(names.begin(), names.end(), d.code) != names.end();
    };
    if (!config.select.empty() && !named(config.select) && d.name != "syntax-error") return false;
    return !named(config.ignore);
  };
  auto analyzer = Analyzer::Create(options);
  if (!analyzer.ok()) return ToolError(analyzer.status().ToString());
  if (flags.dump == "ir") {
    for (const auto& file : files) {
      auto ir = (*analyzer)->DumpIr(file);
      if (!ir.ok()) return ToolError(std::string(ir.status().message()));
      std::cout << ";; " << file << "\n" << *ir;
    }
    return 0;
  }
  std::vector<checks::Diagnostic> all;
  nlohmann::ordered_json json_files = nlohmann::ordered_json::array();
  for (const auto& file : files) {
    auto r = (*analyzer)->Check(file);
    if (!r.ok()) {
      tool_error = true;
      std::cerr << "shapelint: error: " << r.status().message() << "\n";
      json_files.push_back({{"file", file}, {"error", std::string(r.status().message())}});
      continue;
    }
    if (flags.dump == "values") std::cout << ";; " << file << "\n" << r->values_dump;
    auto diags = checks::ToDiagnostics(r->findings, (*analyzer)->sources());
    diags.erase(std::remove_if(diags.begin(), diags.end(), [&](const auto& d) { return !enabled(d); }), diags.end());
    json_files.push_back({{"file", file}, {"paths", r->paths_explored}, {"diagnostics", diags.size()}});
    all.insert(all.end(), diags.begin(), diags.end());
  }
  int errors = 0, warnings = 0, infos = 0;
  for (const auto& d : all) {
    if (d.severity == Severity::kError) ++errors;
    else if (d.severity == Severity::kWarning) ++warnings;
    else ++infos;
  }
  if (flags.format == "sarif") {
    std::cout << emit::FormatSarif(all, (*analyzer)->sources(), SHAPELINT_VERSION).dump(2) << "\n";
  } else if (flags.format == "json") {
    nlohmann::ordered_json out;
    out["files"] = json_files;
    out["diagnostics"] = emit::FormatJson(all, (*analyzer)->sources());
    out["summary"] = {{"errors", errors}, {"warnings", warnings}, {"infos", infos}};
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << emit::FormatText(all, (*analyzer)->sources());
    std::cout << absl::StrCat("checked ", files.size(), files.size() == 1 ? " file: " : " files: ", errors,
                              errors == 1 ? " error, " : " errors, ", warnings,
                              warnings == 1 ? " warning, " : " warnings, ", infos, infos == 1 ? " note" : " notes")
              << "\n";
  }
  if (tool_error) return 2;
  for (const auto& d : all) if (CountsAsFinding(d)) return 1;
  return 0;
}

bool SplitFnPath(const std::string& spec, std::string* file, std::string* fn) {
  size_t sep = spec.rfind("::");
  if (sep == std::string::npos) return false;
  *file = spec.substr(0, sep);
  *fn = spec.substr(sep + 2);
  return !file->empty() && !fn->empty();
}

bool WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  return static_cast<bool>(out);
}

// RunBatch: `extract --batch LIST`, one model a line: MODEL_PATH INPUTS DIR,
// where INPUTS is FILE.py::FN or a shape such as 1x3x224x224.
int RunBatch(const Flags& flags) {
  std::ifstream in(flags.batch);
  if (!in) return ToolError("cannot read " + flags.batch);
  std::vector<ExtractRequest> reqs;
  std::vector<std::string> dirs;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string model, inputs, dir;
    if (!(words >> model >> inputs >> dir)) continue;
    ExtractRequest req;
    if (!SplitFnPath(model, &req.model_file, &req.model_fn)) return ToolError("bad model path in batch: " + model);
    if (!SplitFnPath(inputs, &req.inputs_file, &req.inputs_fn)) req.input_shape = inputs;
    reqs.push_back(req);
    dirs.push_back(dir);
  }
  auto analyzer = Analyzer::Create(MakeOptions(flags));
  if (!analyzer.ok()) return ToolError(analyzer.status().ToString());
  auto results = (*analyzer)->ExtractBatch(reqs);
  int status = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    if (!r.ok()) {
      std::cout << reqs[i].model_file << ": error: " << r.status().message() << "\n";
      status = 2;
      continue;
    }
    ::mkdir(dirs[i].c_str(), 0755);
    WriteFile(dirs[i] + "/unique_modules.json", r->json.unique_modules.dump(2) + "\n");
    WriteFile(dirs[i] + "/pytorch_ops.json", r->json.pytorch_ops.dump(2) + "\n");
    auto diags = checks::ToDiagnostics(r->findings, (*analyzer)->sources());
    int findings = 0;
    for (const auto& d : diags) findings += CountsAsFinding(d) ? 1 : 0;
    if (findings && status == 0) status = 1;
    std::cout << reqs[i].model_file << ": " << r->json.unique_modules["metadata"]["total_modules"].get<int>()
              << " modules, " << findings << " findings\n";
  }
  return status;
}

int RunExtract(const Flags& flags, bool summary_only) {
  if (!flags.batch.empty() && !summary_only) return RunBatch(flags);
  ExtractRequest req;
  if (!SplitFnPath(flags.model_path, &req.model_file, &req.model_fn))
    return ToolError("--model-path must be FILE.py::FUNCTION\n" + std::string(kUsage));
  if (!flags.input_shape.empty()) {
    req.input_shape = flags.input_shape;
  } else if (!flags.inputs_path.empty() && !SplitFnPath(flags.inputs_path, &req.inputs_file, &req.inputs_fn)) {
    return ToolError("--inputs-path must be FILE.py::FUNCTION\n" + std::string(kUsage));
  } else if (flags.inputs_path.empty()) {
    req.inputs_file.clear();  // a Keras model built on Input(...) needs none; torch models say so
    req.inputs_fn.clear();
  }
  auto analyzer = Analyzer::Create(MakeOptions(flags));
  if (!analyzer.ok()) return ToolError(analyzer.status().ToString());
  auto r = (*analyzer)->Extract(req);
  if (!r.ok()) return ToolError(std::string(r.status().message()));
  auto diags = checks::ToDiagnostics(r->findings, (*analyzer)->sources());
  if (summary_only) {
    if (flags.format == "json") {
      nlohmann::ordered_json out = r->summary_json;
      out["diagnostics"] = emit::FormatJson(diags, (*analyzer)->sources());
      std::cout << out.dump(2) << "\n";
    } else {
      std::cout << r->summary_text;
      std::vector<checks::Diagnostic> shown;
      for (const auto& d : diags) if (CountsAsFinding(d)) shown.push_back(d);
      std::cout << emit::FormatText(shown, (*analyzer)->sources());
    }
    for (const auto& d : diags) if (CountsAsFinding(d)) return 1;
    return 0;
  }
  std::string dir = flags.dir.empty() ? "./" + r->model_class : flags.dir;
  ::mkdir(dir.c_str(), 0755);
  if (!WriteFile(dir + "/unique_modules.json", r->json.unique_modules.dump(2) + "\n") ||
      !WriteFile(dir + "/pytorch_ops.json", r->json.pytorch_ops.dump(2) + "\n")) {
    return ToolError("cannot write to " + dir);
  }
  if (flags.format == "json") {
    std::cout << emit::FormatJson(diags, (*analyzer)->sources()).dump(2) << "\n";
  } else {
    std::cout << emit::FormatText(diags, (*analyzer)->sources());
    std::cout << "wrote " << dir << "/unique_modules.json ("
              << r->json.unique_modules["metadata"]["total_modules"].get<int>() << " modules, "
              << r->json.unique_modules["metadata"]["unique_modules"].get<int>() << " unique) and " << dir
              << "/pytorch_ops.json (" << r->json.pytorch_ops["metadata"]["total_ops"].get<int>() << " ops, "
              << r->json.pytorch_ops["metadata"]["unique_ops"].get<int>() << " unique)\n";
  }
  for (const auto& d : diags) if (CountsAsFinding(d)) return 1;
  return 0;
}

int Main(int argc, char** argv) {
  if (argc < 2) return ToolError(std::string("missing command\n") + kUsage);
  std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h") {
    std::cout << kUsage;
    return 0;
  }
  if (cmd == "--version") {
    std::cout << "shapelint " << SHAPELINT_VERSION << "\n";
    return 0;
  }
  if (cmd == "--explain") {
    if (argc < 3) return ToolError("--explain needs a rule code or name");
    const checks::Rule* r = checks::FindRule(argv[2]);
    if (r == nullptr) return ToolError(absl::StrCat("no rule named '", argv[2], "'"));
    std::cout << r->code << " " << r->name << " (" << SeverityName(r->severity) << "): " << r->summary << "\n\n"
              << r->doc << "\n";
    return 0;
  }
  if (cmd == "--supported-api-markdown") {
    std::cout << SupportedApiMarkdown();
    return 0;
  }
  if (cmd == "--rules-markdown") {
    std::cout << checks::RulesMarkdown();
    return 0;
  }
  Flags flags;
  std::string err;
  if (!ParseFlags(argc, argv, 2, &flags, &err)) return ToolError(err + "\n" + kUsage);
  if (cmd == "check") return RunCheck(flags);
  if (cmd == "extract") return RunExtract(flags, false);
  if (cmd == "summary") return RunExtract(flags, true);
  return ToolError("unknown command '" + cmd + "'\n" + kUsage);
}

}  // namespace
}  // namespace shapelint::cli

int main(int argc, char** argv) { return shapelint::cli::Main(argc, argv); }
