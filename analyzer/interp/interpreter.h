// interpreter.h: the abstract interpreter. It evaluates lowered Python (IR)
// over abstract values: module top-level code, class bodies, __init__ and
// forward, helper functions, imports. Torch APIs come from the ApiProvider.
//
// Paths: a branch whose condition folds takes one arm. One that does not asks
// the path oracle: the driver (RunPaths) re-runs the whole analysis once per
// sequence of decisions, depth-first, up to a bound. Re-execution instead of
// state forking keeps the heap (lists, modules under construction) simple:
// nothing is shared between paths. Each path carries its assumptions, which
// every finding of that path quotes.
//
// Control flow: statements return a Flow; `raise` sets kRaise and unwinds to
// the nearest `try`; running out of budget sets kAbort and unwinds everything.
// There are no C++ exceptions.
#ifndef SHAPELINT_INTERP_INTERPRETER_H_
#define SHAPELINT_INTERP_INTERPRETER_H_

#include <map>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "analyzer/base/finding.h"
#include "analyzer/base/source.h"
#include "analyzer/interp/file_cache.h"
#include "analyzer/interp/host.h"
#include "analyzer/interp/value.h"
#include "analyzer/ir/ir.h"

namespace shapelint::interp {

struct InterpOptions {
  int64_t max_steps = 20'000'000;   // evaluation steps per path
  int max_call_depth = 120;         // Python-level call depth
  int max_paths = 16;               // branch paths explored by RunPaths
  int max_loop_iterations = 100'000;
  std::vector<std::string> python_path;  // extra import roots
};

// OpRecord: one executed torch operation, for pytorch_ops.json.
struct OpRecord {
  std::string op_name;
  std::vector<std::pair<std::string, ValuePtr>> attributes;
  std::vector<TensorRecord> inputs;
  std::vector<TensorRecord> outputs;
  InstanceValue* module = nullptr;  // innermost module running it
  std::string node_name;
};

enum class Flow { kNormal, kReturn, kBreak, kContinue, kRaise, kAbort };

class Interpreter {
 public:
  Interpreter(FileCache& files, FindingSink& sink, ApiProvider& api, InterpOptions options);
  ~Interpreter();
  // id: unique per interpreter of the process (caches key on it, not on the
  // address, which a later interpreter may reuse).
  uint64_t id() const { return id_; }

  // ---- Entry points -------------------------------------------------------
  // RunFile: reads, parses, lowers and executes `path` as module
  // `module_name`; returns the module value. Non-OK only when the file cannot
  // be read (missing, not UTF-8 is a diagnostic plus an empty module).
  absl::StatusOr<ValuePtr> RunFile(const std::string& path, const std::string& module_name);
  // Call: calls any callable value. `site` is the call expression.
  ValuePtr Call(const ValuePtr& callee, Args args, const Span& site);
  // CallAt: a call made by an operator (`a + b`, `x[i]`): the operator's
  // expression becomes the call site findings point at.
  ValuePtr CallAt(const ValuePtr& fn, Args args, const Span& site);

  // ---- Python object model --------------------------------------------------
  ValuePtr GetAttr(const ValuePtr& obj, const std::string& name, const Span& site);
  // TryGetAttr: as GetAttr but null when absent (hasattr, getattr default).
  ValuePtr TryGetAttr(const ValuePtr& obj, const std::string& name, const Span& site);
  void SetAttr(const ValuePtr& obj, const std::string& name, const ValuePtr& value, const Span& site);
  ValuePtr LookupClassAttr(const ClassPtr& cls, const std::string& name, size_t start = 0) const;
  // Iterate: the items of an iterable when they are known (nullopt: unknown
  // length, e.g. a symbolic range or an Unknown).
  std::optional<std::vector<ValuePtr>> Iterate(const ValuePtr& v, const Span& site);
  ValuePtr GetItem(const ValuePtr& obj, const ValuePtr& index, const Span& site);
  ValuePtr BinaryOp(ir::BinOpKind op, const ValuePtr& a, const ValuePtr& b, const Span& site,
                    bool inplace = false);
  ValuePtr CompareOp(ir::CmpOpKind op, const ValuePtr& a, const ValuePtr& b, const Span& site);
  bool IsInstance(const ValuePtr& v, const ValuePtr& cls_or_tuple, Tri* result);
  // NewScope / NewClass / NewInstance: every frame, class and instance is
  // tracked so that the destructor can break the reference cycles Python
  // code makes (a class's methods close over the scope that holds the class).
  ScopePtr NewScope();
  ClassPtr NewClass(const std::string& name, const std::string& qualname, std::vector<ClassPtr> bases);
  ValuePtr NewInstance(const ClassPtr& cls, const Span& site);

  // ---- nn.Module bookkeeping ----------------------------------------------
  // CallModule: `module(*args)`: records input/output shapes and runs forward.
  ValuePtr CallModule(const ValuePtr& module, Args args, const Span& site);
  void RegisterChild(InstanceValue* parent, const std::string& name, const ValuePtr& child);
  const std::vector<ValuePtr>& modules_created() const { return modules_created_; }
  InstanceValue* CurrentModule() const { return module_stack_.empty() ? nullptr : module_stack_.back(); }
  bool InForward() const { return !module_stack_.empty(); }
  // ModulePathOfStack: dotted path of the innermost running module, found by
  // names along the call stack ("layer1.0.conv1"); "" at the root.
  std::string ModulePathOfStack() const;

  // ---- Ops and findings ---------------------------------------------------
  void RecordOp(const std::string& op_name, std::vector<std::pair<std::string, ValuePtr>> attributes,
                const std::vector<ValuePtr>& inputs, const ValuePtr& output);
  const std::vector<OpRecord>& ops() const { return ops_; }
  // AddMacs: multiply-adds of a convolution or matrix product, charged to
  // the module running it (the convention of torchvision's published GFLOPS).
  void AddMacs(const Dim& macs);
  // Entry-tensor watch: which op first consumes a given input tensor, to
  // validate a guessed input shape (see cli/analyze.cc).
  void WatchTensor(const Value* t) { watched_ = t; watched_consumer_ = nullptr; watched_seen_ = false; }
  void NoteTensorUse(const Value* t) {
    if (t != nullptr && t == watched_ && !watched_seen_) {
      watched_seen_ = true;
      watched_consumer_ = CurrentModule();
    }
  }
  bool watched_seen() const { return watched_seen_; }
  InstanceValue* watched_consumer() const { return watched_consumer_; }
  // SetRecording: ops are recorded only while the analyzed model runs
  // (extract's one call), as the dynamic tool records them.
  void SetRecording(bool on) { recording_ = on; }
  // Report: fills span (the innermost user call site when unset), module
  // path/class, and the path's assumptions.
  void Report(Finding f);
  // NoteReached: a member some code reached on this path, described as the
  // finding that would report it unused (rules that track members
  // themselves, as the Keras rules do); the driver reports a member unused
  // only when no path reached it.
  void NoteReached(Finding f) { reached_.push_back(std::move(f)); }
  const std::vector<Finding>& reached() const { return reached_; }
  // NoteUnmodeled: an info finding naming an API the analysis does not know,
  // once per name and file; returns an Unknown value.
  ValuePtr NoteUnmodeled(const std::string& api, const Span& site);
  const Span& CallSite() const;
  // UserCallSite: the innermost call site in user code (what a finding made
  // inside bundled or library code points at).
  Span UserCallSite() const;
  void PushCallSite(const Span& s) { call_sites_.push_back(s); }
  void PopCallSite() { call_sites_.pop_back(); }
  SourceManager& sources() { return sources_; }
  ApiProvider& api() { return api_; }
  std::string SourceText(const Span& span) const;  // first line of a span's text

  // ---- Paths --------------------------------------------------------------
  // Decide: the arm to take for a condition that did not fold.
  bool Decide(const ir::Expr& cond, const char* why);
  // DecideAt: the same for a condition named by `text` in `file`.
  bool DecideAt(int32_t file, const std::string& text);
  // Training: `self.training` of a module; when no code set the mode, one
  // decision per path ("self.training is True") shared by every module.
  bool Training(ModuleState& st, const Span& site);
  // IsUserFile: a file given to the analysis or a module of the user's own
  // project it imports (anything but an installed package).
  bool IsUserFile(int32_t file) const;
  // Executed: whether a function body ran (on this path).
  bool Executed(const ir::Block* body) const { return executed_.count(body) > 0; }
  void SetDecisions(std::vector<bool> decisions);
  bool HasUnexploredFork() const { return decisions_.size() > next_decision_ || forked_; }
  const std::vector<bool>& decisions_taken() const { return taken_; }
  const std::vector<std::string>& assumptions() const { return assumptions_; }
  bool aborted() const { return aborted_; }
  void Abort(const std::string& why, const Span& site);
  bool raising() const { return raising_; }
  void SetRaising(bool r) { raising_ = r; }

  // ---- Scopes -------------------------------------------------------------
  ValuePtr LookupName(const ScopePtr& scope, const std::string& name, const Span& site);
  void AssignName(const ScopePtr& scope, const std::string& name, ValuePtr v);
  ValuePtr Builtin(const std::string& name) const;
  void SetBuiltin(const std::string& name, ValuePtr v) { builtins_[name] = std::move(v); }
  ValuePtr ImportModule(const std::string& dotted, const Span& site);
  // EnsureLoaded: runs a lazily imported module's top-level code once.
  absl::Status EnsureLoaded(ModuleValue* mod);
  void EnsureLoadedQuietly(ModuleValue* mod);
  std::shared_ptr<ModuleValue> NewSourceModule(const std::string& path, const std::string& name, bool is_package);
  // ResolveModeled: a modeled qualified name, or an Unknown with a note.
  ValuePtr ResolveModeled(const std::string& qualname, const Span& site);

  // ---- Evaluation (eval_expr.cc / eval_stmt.cc / eval_call.cc) -----------
  ValuePtr Eval(const ir::Expr& e, const ScopePtr& scope);
  Flow ExecBlock(const ir::Block& block, const ScopePtr& scope);
  Flow Exec(const ir::Stmt& s, const ScopePtr& scope);
  void AssignTarget(const ir::Expr& target, const ValuePtr& v, const ScopePtr& scope);
  Args EvalArgs(const std::vector<ir::Argument>& args, const ScopePtr& scope);
  ValuePtr MakeFunction(const ir::FunctionDef& def, const ScopePtr& scope, const ScopePtr& closure);

  // Value assignments recorded per source line (`--dump=values`, `# shape:`
  // fixture expectations): the last value assigned on each line.
  const std::map<std::pair<int, int>, std::pair<std::string, ValuePtr>>& line_values() const {
    return line_values_;
  }
  bool Step();  // counts one evaluation step; false once over budget
  // Batch use (`extract --batch`): one interpreter runs several models, so
  // imported modules are executed once. Between models the findings go to a
  // new sink and the per-run state (ops, budget, stacks) starts afresh.
  void SetSink(FindingSink* sink) { sink_ = sink; }
  void ResetForNextRun();
  InterpOptions& options() { return options_; }

 private:
  ValuePtr CallUserFunction(FunctionValue* fn, const ValuePtr& fn_value, Args args, const Span& site);
  ValuePtr Construct(const ClassPtr& cls, Args args, const Span& site);
  std::string FindModuleFile(const std::string& dotted, bool* is_package) const;

  FileCache& files_;
  SourceManager& sources_;
  FindingSink* sink_;
  ApiProvider& api_;
  InterpOptions options_;
  std::string main_dir_;                  // folder of the analyzed file (first import root)
  std::string package_root_;              // folder above the analyzed file's top package, if any
  std::set<int32_t> fork_files_;          // files whose unknown branches fork paths
  absl::flat_hash_map<std::string, ValuePtr> modules_;  // sys.modules
  absl::flat_hash_map<std::string, ValuePtr> builtins_;
  absl::flat_hash_set<std::string> noted_unmodeled_;

  std::vector<ValuePtr> modules_created_;
  std::vector<std::weak_ptr<Scope>> scopes_;
  size_t prune_scopes_at_ = 4096;
  uint64_t id_ = 0;
  std::vector<std::weak_ptr<ClassValue>> classes_;
  std::vector<std::weak_ptr<InstanceValue>> instances_;
  std::vector<InstanceValue*> module_stack_;
  std::vector<Span> call_sites_;
  std::vector<OpRecord> ops_;
  std::map<std::pair<int, int>, std::pair<std::string, ValuePtr>> line_values_;
  ValuePtr return_value_;
  int call_depth_ = 0;
  int64_t steps_ = 0;
  bool aborted_ = false;
  bool raising_ = false;
  bool recording_ = false;
  const Value* watched_ = nullptr;
  InstanceValue* watched_consumer_ = nullptr;
  bool watched_seen_ = false;

  std::vector<bool> decisions_;
  size_t next_decision_ = 0;
  bool forked_ = false;
  std::vector<Finding> reached_;
  bool training_decided_ = false;
  bool training_value_ = true;
  absl::flat_hash_set<const ir::Block*> executed_;
  std::vector<bool> taken_;
  std::vector<std::string> assumptions_;

 public:
  // The frame stack of user functions (for zero-argument super()).
  struct Frame {
    FunctionValue* fn = nullptr;
    ValuePtr first_arg;
  };
  std::vector<Frame> frames_;
};

// InstallBuiltins: Python builtins (len, range, isinstance, ...) and the
// stdlib modules the interpreter models natively (math, functools,
// collections, typing, ...): builtins.cc.
void InstallBuiltins(Interpreter& interp);
// BuiltinMethod: a bound method of a builtin value (list.append, dict.items,
// str.format, ...), or null when the type has no such method.
ValuePtr BuiltinMethod(Interpreter& interp, const ValuePtr& self, const std::string& name);
// EllipsisValue: the `...` singleton.
ValuePtr EllipsisValue();
// ResolveStdlib: modeled stdlib qualified names ("math.ceil",
// "collections.OrderedDict"); null when unmodeled.
ValuePtr ResolveStdlib(Interpreter& interp, std::string_view qualname);
bool IsStdlibModule(std::string_view name);

}  // namespace shapelint::interp

#endif  // SHAPELINT_INTERP_INTERPRETER_H_
