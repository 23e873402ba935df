#include "analyzer/interp/interpreter.h"

#include <cstdlib>
#include <cstring>

#include <algorithm>
#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "analyzer/ir/lower.h"
#include "analyzer/syntax/parse.h"

namespace shapelint::interp {

namespace {

bool FileExists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string DirName(const std::string& p) {
  size_t slash = p.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return p.substr(0, slash);
}

}  // namespace

Interpreter::Interpreter(FileCache& files, FindingSink& sink, ApiProvider& api,
                         InterpOptions options)
    : files_(files), sources_(files.sources()), sink_(&sink), api_(api), options_(std::move(options)) {
  static uint64_t next_id = 0;
  id_ = ++next_id;
  InstallBuiltins(*this);
}

Interpreter::~Interpreter() {
  for (auto& w : scopes_) {
    if (auto s = w.lock()) {
      s->vars.clear();
      s->parent.reset();
      s->globals.reset();
    }
  }
  for (auto& w : classes_) {
    if (auto c = w.lock()) {
      c->attrs = OrderedAttrs();
      c->mro.clear();
      c->bases.clear();
    }
  }
  for (auto& w : instances_) {
    if (auto i = w.lock()) {
      i->attrs = OrderedAttrs();
      if (i->module) {
        i->module->children.clear();
        i->module->params.clear();
        i->module->buffers.clear();
      }
    }
  }
  modules_.clear();
  builtins_.clear();
}

void Interpreter::ResetForNextRun() {
  ops_.clear();
  reached_.clear();
  line_values_.clear();
  call_sites_.clear();
  module_stack_.clear();
  frames_.clear();
  steps_ = 0;
  call_depth_ = 0;
  aborted_ = false;
  raising_ = false;
  recording_ = false;
  return_value_ = nullptr;
  training_decided_ = false;
  executed_.clear();
}

ScopePtr Interpreter::NewScope() {
  auto s = std::make_shared<Scope>();
  if (scopes_.size() >= prune_scopes_at_) {  // drop frames already freed
    scopes_.erase(std::remove_if(scopes_.begin(), scopes_.end(), [](const auto& w) { return w.expired(); }),
                  scopes_.end());
    prune_scopes_at_ = std::max<size_t>(4096, 2 * scopes_.size());
  }
  scopes_.push_back(s);
  return s;
}

bool Interpreter::Step() {
  if (aborted_) return false;
  if (++steps_ > options_.max_steps) {
    Abort(absl::StrCat("evaluation budget of ", options_.max_steps, " steps exceeded"), CallSite());
    return false;
  }
  return true;
}

void Interpreter::Abort(const std::string& why, const Span& site) {
  if (aborted_) return;
  aborted_ = true;
  Finding f;
  f.kind = FindingKind::kAnalysisIncomplete;
  f.span = site;
  f.subject = "budget";
  f.detail = why;
  Report(std::move(f));
}

const Span& Interpreter::CallSite() const {
  static const Span kNone;
  return call_sites_.empty() ? kNone : call_sites_.back();
}

Span Interpreter::UserCallSite() const {
  for (size_t i = call_sites_.size(); i-- > 0;)
    if (call_sites_[i].valid() && IsUserFile(call_sites_[i].file)) return call_sites_[i];
  return CallSite();
}

std::string Interpreter::SourceText(const Span& span) const {
  const SourceFile* f = sources_.Get(span.file);
  if (f == nullptr) return "";
  std::string_view line = f->Line(span.line);
  size_t begin = span.col > 0 ? static_cast<size_t>(span.col - 1) : 0;
  if (begin > line.size()) return "";
  size_t end = line.size();
  if (span.end_line == span.line && span.end_col > span.col)
    end = std::min(line.size(), static_cast<size_t>(span.end_col - 1));
  return std::string(line.substr(begin, end - begin));
}

// ---- Files and imports -------------------------------------------------------

std::shared_ptr<ModuleValue> Interpreter::NewSourceModule(const std::string& path, const std::string& name,
                                                          bool is_package) {
  auto mod = std::make_shared<ModuleValue>();
  mod->name = name;
  mod->path = path;
  mod->loaded = false;
  mod->globals = NewScope();
  mod->globals->globals = mod->globals;
  mod->globals->module_name = name;
  mod->globals->vars["__name__"] = MakeStr(name);
  mod->globals->vars["__file__"] = MakeStr(path);
  if (is_package) mod->globals->vars["__path__"] = MakeStr(DirName(path));
  modules_[name] = mod;
  return mod;
}

absl::Status Interpreter::EnsureLoaded(ModuleValue* mod) {
  if (mod->loaded) return absl::OkStatus();
  mod->loaded = true;
  auto loaded = files_.Load(mod->path);
  if (!loaded.ok()) return loaded.status();
  // Top-level code runs with a fresh call-site stack and outside any model.
  std::vector<Span> saved_sites;
  saved_sites.swap(call_sites_);
  std::vector<InstanceValue*> saved_stack;
  saved_stack.swap(module_stack_);
  bool saved_raising = raising_;
  raising_ = false;
  ExecBlock((*loaded)->ir->body, mod->globals);
  raising_ = saved_raising;  // a module that raises stops; its importers go on
  call_sites_.swap(saved_sites);
  module_stack_.swap(saved_stack);
  return absl::OkStatus();
}

absl::StatusOr<ValuePtr> Interpreter::RunFile(const std::string& path, const std::string& module_name) {
  auto existing = modules_.find(module_name);
  if (existing != modules_.end()) return existing->second;
  if (main_dir_.empty()) main_dir_ = DirName(path);
  auto loaded = files_.Load(path);
  if (!loaded.ok()) return loaded.status();
  fork_files_.insert((*loaded)->source->id);
  auto mod = NewSourceModule(path, module_name, false);
  // A file inside a package (folders with __init__.py) runs as `python -m
  // pkg.mod` would: its relative imports resolve against the package, and
  // the folder above the top package is an import root.
  std::string package;
  char* abs = ::realpath(path.c_str(), nullptr);
  std::string dir = abs != nullptr ? DirName(abs) : "";
  ::free(abs);
  while (dir.size() > 1 && FileExists(dir + "/__init__.py")) {
    std::string parent = DirName(dir);
    std::string name = dir.substr(parent == "/" ? 1 : parent.size() + 1);
    package = package.empty() ? name : name + "." + package;
    dir = parent;
  }
  if (!package.empty()) package_root_ = dir;
  if (!package.empty()) mod->globals->vars["__package__"] = MakeStr(package);
  absl::Status s = EnsureLoaded(mod.get());
  if (!s.ok()) return s;
  return ValuePtr(mod);
}

std::string Interpreter::FindModuleFile(const std::string& dotted, bool* is_package) const {
  std::string rel = absl::StrJoin(absl::StrSplit(dotted, '.'), "/");
  if (api_.BundledSource(rel + ".py")) { *is_package = false; return absl::StrCat(std::string(kBundledRoot), rel, ".py"); }
  if (api_.BundledSource(rel + "/__init__.py")) {
    *is_package = true;
    return absl::StrCat(std::string(kBundledRoot), rel, "/__init__.py");
  }
  std::vector<std::string> roots;
  if (!main_dir_.empty()) roots.push_back(main_dir_);
  if (!package_root_.empty()) roots.push_back(package_root_);
  for (const auto& p : options_.python_path) roots.push_back(p);
  for (const auto& root : roots) {
    std::string base = root + "/" + rel;
    if (FileExists(base + ".py")) { *is_package = false; return base + ".py"; }
    if (FileExists(base + "/__init__.py")) { *is_package = true; return base + "/__init__.py"; }
  }
  return "";
}

ValuePtr Interpreter::ImportModule(const std::string& dotted_in, const Span& site) {
  // tf.keras is Keras: `tensorflow.keras.layers` is the module `keras.layers`.
  std::string dotted = dotted_in;
  for (const char* prefix : {"tensorflow.keras", "tensorflow.python.keras"}) {
    size_t n = std::strlen(prefix);
    if (dotted.rfind(prefix, 0) == 0 && (dotted.size() == n || dotted[n] == '.')) {
      dotted = "keras" + dotted.substr(n);
      break;
    }
  }
  auto it = modules_.find(dotted);
  if (it != modules_.end()) return it->second;
  // torch is modeled, never read from source: its submodules resolve
  // through the API provider or are unknown.
  bool torch_namespace = api_.OwnsNamespace(dotted);
  if (api_.IsModeledPackage(dotted) || IsStdlibModule(dotted) || torch_namespace) {
    if (torch_namespace && !api_.IsModeledPackage(dotted)) NoteUnmodeled(dotted, site);
    auto m = std::make_shared<ModuleValue>();
    m->name = dotted;
    m->modeled = true;
    modules_[dotted] = m;
    return m;
  }
  bool is_package = false;
  std::string file = FindModuleFile(dotted, &is_package);
  if (!file.empty()) {
    // A package's parent is imported first, as Python does.
    size_t dot = dotted.rfind('.');
    if (dot != std::string::npos) {
      ValuePtr parent = ImportModule(dotted.substr(0, dot), site);
      if (Is(parent, ValueKind::kModule)) EnsureLoadedQuietly(As<ModuleValue>(parent));
      auto again = modules_.find(dotted);  // the parent's __init__ may have imported it
      if (again != modules_.end()) return again->second;
    }
    return NewSourceModule(file, dotted, is_package);
  }
  // Neither modeled nor found: a module whose every attribute is Unknown.
  auto m = std::make_shared<ModuleValue>();
  m->name = dotted;
  m->modeled = true;
  modules_[dotted] = m;
  NoteUnmodeled(dotted, site);
  return m;
}

ValuePtr Interpreter::ResolveModeled(const std::string& qualname, const Span& site) {
  if (api_.IsModeledPackage(qualname) || IsStdlibModule(qualname)) return ImportModule(qualname, site);
  if (ValuePtr v = api_.Resolve(*this, qualname)) return v;
  if (ValuePtr v = ResolveStdlib(*this, qualname)) return v;
  return NoteUnmodeled(qualname, site);
}

void Interpreter::EnsureLoadedQuietly(ModuleValue* m) {
  absl::Status s = EnsureLoaded(m);
  if (!s.ok()) NoteUnmodeled(m->name + " (" + std::string(s.message()) + ")", CallSite());
}

// ---- Scopes -------------------------------------------------------------------

ValuePtr Interpreter::Builtin(const std::string& name) const {
  auto it = builtins_.find(name);
  return it == builtins_.end() ? nullptr : it->second;
}

ValuePtr Interpreter::LookupName(const ScopePtr& scope, const std::string& name, const Span& site) {
  for (Scope* s = scope.get(); s != nullptr; s = s->parent.get()) {
    auto it = s->vars.find(name);
    if (it != s->vars.end()) return it->second;
  }
  if (scope->globals) {
    auto it = scope->globals->vars.find(name);
    if (it != scope->globals->vars.end()) return it->second;
  }
  if (ValuePtr b = Builtin(name)) return b;
  // An undefined name: Python would raise NameError; we cannot be sure the
  // name is not injected some other way (star imports of unread modules).
  return MakeUnknown(absl::StrCat("undefined name '", name, "' at ", sources_.Format(site)));
}

void Interpreter::AssignName(const ScopePtr& scope, const std::string& name, ValuePtr v) {
  if (scope->global_names.count(name) && scope->globals) {
    scope->globals->vars[name] = std::move(v);
    return;
  }
  if (scope->nonlocal_names.count(name)) {
    for (Scope* s = scope->parent.get(); s != nullptr; s = s->parent.get()) {
      auto it = s->vars.find(name);
      if (it != s->vars.end()) {
        it->second = std::move(v);
        return;
      }
    }
  }
  scope->vars[name] = std::move(v);
}

// ---- Findings and ops -----------------------------------------------------------

std::string Interpreter::ModulePathOfStack() const {
  std::vector<std::string> parts;
  for (size_t i = 1; i < module_stack_.size(); ++i) {
    const InstanceValue* parent = module_stack_[i - 1];
    std::string name = "?";
    for (const auto& [n, child] : parent->module->children) {
      if (child.get() == module_stack_[i]) {
        name = n;
        break;
      }
    }
    parts.push_back(name);
  }
  // A module called outside any forward (a probe run in __init__): name its
  // bottom by the attribute of the module under construction that holds it.
  if (!module_stack_.empty()) {
    const InstanceValue* bottom = module_stack_.front();
    for (size_t i = frames_.size(); i-- > 0;) {
      const ValuePtr& self = frames_[i].first_arg;
      if (!self || !IsModuleInstance(self) || self.get() == bottom) continue;
      bool found = false;
      for (const auto& [n, child] : As<InstanceValue>(self)->module->children) {
        if (child.get() == bottom) {
          parts.insert(parts.begin(), n);
          found = true;
          break;
        }
      }
      if (found) break;
    }
  }
  return absl::StrJoin(parts, ".");
}

void Interpreter::Report(Finding f) {
  if (!f.span.valid()) f.span = CallSite();
  if (f.module_path.empty() && !module_stack_.empty()) {
    f.module_path = ModulePathOfStack();
    if (f.module_path.empty()) f.module_path = "(root)";
    f.module_class = module_stack_.back()->cls->name;
  }
  f.assumptions = assumptions_;
  sink_->Report(std::move(f));
}

ValuePtr Interpreter::NoteUnmodeled(const std::string& api, const Span& site) {
  Span s = site.valid() ? site : CallSite();
  std::string key = absl::StrCat(api, "@", s.file);
  // Only what the analyzed files use is named: a library's own unmodeled
  // environment probes (os.path, ctypes ...) are not the user's concern.
  if (IsUserFile(s.file) && noted_unmodeled_.insert(key).second) {
    Finding f;
    f.kind = FindingKind::kAnalysisIncomplete;
    f.span = s;
    f.subject = api;
    f.detail = "not modeled; its result is treated as unknown";
    Report(std::move(f));
  }
  return MakeUnknown(api);
}


void Interpreter::RecordOp(const std::string& op_name,
                           std::vector<std::pair<std::string, ValuePtr>> attributes,
                           const std::vector<ValuePtr>& inputs, const ValuePtr& output) {
  if (module_stack_.empty() || !recording_) return;  // not an op of the analyzed model's run
  // The innermost module torch's hooks would see: modules kept in a plain
  // list are not registered, so their ops belong to the module above.
  InstanceValue* m = module_stack_.front();
  for (size_t i = module_stack_.size(); i-- > 1;) {
    if (module_stack_[i]->module->registered) {
      m = module_stack_[i];
      break;
    }
  }
  OpRecord r;
  r.op_name = op_name;
  r.attributes = std::move(attributes);
  for (const auto& i : inputs) CollectTensorRecords(i, &r.inputs);
  CollectTensorRecords(output, &r.outputs);
  r.module = m;
  std::string shortname = op_name.substr(op_name.rfind('.') + 1);
  if (shortname.size() > 4 && shortname.rfind("__", 0) == 0) {
    shortname = shortname.substr(2, shortname.size() - 4);
  }
  int& n = m->module->node_names[shortname];
  r.node_name = n == 0 ? shortname : absl::StrCat(shortname, "_", n);
  ++n;
  ops_.push_back(std::move(r));
}

void Interpreter::AddMacs(const Dim& macs) {
  if (module_stack_.empty() || !recording_) return;
  InstanceValue* m = module_stack_.front();
  for (size_t i = module_stack_.size(); i-- > 1;) {
    if (module_stack_[i]->module->registered) {
      m = module_stack_[i];
      break;
    }
  }
  m->module->macs = m->module->macs + macs;
}

// ---- Paths ----------------------------------------------------------------------

bool Interpreter::IsUserFile(int32_t file) const {
  if (fork_files_.count(file)) return true;
  const std::string& path = sources_.Path(file);
  return !path.empty() && path.rfind(kBundledRoot, 0) != 0 && path.find("/dist-packages/") == std::string::npos &&
         path.find("/site-packages/") == std::string::npos;
}

bool Interpreter::Decide(const ir::Expr& cond, const char* why) {
  std::string text = SourceText(cond.span);
  return DecideAt(cond.span.file, text.empty() ? why : text);
}

bool Interpreter::DecideAt(int32_t file, const std::string& text) {
  // Library code (files not given to the analysis) does not fork: its
  // unknown conditions are environment checks; take the first arm quietly.
  if (!fork_files_.count(file)) return true;
  bool d = true;
  if (next_decision_ < decisions_.size()) {
    d = decisions_[next_decision_];
  } else {
    forked_ = true;
  }
  ++next_decision_;
  taken_.push_back(d);
  assumptions_.push_back(absl::StrCat(text, " is ", d ? "True" : "False"));
  return d;
}

bool Interpreter::Training(ModuleState& st, const Span& site) {
  if (st.training != Tri::kUnknown) return st.training == Tri::kTrue;
  // No code set the mode (check mode analyzes a model as written): one
  // decision per path for every module, made where user code first reads it.
  if (!training_decided_) {
    if (!fork_files_.count(site.file)) return true;
    training_value_ = DecideAt(site.file, "self.training");
    training_decided_ = true;
  }
  return training_value_;
}

void Interpreter::SetDecisions(std::vector<bool> decisions) {
  decisions_ = std::move(decisions);
  next_decision_ = 0;
  forked_ = false;
  taken_.clear();
  assumptions_.clear();
  training_decided_ = false;
}

}  // namespace shapelint::interp
