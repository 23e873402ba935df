// op_registry.h: the ops layer. Each torch API is a spec: a Python-style
// signature string (names and defaults as torch's own source declares them),
// bound by the interpreter's one argument binder, and a short C++ function
// that checks the inputs and computes the output. Layers (nn.Module classes)
// are specs too: a constructor signature, an init function that sets the
// attributes and creates the parameters torch creates, and a forward that
// calls the layer's functional op, as torch's own forward does; so the same
// spec serves nn.Conv2d, F.conv2d and the op record in pytorch_ops.json.
//
// rules/ holds the specs, one file per family, each exporting a
// RegisterX(OpRegistry&) that rules/registry.cc calls: the one list.
#ifndef SHAPELINT_OPS_OP_REGISTRY_H_
#define SHAPELINT_OPS_OP_REGISTRY_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "analyzer/base/finding.h"
#include "analyzer/interp/dim.h"
#include "analyzer/interp/host.h"
#include "analyzer/interp/interpreter.h"
#include "analyzer/interp/value.h"
#include "analyzer/ir/ir.h"

namespace shapelint::ops {

using interp::Args;
using interp::Dim;
using interp::Interpreter;
using interp::TensorValue;
using interp::ValuePtr;

struct OpSpec;
struct LayerSpec;
class OpRegistry;

// Signature: a parsed parameter list with its constant defaults.
struct Signature {
  std::string text;
  const ir::Params* params = nullptr;
  std::vector<ValuePtr> defaults;
  std::vector<bool> is_tensor;  // annotated `Tensor` / `Optional[Tensor]`
  int Index(const std::string& name) const;
};

// Bound: arguments bound to a signature, with typed accessors. Accessors
// return nullopt/null when the value is unknown or of another type, so rule
// code degrades to Unknown instead of guessing.
class Bound {
 public:
  Bound(Interpreter& in, const Signature& sig, std::vector<ValuePtr> slots)
      : in_(in), sig_(sig), slots_(std::move(slots)) {}
  Interpreter& in() const { return in_; }
  ValuePtr Get(const std::string& name) const;
  void Set(const std::string& name, ValuePtr v);
  TensorValue* Tensor(const std::string& name) const;  // null unless a tensor
  ValuePtr TensorPtr(const std::string& name) const;
  std::optional<int64_t> Int(const std::string& name) const;
  std::optional<Dim> DimArg(const std::string& name) const;
  std::optional<double> Number(const std::string& name) const;
  std::optional<bool> Bool(const std::string& name) const;
  bool IsNone(const std::string& name) const;
  // Ints: an int or a sequence of ints expanded to `n` entries (Conv's
  // `_ntuple`); with n == 0 the sequence as it is. nullopt if unknown.
  std::optional<std::vector<Dim>> Ints(const std::string& name, size_t n = 0) const;
  const Signature& signature() const { return sig_; }
  const std::vector<ValuePtr>& slots() const { return slots_; }

 private:
  Interpreter& in_;
  const Signature& sig_;
  std::vector<ValuePtr> slots_;
};

// OpCall: one call of a functional op.
class OpCall : public Bound {
 public:
  OpCall(Interpreter& in, const OpSpec& spec, std::vector<ValuePtr> slots);
  const OpSpec& spec() const { return spec_; }
  // Fail: a typed finding at the current call site; the op then yields an
  // unknown-rank tensor so that one error does not cascade.
  ValuePtr Fail(Finding f);
  // SetAttribute: override what pytorch_ops.json records for a parameter
  // (e.g. view's `*size` packed into one list).
  void SetAttribute(const std::string& name, ValuePtr v) { overrides_[name] = std::move(v); }
  // DropAttribute: a parameter the matching torch overload does not have
  // (`x.squeeze()` binds aten::squeeze(Tensor self), without dim).
  void DropAttribute(const std::string& name) { overrides_[name] = nullptr; }
  void SkipRecord() { record_ = false; }
  // Finish: records the op (name, non-tensor arguments, tensor inputs and
  // outputs) and returns `out`.
  ValuePtr Finish(ValuePtr out);

 private:
  const OpSpec& spec_;
  std::map<std::string, ValuePtr> overrides_;
  bool record_ = true;
};

using OpFn = ValuePtr (*)(OpCall&);

struct OpSpec {
  std::string name;       // "torch.nn.functional.linear"
  std::string signature;  // "input: Tensor, weight: Tensor, bias: Optional[Tensor] = None"
  OpFn fn = nullptr;
  bool record = true;     // false for what the reference does not see (x.size())
  bool method = false;    // also a Tensor method (`x.view`): first param is self
  Signature sig = {};
};

// LayerInit: the constructor of a modeled nn.Module.
class LayerInit : public Bound {
 public:
  LayerInit(Interpreter& in, const Signature& sig, std::vector<ValuePtr> slots,
            interp::InstanceValue* self)
      : Bound(in, sig, std::move(slots)), self_(self) {}
  interp::InstanceValue* self() const { return self_; }
  void SetAttr(const std::string& name, ValuePtr v);
  // SetAttrFromArg: self.<name> = the bound argument <name>.
  void Keep(const std::string& name) { SetAttr(name, Get(name)); }
  void AddParam(const std::string& name, std::vector<Dim> dims);
  void AddNoneParam(const std::string& name);
  void AddBuffer(const std::string& name, std::vector<Dim> dims, interp::DType dtype = interp::DType::kFloat32);
  void AddNoneBuffer(const std::string& name);

 private:
  interp::InstanceValue* self_;
};

// LayerCall: the forward of a modeled nn.Module.
class LayerCall : public Bound {
 public:
  LayerCall(Interpreter& in, const Signature& sig, std::vector<ValuePtr> slots, const ValuePtr& self,
            OpRegistry& registry)
      : Bound(in, sig, std::move(slots)), self_(self), registry_(registry) {}
  ValuePtr Attr(const std::string& name) const;
  const ValuePtr& self() const { return self_; }
  // CallOp: calls a modeled op by qualified name, as torch's forward does.
  ValuePtr CallOp(const std::string& op, std::vector<ValuePtr> positional,
                  std::vector<std::pair<std::string, ValuePtr>> keywords = {});

 private:
  ValuePtr self_;
  OpRegistry& registry_;
};

using LayerInitFn = void (*)(LayerInit&);
using LayerForwardFn = ValuePtr (*)(LayerCall&);

struct LayerSpec {
  std::string name;          // "torch.nn.Linear"
  std::string signature;     // constructor, without self
  LayerInitFn init = nullptr;
  LayerForwardFn forward = nullptr;
  std::string forward_signature = "input";
  Signature init_sig = {};
  Signature forward_sig = {};
};

// GuessInputShape: the input a modeled layer declares it takes, with
// symbolic batch and spatial sizes (Linear(10, ...) -> [B, 10],
// Conv2d(3, ...) -> [B, 3, H, W]); nullopt for layers that accept any shape.
std::optional<std::vector<Dim>> GuessInputShape(const interp::InstanceValue& layer, interp::DType* dtype);

// NativeFactory: for APIs that need the interpreter's full object model
// (nn.Module itself, containers, nn.Parameter, dtypes).
using NativeFactory = ValuePtr (*)(Interpreter&, const std::string& qualname);

class OpRegistry : public interp::ApiProvider {
 public:
  OpRegistry();
  ~OpRegistry() override;

  void AddOp(OpSpec spec);
  void AddLayer(LayerSpec spec);
  void AddNative(const std::string& qualname, NativeFactory factory);
  // Alias: `qualname` resolves to whatever `target` resolves to
  // (torch.nn.modules.conv.Conv2d -> torch.nn.Conv2d).
  void AddAlias(const std::string& qualname, const std::string& target);
  void AddPackage(const std::string& name);
  // AddBundledSource: a bundled Python file ("keras/layers.py" -> its text).
  void AddBundledSource(const std::string& path, std::string text);
  const std::string* BundledSource(std::string_view path) const override;
  std::vector<std::string> BundledPaths() const;
  // Finalize: parses every signature; a bad bundled signature is a tool
  // error (the build is broken), never a user diagnostic.
  absl::Status Finalize();

  bool IsModeledPackage(std::string_view name) const override;
  bool OwnsNamespace(std::string_view dotted) const override;
  ValuePtr Resolve(Interpreter& in, std::string_view qualname) override;

  const OpSpec* FindOp(const std::string& name) const;
  const LayerSpec* FindLayer(const std::string& name) const;
  // Names, for docs/supported-api.md.
  std::vector<std::string> OpNames() const;
  std::vector<std::string> LayerNames() const;
  std::vector<std::string> NativeNames() const;

  // CallOpByName: used by layers and by operators on tensors.
  ValuePtr CallOp(Interpreter& in, const OpSpec& spec, const ValuePtr& self, Args args);

 private:
  ValuePtr MakeLayerClass(Interpreter& in, const LayerSpec& spec);
  ValuePtr MakeOpValue(const OpSpec& spec);

  std::map<std::string, std::unique_ptr<OpSpec>> ops_;
  std::map<std::string, std::unique_ptr<LayerSpec>> layers_;
  std::map<std::string, NativeFactory> natives_;
  std::map<std::string, std::string> aliases_;
  std::vector<std::string> packages_;
  std::map<std::string, std::string, std::less<>> bundled_;
  std::unique_ptr<struct SignatureSource> sig_source_;
  // Values are created once per interpreter (class identity for isinstance).
  uint64_t cache_owner_ = 0;
  absl::flat_hash_map<std::string, ValuePtr> cache_;
};

}  // namespace shapelint::ops

#endif  // SHAPELINT_OPS_OP_REGISTRY_H_
