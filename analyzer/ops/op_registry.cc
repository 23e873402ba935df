#include "analyzer/ops/op_registry.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "analyzer/interp/binder.h"
#include "analyzer/ir/lower.h"
#include "analyzer/syntax/parse.h"

namespace shapelint::ops {

using interp::As;
using interp::Is;
using interp::ValueKind;

// ---- Signatures ----------------------------------------------------------------

// SignatureSource: signatures are lowered from Python text; the IR lives here.
struct SignatureSource {
  SourceManager sources;
  std::vector<std::unique_ptr<ir::Module>> modules;
};

namespace {

// ConstEval: the constant default values signatures use (numbers, strings,
// booleans, None, tuples, negation). Kept small and pure.
ValuePtr ConstEval(const ir::Expr& e) {
  switch (e.kind) {
    case ir::ExprKind::kInt: return interp::MakeInt(static_cast<const ir::IntExpr&>(e).value);
    case ir::ExprKind::kFloat: return interp::MakeFloat(static_cast<const ir::FloatExpr&>(e).value);
    case ir::ExprKind::kString: return interp::MakeStr(static_cast<const ir::StringExpr&>(e).value);
    case ir::ExprKind::kBool: return interp::MakeBool(static_cast<const ir::BoolExpr&>(e).value);
    case ir::ExprKind::kNone: return interp::MakeNone();
    case ir::ExprKind::kUnaryOp: {
      const auto& u = static_cast<const ir::UnaryOpExpr&>(e);
      ValuePtr v = ConstEval(*u.operand);
      if (u.op == ir::UnaryOpKind::kNeg) {
        if (auto d = interp::AsDim(v)) return interp::MakeInt(-*d);
        if (Is(v, ValueKind::kFloat)) return interp::MakeFloat(-As<interp::FloatValue>(v)->value);
      }
      return nullptr;
    }
    case ir::ExprKind::kTuple:
    case ir::ExprKind::kList: {
      std::vector<ValuePtr> items;
      for (const auto& x : static_cast<const ir::SequenceExpr&>(e).elts) {
        ValuePtr v = ConstEval(*x);
        if (!v) return nullptr;
        items.push_back(v);
      }
      return e.kind == ir::ExprKind::kTuple ? interp::MakeTuple(items) : interp::MakeList(items);
    }
    default:
      return nullptr;
  }
}

bool IsTensorAnnotation(const ir::Expr* a) {
  if (a == nullptr) return false;
  if (a->kind == ir::ExprKind::kName) return static_cast<const ir::NameExpr*>(a)->id == "Tensor";
  if (a->kind == ir::ExprKind::kSubscript) {
    const auto* s = static_cast<const ir::SubscriptExpr*>(a);
    return s->value->kind == ir::ExprKind::kName &&
           static_cast<const ir::NameExpr&>(*s->value).id == "Optional" && IsTensorAnnotation(s->index.get());
  }
  return false;
}

absl::Status ParseSignature(SignatureSource* src, const std::string& owner, Signature* sig) {
  std::string text = absl::StrCat("def f(", sig->text, "): pass\n");
  SourceFile& f = src->sources.Add("<signature of " + owner + ">", text);
  auto parsed = syntax::Parse(f);
  if (!parsed->errors().empty()) {
    return absl::InternalError(absl::StrCat("bad bundled signature for ", owner, ": ", sig->text));
  }
  auto mod = ir::Lower(*parsed);
  if (mod->body.size() != 1 || mod->body[0]->kind != ir::StmtKind::kFunctionDef) {
    return absl::InternalError(absl::StrCat("bad bundled signature for ", owner));
  }
  const auto& def = static_cast<const ir::FunctionDef&>(*mod->body[0]);
  sig->params = &def.params;
  for (const auto& p : def.params.params) {
    ValuePtr d;
    if (p.default_value) {
      d = ConstEval(*p.default_value);
      if (!d) return absl::InternalError(absl::StrCat("non-constant default in signature of ", owner));
    }
    sig->defaults.push_back(d);
    sig->is_tensor.push_back(IsTensorAnnotation(p.annotation.get()));
  }
  src->modules.push_back(std::move(mod));
  return absl::OkStatus();
}

}  // namespace

int Signature::Index(const std::string& name) const {
  if (params == nullptr) return -1;
  for (size_t i = 0; i < params->params.size(); ++i)
    if (params->params[i].name == name) return static_cast<int>(i);
  return -1;
}

// ---- Bound ---------------------------------------------------------------------

ValuePtr Bound::Get(const std::string& name) const {
  int i = sig_.Index(name);
  return i < 0 ? nullptr : slots_[i];
}
void Bound::Set(const std::string& name, ValuePtr v) {
  int i = sig_.Index(name);
  if (i >= 0) slots_[i] = std::move(v);
}
TensorValue* Bound::Tensor(const std::string& name) const {
  ValuePtr v = Get(name);
  if (!Is(v, ValueKind::kTensor)) return nullptr;
  return As<TensorValue>(v);
}
ValuePtr Bound::TensorPtr(const std::string& name) const {
  ValuePtr v = Get(name);
  return Is(v, ValueKind::kTensor) ? v : nullptr;
}
std::optional<int64_t> Bound::Int(const std::string& name) const { return interp::AsInt(Get(name)); }
std::optional<Dim> Bound::DimArg(const std::string& name) const { return interp::AsDim(Get(name)); }
std::optional<double> Bound::Number(const std::string& name) const { return interp::AsNumber(Get(name)); }
std::optional<bool> Bound::Bool(const std::string& name) const {
  interp::Tri t = interp::Truthy(Get(name));
  if (t == interp::Tri::kUnknown || interp::IsUnknown(Get(name))) return std::nullopt;
  return t == interp::Tri::kTrue;
}
bool Bound::IsNone(const std::string& name) const { return Is(Get(name), ValueKind::kNone); }

std::optional<std::vector<Dim>> Bound::Ints(const std::string& name, size_t n) const {
  ValuePtr v = Get(name);
  if (auto d = interp::AsDim(v)) {
    if (n == 0) return std::vector<Dim>{*d};
    return std::vector<Dim>(n, *d);
  }
  if (interp::IsSeq(v)) {
    std::vector<Dim> out;
    for (const auto& x : As<interp::SeqValue>(v)->items) {
      auto d = interp::AsDim(x);
      if (!d) return std::nullopt;
      out.push_back(*d);
    }
    if (n != 0 && out.size() == 1) return std::vector<Dim>(n, out[0]);
    if (n != 0 && out.size() != n) return std::nullopt;
    return out;
  }
  return std::nullopt;
}

// ---- OpCall ------------------------------------------------------------------

OpCall::OpCall(Interpreter& in, const OpSpec& spec, std::vector<ValuePtr> slots)
    : Bound(in, spec.sig, std::move(slots)), spec_(spec) {}

ValuePtr OpCall::Fail(Finding f) {
  if (f.subject.empty()) f.subject = spec_.name;
  in().Report(std::move(f));
  record_ = false;
  return interp::MakeUnknownRankTensor();
}

namespace {

bool ContainsTensor(const ValuePtr& v, int depth = 0) {
  if (!v || depth > 6) return false;
  if (Is(v, ValueKind::kTensor)) return true;
  if (interp::IsSeq(v))
    for (const auto& x : As<interp::SeqValue>(v)->items) if (ContainsTensor(x, depth + 1)) return true;
  return false;
}

}  // namespace

ValuePtr OpCall::Finish(ValuePtr out) {
  if (!record_ || !spec_.record) return out;
  std::vector<std::pair<std::string, ValuePtr>> attrs;
  std::vector<ValuePtr> inputs;
  const auto& ps = spec_.sig.params->params;
  for (size_t i = 0; i < ps.size(); ++i) {
    const ValuePtr& v = slots()[i];
    if (ContainsTensor(v)) {
      inputs.push_back(v);
      continue;
    }
    if (spec_.sig.is_tensor[i] || ps[i].name.empty() || ps[i].name[0] == '_' ||
        ps[i].kind == ir::ParamKind::kVarKwargs) {
      continue;
    }
    auto o = overrides_.find(ps[i].name);
    if (o != overrides_.end() && o->second == nullptr) continue;
    attrs.emplace_back(ps[i].name, o != overrides_.end() ? o->second : v);
  }
  in().RecordOp(spec_.name, std::move(attrs), inputs, out);
  return out;
}

// ---- Layers ------------------------------------------------------------------

void LayerInit::SetAttr(const std::string& name, ValuePtr v) { self_->attrs.Set(name, std::move(v)); }

void LayerInit::AddParam(const std::string& name, std::vector<Dim> dims) {
  auto t = interp::MakeTensor(std::move(dims));
  t->is_parameter = true;
  t->requires_grad = true;
  interp::ParamRecord rec;
  rec.name = name;
  rec.value = t;
  rec.created_at = in().CallSite();
  self_->module->params.push_back(std::move(rec));
}
void LayerInit::AddNoneParam(const std::string& name) {
  interp::ParamRecord rec;
  rec.name = name;
  rec.value = interp::MakeNone();
  self_->module->params.push_back(std::move(rec));
}
void LayerInit::AddBuffer(const std::string& name, std::vector<Dim> dims, interp::DType dtype) {
  interp::ParamRecord rec;
  rec.name = name;
  rec.value = interp::MakeTensor(std::move(dims), dtype);
  rec.created_at = in().CallSite();
  self_->module->buffers.push_back(std::move(rec));
}
void LayerInit::AddNoneBuffer(const std::string& name) {
  interp::ParamRecord rec;
  rec.name = name;
  rec.value = interp::MakeNone();
  self_->module->buffers.push_back(std::move(rec));
}

ValuePtr LayerCall::Attr(const std::string& name) const {
  // A modeled layer's mode changes values, not shapes: no path decision
  // for it (an unset mode reads as training, as torch's default).
  if (name == "training" && interp::IsModuleInstance(self_)) {
    interp::Tri t = interp::As<interp::InstanceValue>(self_)->module->training;
    return interp::MakeBool(t != interp::Tri::kFalse);
  }
  return in().GetAttr(self_, name, in().CallSite());
}

ValuePtr LayerCall::CallOp(const std::string& op, std::vector<ValuePtr> positional,
                           std::vector<std::pair<std::string, ValuePtr>> keywords) {
  const OpSpec* spec = registry_.FindOp(op);
  if (spec == nullptr) return in().NoteUnmodeled(op, in().CallSite());
  Args args;
  args.positional = std::move(positional);
  args.keywords = std::move(keywords);
  return registry_.CallOp(in(), *spec, nullptr, std::move(args));
}

// ---- Registry -------------------------------------------------------------------

OpRegistry::OpRegistry() : sig_source_(std::make_unique<SignatureSource>()) {}
OpRegistry::~OpRegistry() = default;

void OpRegistry::AddOp(OpSpec spec) {
  std::string name = spec.name;
  ops_[name] = std::make_unique<OpSpec>(std::move(spec));
}
void OpRegistry::AddLayer(LayerSpec spec) {
  std::string name = spec.name;
  layers_[name] = std::make_unique<LayerSpec>(std::move(spec));
}
void OpRegistry::AddNative(const std::string& qualname, NativeFactory factory) { natives_[qualname] = factory; }
void OpRegistry::AddAlias(const std::string& qualname, const std::string& target) { aliases_[qualname] = target; }
void OpRegistry::AddPackage(const std::string& name) { packages_.push_back(name); }

absl::Status OpRegistry::Finalize() {
  for (auto& [name, op] : ops_) {
    op->sig.text = op->signature;
    absl::Status s = ParseSignature(sig_source_.get(), name, &op->sig);
    if (!s.ok()) return s;
  }
  for (auto& [name, layer] : layers_) {
    layer->init_sig.text = layer->signature;
    absl::Status s = ParseSignature(sig_source_.get(), name, &layer->init_sig);
    if (!s.ok()) return s;
    layer->forward_sig.text = layer->forward_signature;
    s = ParseSignature(sig_source_.get(), name + ".forward", &layer->forward_sig);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

void OpRegistry::AddBundledSource(const std::string& path, std::string text) { bundled_[path] = std::move(text); }

const std::string* OpRegistry::BundledSource(std::string_view path) const {
  auto it = bundled_.find(path);
  return it == bundled_.end() ? nullptr : &it->second;
}

std::vector<std::string> OpRegistry::BundledPaths() const {
  std::vector<std::string> out;
  for (const auto& [p, t] : bundled_) out.push_back(p);
  return out;
}

bool OpRegistry::IsModeledPackage(std::string_view name) const {
  for (const auto& p : packages_) if (p == name) return true;
  return false;
}

bool OpRegistry::OwnsNamespace(std::string_view dotted) const {
  std::string_view root = dotted.substr(0, dotted.find('.'));
  return root == "torch" || root == "numpy";
}

const OpSpec* OpRegistry::FindOp(const std::string& name) const {
  auto it = ops_.find(name);
  if (it != ops_.end()) return it->second.get();
  auto a = aliases_.find(name);
  if (a != aliases_.end()) return FindOp(a->second);
  return nullptr;
}
const LayerSpec* OpRegistry::FindLayer(const std::string& name) const {
  auto it = layers_.find(name);
  return it == layers_.end() ? nullptr : it->second.get();
}

std::vector<std::string> OpRegistry::OpNames() const {
  std::vector<std::string> out;
  for (const auto& [n, s] : ops_) out.push_back(n);
  for (const auto& [n, t] : aliases_) if (FindOp(t)) out.push_back(n);
  std::sort(out.begin(), out.end());
  return out;
}
std::vector<std::string> OpRegistry::LayerNames() const {
  std::vector<std::string> out;
  for (const auto& [n, s] : layers_) out.push_back(n);
  return out;
}
std::vector<std::string> OpRegistry::NativeNames() const {
  std::vector<std::string> out;
  for (const auto& [n, s] : natives_) out.push_back(n);
  return out;
}

ValuePtr OpRegistry::CallOp(Interpreter& in, const OpSpec& spec, const ValuePtr& self, Args args) {
  if (self) args.positional.insert(args.positional.begin(), self);
  for (const auto& a : args.positional) in.NoteTensorUse(a.get());
  interp::BindResult b = interp::BindArgs(*spec.sig.params, spec.sig.defaults, args);
  if (!b.ok) {
    in.NoteUnmodeled(absl::StrCat(spec.name, " called as modeled (", b.error, ")"), in.CallSite());
    return interp::MakeUnknownRankTensor();
  }
  OpCall call(in, spec, std::move(b.slots));
  ValuePtr r = spec.fn(call);
  return r ? r : interp::MakeUnknown(spec.name);
}

ValuePtr OpRegistry::MakeOpValue(const OpSpec& spec) {
  const OpSpec* sp = &spec;
  return interp::MakeNative(spec.name, [this, sp](Interpreter& in, const ValuePtr& self, Args& args) {
    return CallOp(in, *sp, self, args);
  });
}

ValuePtr OpRegistry::MakeLayerClass(Interpreter& in, const LayerSpec& spec) {
  ValuePtr base = Resolve(in, "torch.nn.Module");
  std::vector<interp::ClassPtr> bases;
  if (Is(base, ValueKind::kClass)) bases.push_back(std::static_pointer_cast<interp::ClassValue>(base));
  std::string short_name = spec.name.substr(spec.name.rfind('.') + 1);
  interp::ClassPtr cls = in.NewClass(short_name, spec.name, std::move(bases));
  cls->is_nn_module = true;
  cls->is_native = true;
  cls->native_spec = &spec;
  const LayerSpec* sp = &spec;
  cls->attrs.Set("__init__", interp::MakeNative(spec.name + ".__init__",
      [sp](Interpreter& in, const ValuePtr& self, Args& args) -> ValuePtr {
        if (!interp::IsModuleInstance(self)) return interp::MakeNone();
        interp::BindResult b = interp::BindArgs(*sp->init_sig.params, sp->init_sig.defaults, args);
        if (!b.ok) in.NoteUnmodeled(absl::StrCat(sp->name, "(", b.error, ")"), in.CallSite());
        LayerInit init(in, sp->init_sig, std::move(b.slots), As<interp::InstanceValue>(self));
        sp->init(init);
        return interp::MakeNone();
      }));
  cls->attrs.Set("forward", interp::MakeNative(spec.name + ".forward",
      [this, sp](Interpreter& in, const ValuePtr& self, Args& args) -> ValuePtr {
        interp::BindResult b = interp::BindArgs(*sp->forward_sig.params, sp->forward_sig.defaults, args);
        LayerCall call(in, sp->forward_sig, std::move(b.slots), self, *this);
        return sp->forward(call);
      }));
  return cls;
}

ValuePtr OpRegistry::Resolve(Interpreter& in, std::string_view qualname_view) {
  if (in.id() != cache_owner_) {
    cache_.clear();
    cache_owner_ = in.id();
  }
  std::string qualname(qualname_view);
  auto alias = aliases_.find(qualname);
  if (alias != aliases_.end()) return Resolve(in, alias->second);
  auto hit = cache_.find(qualname);
  if (hit != cache_.end()) return hit->second;
  ValuePtr v;
  if (auto op = ops_.find(qualname); op != ops_.end()) {
    v = MakeOpValue(*op->second);
  } else if (auto layer = layers_.find(qualname); layer != layers_.end()) {
    v = MakeLayerClass(in, *layer->second);
  } else if (auto native = natives_.find(qualname); native != natives_.end()) {
    v = native->second(in, qualname);
  }
  if (v) cache_[qualname] = v;
  return v;
}

std::optional<std::vector<Dim>> GuessInputShape(const interp::InstanceValue& layer, interp::DType* dtype) {
  if (!layer.cls->is_native || layer.cls->native_spec == nullptr) return std::nullopt;
  const std::string& q = layer.cls->qualname;
  auto attr = [&](const char* n) { return interp::AsDim(layer.attrs.Get(n)); };
  *dtype = interp::DType::kFloat32;
  Dim b = Dim::Symbol("B");
  if (q == "torch.nn.Linear") {
    if (auto in = attr("in_features")) return std::vector<Dim>{b, *in};
  } else if (absl::StartsWith(q, "torch.nn.Conv") || absl::StartsWith(q, "torch.nn.BatchNorm")) {
    auto c = absl::StartsWith(q, "torch.nn.Conv") ? attr("in_channels") : attr("num_features");
    char n = q[q.size() - 2];  // Conv2d -> '2'
    if (!c) return std::nullopt;
    if (n == '1') return std::vector<Dim>{b, *c, Dim::Symbol("L")};
    if (n == '2') return std::vector<Dim>{b, *c, Dim::Symbol("H"), Dim::Symbol("W")};
    if (n == '3') return std::vector<Dim>{b, *c, Dim::Symbol("D"), Dim::Symbol("H"), Dim::Symbol("W")};
  } else if (q == "torch.nn.Embedding") {
    *dtype = interp::DType::kInt64;
    return std::vector<Dim>{b, Dim::Symbol("L")};
  } else if (q == "torch.nn.LayerNorm") {
    ValuePtr ns = layer.attrs.Get("normalized_shape");
    if (!interp::IsSeq(ns)) return std::nullopt;
    std::vector<Dim> out = {b, Dim::Symbol("L")};
    for (const auto& x : As<interp::SeqValue>(ns)->items) {
      auto d = interp::AsDim(x);
      if (!d) return std::nullopt;
      out.push_back(*d);
    }
    return out;
  }
  return std::nullopt;
}

}  // namespace shapelint::ops
