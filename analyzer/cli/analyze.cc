#include "analyzer/cli/analyze.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "analyzer/checks/rule_registry.h"
#include "analyzer/emit/keras_json.h"
#include "analyzer/interp/module_tree.h"
#include "analyzer/ops/shape_util.h"
#include "analyzer/ir/dump.h"
#include "rules/registry.h"

namespace shapelint::cli {

namespace {

std::string ModuleNameOf(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.size() > 3 && base.substr(base.size() - 3) == ".py") base.resize(base.size() - 3);
  return base;
}

// DerivesFrom: v is an instance of the class `qualname` or of a subclass.
bool DerivesFrom(const interp::ValuePtr& v, const std::string& qualname) {
  if (!interp::Is(v, interp::ValueKind::kInstance)) return false;
  for (const auto& c : interp::As<interp::InstanceValue>(v)->cls->mro)
    if (c->qualname == qualname) return true;
  return false;
}

// ShapeOfValue: "1x16x32x32" for a torch tensor, "Bx28x28x32" for a Keras
// tensor ("" for a 0-d tensor); nullopt for anything else.
std::optional<std::string> ShapeOfValue(interp::Interpreter& in, const interp::ValuePtr& v) {
  if (interp::Is(v, interp::ValueKind::kTensor)) return interp::As<interp::TensorValue>(v)->ShapeString();
  if (!DerivesFrom(v, "keras.engine.KerasTensor")) return std::nullopt;
  interp::ValuePtr shape = in.TryGetAttr(v, "shape", Span{});
  if (!interp::IsSeq(shape) || interp::As<interp::SeqValue>(shape)->items.empty()) return "?";
  std::vector<interp::Dim> dims;
  for (const auto& d : interp::As<interp::SeqValue>(shape)->items) {
    auto dim = interp::AsDim(d);
    if (!dim) return "?";
    dims.push_back(*dim);
  }
  return ops::ShapeString(dims);
}

bool SameFinding(const Finding& a, const Finding& b) {
  return a.kind == b.kind && a.span.file == b.span.file && a.span.line == b.span.line && a.span.col == b.span.col &&
         a.subject == b.subject && a.expected == b.expected && a.actual == b.actual;
}

// FirstLayerInput: the input shape the first layer of `root` (in
// registration order) declares, and that layer.
std::optional<std::vector<interp::Dim>> FirstLayerInput(const interp::ValuePtr& root, interp::InstanceValue** layer,
                                                        interp::DType* dtype) {
  for (const auto& e : interp::NamedModules(root)) {
    if (!e.module->cls->is_native) continue;
    if (auto shape = ops::GuessInputShape(*e.module, dtype)) {
      *layer = e.module;
      return shape;
    }
  }
  return std::nullopt;
}

// RunEntryPoints: a file following the dynamic tool's convention
// (`load_model()` and `get_inputs()`) is also checked on that model and
// those inputs. `load_model()` alone is still run: building a Keras graph
// is what checks it, and a torch model it builds but nobody calls is then
// analyzed like any other (AnalyzeUncalledModules).
void RunEntryPoints(interp::Interpreter& in, const interp::ValuePtr& main_module) {
  auto* mod = interp::As<interp::ModuleValue>(main_module);
  auto load = mod->globals->vars.find("load_model");
  if (load == mod->globals->vars.end() || !interp::Is(load->second, interp::ValueKind::kFunction)) return;
  auto inputs = mod->globals->vars.find("get_inputs");
  bool has_inputs = inputs != mod->globals->vars.end() && interp::Is(inputs->second, interp::ValueKind::kFunction);
  Span site = interp::As<interp::FunctionValue>(load->second)->span;
  interp::ValuePtr root = in.Call(load->second, interp::Args{}, site);
  if (!interp::IsModuleInstance(root) || !has_inputs) return;
  interp::ValuePtr x = in.Call(inputs->second, interp::Args{}, site);
  interp::Args args;
  if (interp::Is(x, interp::ValueKind::kTuple) || interp::Is(x, interp::ValueKind::kList)) {
    args.positional = interp::As<interp::SeqValue>(x)->items;
  } else {
    args.positional.push_back(x);
  }
  // The mode is left as the code leaves it: `check` explores both arms of
  // `self.training` (extract runs in eval mode, as the dynamic tool does).
  in.Call(root, std::move(args), site);
}

// AnalyzeUncalledModules: a file that builds a model but never calls it (or
// defines a class it never builds) is still checked: each such module is
// called with the input its first layer declares, symbolic in batch and
// spatial sizes (Linear(10, 20) -> [B, 10]; Conv2d(3, ...) -> [B, 3, H, W]).
// The guess is kept only if that layer is in fact the first to consume the
// input; otherwise the run's findings are dropped (never a false alarm).
void AnalyzeUncalledModules(interp::Interpreter& in, FindingSink& sink, const interp::ValuePtr& main_module,
                            const std::map<std::string, std::vector<std::string>>& declared) {
  using interp::As;
  std::vector<interp::ValuePtr> candidates;
  std::vector<const interp::Value*> children;
  std::vector<const interp::ClassValue*> built;
  for (const auto& m : in.modules_created()) {
    built.push_back(As<interp::InstanceValue>(m)->cls.get());
    for (const auto& [n, c] : As<interp::InstanceValue>(m)->module->children) children.push_back(c.get());
  }
  for (const auto& m : in.modules_created()) {
    if (std::find(children.begin(), children.end(), m.get()) != children.end()) continue;
    if (!As<interp::InstanceValue>(m)->module->called) candidates.push_back(m);
  }
  auto* mod = As<interp::ModuleValue>(main_module);
  std::vector<interp::ClassPtr> classes;
  for (const auto& [name, v] : mod->globals->vars) {
    if (!interp::Is(v, interp::ValueKind::kClass)) continue;
    auto cls = std::static_pointer_cast<interp::ClassValue>(v);
    if (!cls->is_nn_module || cls->is_native || cls->qualname.rfind(mod->name + ".", 0) != 0) continue;
    if (std::find(built.begin(), built.end(), cls.get()) != built.end()) continue;
    classes.push_back(cls);
  }
  std::sort(classes.begin(), classes.end(), [](const auto& a, const auto& b) { return a->span.line < b->span.line; });
  for (const auto& cls : classes) {
    in.PushCallSite(cls->span);
    interp::ValuePtr inst = in.Call(cls, interp::Args{}, cls->span);
    in.PopCallSite();
    if (interp::IsModuleInstance(inst)) candidates.push_back(inst);
  }
  for (const auto& root : candidates) {
    if (in.aborted()) return;
    auto shapes = declared.find(As<interp::InstanceValue>(root)->cls->name);
    if (shapes != declared.end()) {
      interp::Args args;
      for (const auto& text : shapes->second) {
        auto dims = ParseShape(text);
        if (dims.ok()) args.positional.push_back(interp::MakeTensor(*dims, interp::DType::kFloat32));
      }
      in.Call(root, std::move(args), As<interp::InstanceValue>(root)->module->created_at);
      continue;
    }
    interp::InstanceValue* layer = nullptr;
    interp::DType dtype;
    auto shape = FirstLayerInput(root, &layer, &dtype);
    if (!shape) continue;
    auto input = interp::MakeTensor(*shape, dtype);
    in.WatchTensor(input.get());
    size_t before = sink.findings().size();
    interp::Args args;
    args.positional = {input};
    in.Call(root, std::move(args), As<interp::InstanceValue>(root)->module->created_at);
    if (!in.watched_seen() || in.watched_consumer() != layer) sink.mutable_findings().resize(before);
    in.WatchTensor(nullptr);
  }
}

}  // namespace

std::string SupportedApiMarkdown() {
  ops::OpRegistry r;
  if (!rules::RegisterAllRules(r).ok()) return "";
  std::string out =
      "# Supported API\n\n"
      "Generated from the rule registry (`rules/`) by `shapelint --supported-api-markdown`; a test keeps it in\n"
      "sync. Everything else is an unknown value plus an info note (`analysis-incomplete`), never an error.\n\n"
      "## Layers (`nn.Module` classes)\n\n| class | constructor signature | forward |\n|---|---|---|\n";
  for (const auto& n : r.LayerNames()) {
    const ops::LayerSpec* l = r.FindLayer(n);
    absl::StrAppend(&out, "| `", n, "` | `(", l->signature, ")` | `(", l->forward_signature, ")` |\n");
  }
  out += "\n## Functions, tensor methods and operators\n\n| name | signature |\n|---|---|\n";
  for (const auto& n : r.OpNames()) {
    const ops::OpSpec* o = r.FindOp(n);
    std::string alias = o->name == n ? "" : absl::StrCat(" (same as `", o->name, "`)");
    absl::StrAppend(&out, "| `", n, "`", alias, " | `(", o->signature, ")` |\n");
  }
  out += "\n## Modeled with the interpreter's object model\n\n";
  for (const auto& n : r.NativeNames())
    if (n.rfind("_shapelint.", 0) != 0) absl::StrAppend(&out, "- `", n, "`\n");
  // Keras: the public classes and functions of the bundled Python modules.
  out +=
      "\n## Keras / tf.keras (`rules/keras/py/`, Keras 2.x semantics)\n\n"
      "`import tensorflow as tf` (`tf.keras.*`), `from tensorflow import keras`, `import keras` all reach\n"
      "these modules. Any other name of `keras.layers`, `keras.backend`, `keras.utils` or `tensorflow` is an\n"
      "unknown value with an info note.\n\n| module | names |\n|---|---|\n";
  static const std::regex kDef(R"(^(class|def) ([A-Za-z]\w*)|^([A-Za-z]\w*) = [A-Z]\w*$)");
  for (const auto& path : r.BundledPaths()) {
    std::string module = path.substr(0, path.size() - 3);
    if (absl::EndsWith(module, "/__init__")) module.resize(module.size() - 9);
    std::replace(module.begin(), module.end(), '/', '.');
    if (module == "keras.report") continue;  // what extract/summary print, not an API
    bool classes_only = module == "keras.engine";  // its functions are internals
    std::vector<std::string> names;
    std::istringstream lines(*r.BundledSource(path));
    for (std::string line; std::getline(lines, line);) {
      std::smatch m;
      if (std::regex_search(line, m, kDef) && (!classes_only || std::isupper(static_cast<unsigned char>((m[2].matched ? m[2].str() : m[3].str())[0]))))
        names.push_back(absl::StrCat("`", m[2].matched ? m[2].str() : m[3].str(), "`"));
    }
    if (!names.empty()) absl::StrAppend(&out, "| `", module, "` | ", absl::StrJoin(names, ", "), " |\n");
  }
  out +=
      "\nPython operators on tensors map to the functions above (`+` -> `torch.add`, `@` -> `torch.matmul`,\n"
      "`+=` -> `torch.Tensor.add_`, `x[...]` -> `torch.Tensor.__getitem__`); see `docs/ops-mapping.md`.\n"
      "Python builtins and the stdlib modules `math`, `functools`, `collections`, `typing`, `copy`,\n"
      "`dataclasses` are modeled by the interpreter (`analyzer/interp/builtins.cc`).\n";
  return out;
}

absl::StatusOr<std::vector<interp::Dim>> ParseShape(const std::string& text) {
  std::vector<interp::Dim> dims;
  for (absl::string_view part : absl::StrSplit(text, 'x')) {
    int64_t v;
    if (absl::SimpleAtoi(part, &v)) {
      if (v < 0) return absl::InvalidArgumentError(absl::StrCat("negative size in --input-shape: ", text));
      dims.push_back(v);
    } else if (!part.empty() && (std::isalpha(static_cast<unsigned char>(part[0])) || part[0] == '_')) {
      dims.push_back(interp::Dim::Symbol(std::string(part)));
    } else {
      return absl::InvalidArgumentError(absl::StrCat("bad --input-shape '", text, "' (expected e.g. 1x3x224x224)"));
    }
  }
  return dims;
}

Analyzer::Analyzer(AnalyzerOptions options) : options_(std::move(options)), cache_(sources_, file_sink_) {}

absl::StatusOr<std::unique_ptr<Analyzer>> Analyzer::Create(AnalyzerOptions options) {
  std::unique_ptr<Analyzer> a(new Analyzer(std::move(options)));
  absl::Status s = rules::RegisterAllRules(a->registry_);
  if (!s.ok()) return s;
  a->cache_.SetBundle(&a->registry_);
  return a;
}

absl::StatusOr<std::string> Analyzer::DumpIr(const std::string& path) {
  auto loaded = cache_.Load(path);
  if (!loaded.ok()) return loaded.status();
  return ir::Dump(*(*loaded)->ir);
}

std::vector<Finding> Analyzer::TakeFileFindings() {
  const auto& all = file_sink_.findings();
  std::vector<Finding> out(all.begin() + static_cast<std::ptrdiff_t>(file_findings_taken_), all.end());
  file_findings_taken_ = all.size();
  return out;
}

absl::StatusOr<CheckResult> Analyzer::Check(const std::string& path) {
  CheckResult result;
  // Depth-first over branch decisions: each run follows `prefix`, then takes
  // the True arm of every new unfoldable condition; the False arms are queued.
  std::vector<std::vector<bool>> worklist = {{}};
  std::vector<std::vector<Finding>> per_path;
  std::set<std::string> used_members;  // members some path's forward reached
  bool truncated = false;
  while (!worklist.empty()) {
    if (result.paths_explored >= options_.interp.max_paths) {
      truncated = true;
      break;
    }
    std::vector<bool> prefix = std::move(worklist.back());
    worklist.pop_back();
    FindingSink sink;
    interp::Interpreter in(cache_, sink, registry_, options_.interp);
    in.SetDecisions(prefix);
    auto run = in.RunFile(path, "__main__");
    if (!run.ok()) return run.status();
    if (result.paths_explored == 0) {
      std::vector<std::pair<std::string, interp::ValuePtr>> vars(
          interp::As<interp::ModuleValue>(*run)->globals->vars.begin(),
          interp::As<interp::ModuleValue>(*run)->globals->vars.end());
      std::sort(vars.begin(), vars.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      for (const auto& [name, v] : vars) {
        if (name.rfind("__", 0) == 0 || interp::Is(v, interp::ValueKind::kModule) ||
            interp::Is(v, interp::ValueKind::kFunction) || interp::Is(v, interp::ValueKind::kClass))
          continue;
        absl::StrAppend(&result.values_dump, name, " = ", interp::Repr(v), "\n");
      }
      result.line_shapes = LineShapes(in, path);
    }
    RunEntryPoints(in, *run);
    AnalyzeUncalledModules(in, sink, *run, options_.input_shapes);
    checks::CheckUnusedMembers(in, sink, &used_members);
    for (const auto& f : in.reached()) used_members.insert(checks::UnusedKey(f));
    ++result.paths_explored;
    const auto& taken = in.decisions_taken();
    for (size_t i = taken.size(); i-- > prefix.size();) {
      std::vector<bool> alt(taken.begin(), taken.begin() + static_cast<std::ptrdiff_t>(i));
      alt.push_back(!taken[i]);
      worklist.push_back(std::move(alt));
    }
    per_path.push_back(sink.findings());
  }
  // A finding seen on every path holds unconditionally: drop its assumptions.
  FindingSink merged;
  for (size_t p = 0; p < per_path.size(); ++p) {
    for (Finding f : per_path[p]) {
      // A member is unused only if no path reaches it.
      if (checks::IsUnusedKind(f.kind) && used_members.count(checks::UnusedKey(f))) continue;
      bool everywhere = true;
      for (const auto& other : per_path) {
        bool found = false;
        for (const auto& g : other) found |= SameFinding(f, g);
        everywhere &= found;
      }
      if (everywhere) f.assumptions.clear();
      merged.Report(std::move(f));
    }
  }
  result.findings = merged.findings();
  for (auto& f : TakeFileFindings()) result.findings.push_back(std::move(f));
  if (truncated) {
    Finding f;
    f.kind = FindingKind::kAnalysisIncomplete;
    f.subject = "budget";
    f.detail = absl::StrCat("explored the first ", options_.interp.max_paths,
                            " branch paths; further paths were not analyzed");
    const SourceFile* first = nullptr;
    for (const auto& lf : cache_.files()) if (lf->source->path == path) first = lf->source;
    if (first) f.span = Span{first->id, 1, 1, 1, 1};
    result.findings.push_back(std::move(f));
  }
  return result;
}

absl::StatusOr<ExtractResult> Analyzer::Extract(const ExtractRequest& req) {
  FindingSink sink;
  interp::Interpreter in(cache_, sink, registry_, options_.interp);
  return ExtractIn(in, sink, req);
}

std::vector<absl::StatusOr<ExtractResult>> Analyzer::ExtractBatch(const std::vector<ExtractRequest>& requests) {
  std::vector<absl::StatusOr<ExtractResult>> out;
  FindingSink first;
  interp::Interpreter in(cache_, first, registry_, options_.interp);
  for (const auto& req : requests) {
    FindingSink sink;
    in.SetSink(&sink);
    in.ResetForNextRun();
    out.push_back(ExtractIn(in, sink, req));
  }
  in.SetSink(&first);
  return out;
}

namespace {

// KerasReport: a function of the bundled keras/report.py.
interp::ValuePtr KerasReport(interp::Interpreter& in, const std::string& name) {
  interp::ValuePtr mod = in.ImportModule("keras.report", Span{});
  if (!interp::Is(mod, interp::ValueKind::kModule)) return nullptr;
  return in.TryGetAttr(mod, name, Span{});
}

interp::ValuePtr CallReport(interp::Interpreter& in, const std::string& name, std::vector<interp::ValuePtr> args) {
  interp::ValuePtr fn = KerasReport(in, name);
  if (!fn) return nullptr;
  interp::Args a;
  a.positional = std::move(args);
  return in.Call(fn, std::move(a), Span{});
}

}  // namespace

bool Analyzer::IsKerasModel(const interp::ValuePtr& v) { return DerivesFrom(v, "keras.engine.Layer"); }

// LineShapes: the shape of the tensor last assigned on each line of `path`.
std::map<int, std::string> Analyzer::LineShapes(interp::Interpreter& in, const std::string& path) {
  std::map<int, std::string> out;
  int32_t file = -1;
  for (const auto& lf : cache_.files()) if (lf->source->path == path) file = lf->source->id;
  for (const auto& [key, named] : in.line_values()) {
    if (key.first != file) continue;
    if (auto shape = ShapeOfValue(in, named.second)) out[key.second] = *shape;
  }
  return out;
}

absl::StatusOr<ExtractResult> Analyzer::ExtractKeras(interp::Interpreter& in, FindingSink& sink,
                                                     const ExtractRequest& req, const interp::ValuePtr& model) {
  ExtractResult result;
  interp::ValuePtr batch = interp::MakeNone();
  if (!req.input_shape.empty()) {
    auto dims = ParseShape(req.input_shape);
    if (!dims.ok()) return dims.status();
    std::vector<interp::ValuePtr> items;
    for (const auto& d : *dims) items.push_back(interp::MakeInt(d));
    if (!dims->empty() && (*dims)[0].is_const()) batch = interp::MakeInt((*dims)[0]);
    CallReport(in, "build_with", {model, interp::MakeTuple(std::move(items))});
  }
  interp::ValuePtr entries = CallReport(in, "module_entries", {model, batch});
  interp::ValuePtr lines = CallReport(in, "summary_lines", {model});
  if (!interp::IsSeq(entries) || !interp::IsSeq(lines) || interp::As<interp::SeqValue>(entries)->items.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        req.model_file, "::", req.model_fn,
        ": the Keras model has no known shape (a subclassed model needs --input-shape, e.g. 1x28x28x1)"));
  }
  emit::Json entries_json = emit::ValueToJson(entries);
  emit::ExtractInfo info;
  info.load_fn_location = absl::StrCat(req.model_file, ":", req.model_fn);
  info.load_fn_name = req.model_fn;
  info.timestamp = emit::NowIso8601();
  info.analyzer = "shapelint " SHAPELINT_VERSION_STRING;
  result.json = emit::BuildKerasModelJson(entries_json, info);
  for (const auto& line : interp::As<interp::SeqValue>(lines)->items)
    if (const std::string* s = interp::AsStr(line)) absl::StrAppend(&result.summary_text, *s, "\n");
  result.summary_json = emit::KerasSummaryJson(entries_json);
  result.model_class = entries_json[0]["class_name"].get<std::string>();
  result.findings = sink.findings();
  for (auto& f : TakeFileFindings()) result.findings.push_back(std::move(f));
  return result;
}

absl::StatusOr<ExtractResult> Analyzer::ExtractIn(interp::Interpreter& in, FindingSink& sink,
                                                  const ExtractRequest& req) {
  ExtractResult result;
  auto mod = in.RunFile(req.model_file, ModuleNameOf(req.model_file));
  if (!mod.ok()) return mod.status();
  auto* module = interp::As<interp::ModuleValue>(*mod);
  auto fn_it = module->globals->vars.find(req.model_fn);
  if (fn_it == module->globals->vars.end()) {
    return absl::NotFoundError(absl::StrCat(req.model_file, " defines no function '", req.model_fn, "'"));
  }
  Span site;
  interp::ValuePtr root = in.Call(fn_it->second, interp::Args{}, site);
  if (IsKerasModel(root)) return ExtractKeras(in, sink, req, root);
  if (!interp::IsModuleInstance(root)) {
    return absl::FailedPreconditionError(absl::StrCat(req.model_file, "::", req.model_fn,
                                                      " does not return an nn.Module or a Keras model that shapelint can follow"));
  }
  interp::Args inputs;
  if (req.input_shape.empty() && req.inputs_fn.empty()) {
    return absl::InvalidArgumentError("give --inputs-path FILE.py::FUNCTION or --input-shape 1x3x224x224");
  }
  if (!req.input_shape.empty()) {
    auto dims = ParseShape(req.input_shape);
    if (!dims.ok()) return dims.status();
    inputs.positional.push_back(interp::MakeTensor(*dims));
  } else {
    interp::ValuePtr inputs_module = *mod;
    if (!req.inputs_file.empty() && req.inputs_file != req.model_file) {
      auto other = in.RunFile(req.inputs_file, ModuleNameOf(req.inputs_file) + "_inputs");
      if (!other.ok()) return other.status();
      inputs_module = *other;
    }
    auto* im = interp::As<interp::ModuleValue>(inputs_module);
    auto it = im->globals->vars.find(req.inputs_fn);
    if (it == im->globals->vars.end()) {
      return absl::NotFoundError(absl::StrCat(req.inputs_file, " defines no function '", req.inputs_fn, "'"));
    }
    interp::ValuePtr v = in.Call(it->second, interp::Args{}, site);
    if (interp::Is(v, interp::ValueKind::kTuple) || interp::Is(v, interp::ValueKind::kList)) {
      inputs.positional = interp::As<interp::SeqValue>(v)->items;
    } else {
      inputs.positional.push_back(v);
    }
  }
  // The model runs in eval mode, as the dynamic tool runs it.
  for (const auto& e : interp::NamedModules(root)) e.module->module->training = interp::Tri::kFalse;
  in.SetRecording(true);
  in.Call(root, std::move(inputs), site);
  in.SetRecording(false);
  checks::CheckUnusedMembers(in, sink);

  emit::ExtractInfo info;
  info.load_fn_location = absl::StrCat(req.model_file, ":", req.model_fn);
  info.load_fn_name = req.model_fn;
  info.timestamp = emit::NowIso8601();
  info.analyzer = "shapelint " SHAPELINT_VERSION_STRING;
  result.json = emit::BuildModelJson(root, in, info);
  emit::ModelStats stats = emit::ComputeStats(root);
  auto& meta = result.json.unique_modules["metadata"];
  meta["total_params"] = emit::DimJson(stats.total_params);
  meta["trainable_params"] = emit::DimJson(stats.trainable_params);
  meta["macs"] = emit::DimJson(stats.macs);
  std::string input_desc = req.input_shape;
  if (input_desc.empty()) {
    for (const auto& r : interp::As<interp::InstanceValue>(root)->module->inputs) {
      if (!input_desc.empty()) input_desc += ", ";
      input_desc += r.shape + " " + r.dtype;
    }
  }
  result.summary_text = emit::FormatSummaryText(stats, input_desc);
  result.summary_json = emit::SummaryJson(stats);
  result.summary_json["model_class"] = interp::As<interp::InstanceValue>(root)->cls->name;
  result.model_class = interp::As<interp::InstanceValue>(root)->cls->name;
  result.findings = sink.findings();
  for (auto& f : TakeFileFindings()) result.findings.push_back(std::move(f));
  result.line_shapes = LineShapes(in, req.model_file);
  return result;
}

}  // namespace shapelint::cli
