// value.h: the abstract values of the interpreter. A small lattice per value:
// concrete Python values (None, bool, int, float, str, tuple, list, dict,
// slice, function, class, instance, module), symbolic ints (an IntValue whose
// Dim is not constant), tensors (dtype + dims, or unknown rank) and Unknown
// (top). Every operation on Unknown yields Unknown and never an error: that is
// what keeps false alarms at zero when code uses something not modeled.
#ifndef SHAPELINT_INTERP_VALUE_H_
#define SHAPELINT_INTERP_VALUE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "analyzer/base/source.h"
#include "analyzer/interp/dim.h"
#include "analyzer/ir/ir.h"

namespace shapelint::interp {

struct Value;
using ValuePtr = std::shared_ptr<Value>;
class Interpreter;

enum class ValueKind {
  kUnknown, kNone, kBool, kInt, kFloat, kStr, kTuple, kList, kDict, kSlice,
  kFunction, kNative, kBoundMethod, kClass, kInstance, kModule, kTensor, kSuper,
};

struct Value {
  const ValueKind kind;
  explicit Value(ValueKind k) : kind(k) {}
  virtual ~Value() = default;
};

struct UnknownValue : Value {
  UnknownValue() : Value(ValueKind::kUnknown) {}
  std::string origin;  // what produced it ("torch.foo (unmodeled)"), for --dump
};
struct NoneValue : Value { NoneValue() : Value(ValueKind::kNone) {} };
struct BoolValue : Value { explicit BoolValue(bool b) : Value(ValueKind::kBool), value(b) {} bool value; };
// IntValue: a Python int, possibly symbolic (`x.size(2)` of an unknown size).
struct IntValue : Value { explicit IntValue(Dim d) : Value(ValueKind::kInt), value(std::move(d)) {} Dim value; };
struct FloatValue : Value { explicit FloatValue(double d) : Value(ValueKind::kFloat), value(d) {} double value; };
struct StrValue : Value { explicit StrValue(std::string s) : Value(ValueKind::kStr), value(std::move(s)) {} std::string value; };
// TupleValue / ListValue share a layout; lists are mutated in place.
struct SeqValue : Value {
  explicit SeqValue(ValueKind k) : Value(k) {}
  std::vector<ValuePtr> items;
};
// DictValue: insertion-ordered; keys compared with KeyEquals (hashable
// constants: str, int, bool, None, tuples of those).
struct DictValue : Value {
  DictValue() : Value(ValueKind::kDict) {}
  std::vector<std::pair<ValuePtr, ValuePtr>> entries;
  bool ordered_dict = false;
};
struct SliceValue : Value {
  SliceValue() : Value(ValueKind::kSlice) {}
  ValuePtr lower, upper, step;  // NoneValue when absent
};

struct Scope;
using ScopePtr = std::shared_ptr<Scope>;
struct ClassValue;
using ClassPtr = std::shared_ptr<ClassValue>;

// Args: a call's arguments after evaluation (`*xs`/`**kw` already spread).
struct Args {
  std::vector<ValuePtr> positional;
  std::vector<std::pair<std::string, ValuePtr>> keywords;
};

// FunctionValue: a user function, lambda or method. Defaults are evaluated
// once, at definition, as in Python.
struct FunctionValue : Value {
  FunctionValue() : Value(ValueKind::kFunction) {}
  std::string name;
  std::string qualname;
  const ir::Params* params = nullptr;
  const ir::Block* body = nullptr;       // def
  const ir::Expr* lambda_body = nullptr; // lambda
  std::vector<ValuePtr> defaults;        // parallel to params->params (null: none)
  ScopePtr closure;
  ScopePtr globals;
  bool is_staticmethod = false;
  bool is_classmethod = false;
  bool is_property = false;
  std::weak_ptr<ClassValue> owner;  // class whose body defined it (zero-arg super)
  Span span;
};

// NativeFn: a function implemented in C++ (builtins, modeled torch APIs).
// `self` is the bound receiver or null.
using NativeFn = std::function<ValuePtr(Interpreter&, const ValuePtr& self, Args& args)>;
struct NativeValue : Value {
  NativeValue() : Value(ValueKind::kNative) {}
  std::string name;   // qualified: "torch.cat", "builtins.len"
  NativeFn fn;
  ValuePtr self;      // bound receiver (tensor methods), may be null
  bool is_property = false;  // evaluated on attribute access
};

struct BoundMethodValue : Value {
  BoundMethodValue() : Value(ValueKind::kBoundMethod) {}
  ValuePtr self;
  ValuePtr func;
};

// OrderedAttrs: attribute storage preserving insertion order.
class OrderedAttrs {
 public:
  ValuePtr Get(const std::string& name) const;
  void Set(const std::string& name, ValuePtr v);
  bool Erase(const std::string& name);
  const std::vector<std::pair<std::string, ValuePtr>>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<std::pair<std::string, ValuePtr>> items_;
  absl::flat_hash_map<std::string, size_t> index_;
};

// ClassValue: a user class or a modeled (native) one such as torch.nn.Linear.
struct ClassValue : Value {
  ClassValue() : Value(ValueKind::kClass) {}
  std::string name;      // "Linear"
  std::string qualname;  // "torch.nn.Linear" or "file.Net"
  std::vector<ClassPtr> bases;
  std::vector<ClassPtr> mro;  // self first
  OrderedAttrs attrs;         // methods, class attributes
  bool is_nn_module = false;  // derives from torch.nn.Module
  bool has_unknown_base = false;  // a base evaluated to Unknown (its MRO is partial)
  bool is_native = false;     // modeled in C++
  const void* native_spec = nullptr;  // ops-layer LayerSpec for native layers
  // native_new: for builtin types (int, list, OrderedDict, torch.Tensor ...),
  // what calling the class does; isinstance() compares `builtin_kind`.
  NativeFn native_new;
  std::optional<ValueKind> builtin_kind;
  // abc_kinds: for typing / collections.abc protocols (Sequence, Mapping,
  // Iterable, Callable ...), the value kinds that are instances.
  std::vector<ValueKind> abc_kinds;
  std::vector<std::string> annotations;  // `name: type` in the class body, in order
  bool is_dataclass = false;
  Span span;
};

// SuperValue: `super()` / `super(C, self)`: attribute lookup starts after
// `after` in type(self).__mro__.
struct SuperValue : Value {
  SuperValue() : Value(ValueKind::kSuper) {}
  ClassPtr after;
  ValuePtr self;
};

// TensorValue: dtype + shape. `rank_known == false` is an unknown-rank tensor.
enum class DType { kFloat32, kFloat64, kFloat16, kBFloat16, kInt64, kInt32, kInt16, kInt8, kUInt8, kBool, kUnknown };
const char* DTypeName(DType d);
struct TensorValue : Value {
  TensorValue() : Value(ValueKind::kTensor) {}
  DType dtype = DType::kFloat32;
  bool rank_known = true;
  std::vector<Dim> dims;
  bool is_parameter = false;
  bool requires_grad = false;
  // data: the values of a small constant tensor (row-major), when every
  // input of the ops that made it was known: torchvision's RegNet computes
  // its stage widths with torch.arange/log/round/tolist.
  std::shared_ptr<const std::vector<double>> data;
  Span origin;  // where it was created (a Parameter: the nn.Parameter call)
  std::string ShapeString() const;  // "1x3x224x224", "" for 0-d, "?" unknown rank
};

// ParamRecord: a parameter or buffer slot of a module (value may be None,
// as for `bias=False`).
struct ParamRecord {
  std::string name;
  ValuePtr value;
  Span created_at;
  bool user_created = false;  // an nn.Parameter / register_buffer of user code (checked for use)
  bool read_in_forward = false;
};

// CallRecord: shapes/dtypes seen at a module's last call.
struct TensorRecord { std::string shape; std::string dtype; };

// ModuleState: what nn.Module.__setattr__ maintains, plus the analysis'
// own bookkeeping for the module.
struct ModuleState {
  std::vector<std::pair<std::string, ValuePtr>> children;  // registration order
  std::vector<ParamRecord> params;
  std::vector<ParamRecord> buffers;
  Tri training = Tri::kUnknown;  // kUnknown: no code set it (see Interpreter::Training)
  bool registered = false;  // a child of some module (hooks see it in torch)
  Span created_at;
  bool called = false;
  bool completed = false;  // a forward call returned (did not raise): its members' use is known
  std::vector<TensorRecord> inputs, outputs;
  Dim macs = 0;  // multiply-adds of the convolutions and matrix products run by this module itself
  absl::flat_hash_map<std::string, int> node_names;  // node_name de-duplication
  // child_use: per child name, where user code assigned it and whether a
  // forward read it (for unused-submodule).
  struct ChildUse {
    Span assigned_at;
    bool read_in_forward = false;
  };
  absl::flat_hash_map<std::string, ChildUse> child_use;
  ParamRecord* FindParam(const std::string& name);
  ParamRecord* FindBuffer(const std::string& name);
  ValuePtr FindChild(const std::string& name) const;
};

struct InstanceValue : Value {
  InstanceValue() : Value(ValueKind::kInstance) {}
  ClassPtr cls;
  OrderedAttrs attrs;
  std::unique_ptr<ModuleState> module;  // set for nn.Module instances
  ValuePtr native_payload;              // e.g. the dict of an OrderedDict subclass
};

// ModuleValue: a Python module namespace, or a modeled package ("torch.nn")
// whose attributes resolve through the API provider (`modeled`).
struct ModuleValue : Value {
  ModuleValue() : Value(ValueKind::kModule) {}
  std::string name;
  ScopePtr globals;     // user modules
  bool modeled = false; // torch, torch.nn, math, ... resolved by qualified name
  // Imports are lazy: a module read from source runs its top-level code on
  // first attribute access (torchvision/__init__.py imports datasets and io
  // that a model never touches).
  std::string path;     // source file, for modules read from source
  bool loaded = true;
};

// Scope: one frame of variables. Lookup walks `parent` (enclosing function
// scopes, then the module globals); builtins come last.
struct Scope {
  absl::flat_hash_map<std::string, ValuePtr> vars;
  ScopePtr parent;
  ScopePtr globals;  // the module scope this scope belongs to (self for module scopes)
  std::set<std::string> global_names;    // `global x`
  std::set<std::string> nonlocal_names;  // `nonlocal x`
  std::string module_name;               // __name__ of the defining module
};

// Constructors for common values (shared singletons for None/True/False).
ValuePtr MakeNone();
ValuePtr MakeBool(bool b);
ValuePtr MakeInt(Dim d);
ValuePtr MakeFloat(double d);
ValuePtr MakeStr(std::string s);
ValuePtr MakeTuple(std::vector<ValuePtr> items);
ValuePtr MakeList(std::vector<ValuePtr> items);
ValuePtr MakeUnknown(std::string origin = "");
std::shared_ptr<TensorValue> MakeTensor(std::vector<Dim> dims, DType dtype = DType::kFloat32);
std::shared_ptr<TensorValue> MakeUnknownRankTensor(DType dtype = DType::kFloat32);
ValuePtr MakeNative(std::string name, NativeFn fn);

template <typename T>
T* As(const ValuePtr& v) { return static_cast<T*>(v.get()); }
inline bool Is(const ValuePtr& v, ValueKind k) { return v && v->kind == k; }
inline bool IsUnknown(const ValuePtr& v) { return !v || v->kind == ValueKind::kUnknown; }
inline bool IsSeq(const ValuePtr& v) { return v && (v->kind == ValueKind::kTuple || v->kind == ValueKind::kList); }

// Python semantics on values.
Tri Truthy(const ValuePtr& v);
// KeyEquals: equality of hashable constants (dict keys, `in` tests);
// kUnknown when symbolic or not a constant.
Tri KeyEquals(const ValuePtr& a, const ValuePtr& b);
// AsInt: the integer of an int/bool (nullopt otherwise or when symbolic).
std::optional<int64_t> AsInt(const ValuePtr& v);
std::optional<Dim> AsDim(const ValuePtr& v);
std::optional<double> AsNumber(const ValuePtr& v);
const std::string* AsStr(const ValuePtr& v);
// Repr: Python's repr for constants (floats as Python prints them), and a
// short description otherwise; used by f-strings, --dump and messages.
std::string Repr(const ValuePtr& v);
std::string Str(const ValuePtr& v);
std::string FormatFloat(double d);  // Python repr of a float: 1e-05, 0.1, 1.0
std::string TypeName(const ValuePtr& v);
bool IsModuleInstance(const ValuePtr& v);
// CollectTensorRecords: shape and dtype of every tensor in `v`, flattened
// through tuples, lists and dicts (a module's or an op's inputs/outputs).
void CollectTensorRecords(const ValuePtr& v, std::vector<TensorRecord>* out, int depth = 0);

}  // namespace shapelint::interp

#endif  // SHAPELINT_INTERP_VALUE_H_
