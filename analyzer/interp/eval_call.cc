// eval_call.cc: calls, the object model (attributes, MRO, nn.Module
// registration) and the container protocols (iteration, subscripts).
#include "absl/strings/str_cat.h"
#include "analyzer/interp/binder.h"
#include "analyzer/interp/interpreter.h"

namespace shapelint::interp {

namespace {

ValuePtr Bind(const ValuePtr& self, const ValuePtr& fn) {
  auto m = std::make_shared<BoundMethodValue>();
  m->self = self;
  m->func = fn;
  return m;
}

// C3 linearization; falls back to depth-first order when inconsistent.
std::vector<ClassPtr> ComputeMro(const ClassPtr& cls) {
  std::vector<std::vector<ClassPtr>> seqs;
  for (const auto& b : cls->bases) seqs.push_back(b->mro);
  seqs.push_back(cls->bases);
  std::vector<ClassPtr> out = {cls};
  while (true) {
    bool any = false;
    for (auto& s : seqs) any |= !s.empty();
    if (!any) break;
    ClassPtr pick;
    for (auto& s : seqs) {
      if (s.empty()) continue;
      ClassPtr cand = s.front();
      bool in_tail = false;
      for (auto& t : seqs)
        for (size_t i = 1; i < t.size(); ++i)
          if (t[i] == cand) in_tail = true;
      if (!in_tail) { pick = cand; break; }
    }
    if (!pick) {  // inconsistent hierarchy: depth-first, de-duplicated
      for (auto& s : seqs)
        for (auto& c : s)
          if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
      return out;
    }
    out.push_back(pick);
    for (auto& s : seqs)
      if (!s.empty() && s.front() == pick) s.erase(s.begin());
  }
  return out;
}

}  // namespace

ClassPtr Interpreter::NewClass(const std::string& name, const std::string& qualname, std::vector<ClassPtr> bases) {
  auto cls = std::make_shared<ClassValue>();
  cls->name = name;
  cls->qualname = qualname;
  cls->bases = std::move(bases);
  for (const auto& b : cls->bases) {
    cls->is_nn_module |= b->is_nn_module;
    cls->has_unknown_base |= b->has_unknown_base;
  }
  cls->mro = ComputeMro(cls);
  classes_.push_back(cls);
  return cls;
}

ValuePtr Interpreter::NewInstance(const ClassPtr& cls, const Span& site) {
  auto inst = std::make_shared<InstanceValue>();
  inst->cls = cls;
  instances_.push_back(inst);
  if (cls->is_nn_module) {
    inst->module = std::make_unique<ModuleState>();
    inst->module->created_at = site;
    modules_created_.push_back(inst);
  }
  return inst;
}

ValuePtr Interpreter::LookupClassAttr(const ClassPtr& cls, const std::string& name, size_t start) const {
  for (size_t i = start; i < cls->mro.size(); ++i) {
    if (ValuePtr v = cls->mro[i]->attrs.Get(name)) return v;
  }
  return nullptr;
}

ValuePtr Interpreter::Call(const ValuePtr& callee, Args args, const Span& site) {
  if (!Step()) return MakeUnknown("aborted");
  if (!callee) return MakeUnknown("call of nothing");
  switch (callee->kind) {
    case ValueKind::kFunction:
      return CallUserFunction(As<FunctionValue>(callee), callee, std::move(args), site);
    case ValueKind::kNative: {
      auto* n = As<NativeValue>(callee);
      ValuePtr r = n->fn(*this, n->self, args);
      return r ? r : MakeUnknown(n->name);
    }
    case ValueKind::kBoundMethod: {
      auto* m = As<BoundMethodValue>(callee);
      if (Is(m->func, ValueKind::kNative)) {
        auto* n = As<NativeValue>(m->func);
        ValuePtr r = n->fn(*this, m->self, args);
        return r ? r : MakeUnknown(n->name);
      }
      args.positional.insert(args.positional.begin(), m->self);
      return Call(m->func, std::move(args), site);
    }
    case ValueKind::kClass:
      return Construct(std::static_pointer_cast<ClassValue>(callee), std::move(args), site);
    case ValueKind::kInstance: {
      if (IsModuleInstance(callee)) return CallModule(callee, std::move(args), site);
      if (ValuePtr m = TryGetAttr(callee, "__call__", site)) return Call(m, std::move(args), site);
      return MakeUnknown("call of non-callable instance");
    }
    default:
      return MakeUnknown("call of unknown");
  }
}

ValuePtr Interpreter::CallAt(const ValuePtr& fn, Args args, const Span& site) {
  PushCallSite(site);
  ValuePtr r = Call(fn, std::move(args), site);
  PopCallSite();
  return r;
}

ValuePtr Interpreter::CallUserFunction(FunctionValue* fn, const ValuePtr& fn_value, Args args, const Span& site) {
  if (call_depth_ >= options_.max_call_depth) {
    return NoteUnmodeled(absl::StrCat("call depth over ", options_.max_call_depth, " (", fn->name, ")"), site);
  }
  BindResult bound = BindArgs(*fn->params, fn->defaults, args);
  auto scope = NewScope();
  scope->parent = fn->closure;
  scope->globals = fn->globals;
  const auto& ps = fn->params->params;
  for (size_t i = 0; i < ps.size(); ++i) scope->vars[ps[i].name] = bound.slots[i];
  ++call_depth_;
  frames_.push_back(Frame{fn, ps.empty() ? nullptr : bound.slots[0]});
  if (fn->body != nullptr) executed_.insert(fn->body);
  ValuePtr result;
  if (fn->lambda_body != nullptr) {
    result = Eval(*fn->lambda_body, scope);
  } else {
    return_value_ = nullptr;
    Flow f = ExecBlock(*fn->body, scope);
    result = (f == Flow::kReturn && return_value_) ? return_value_ : MakeNone();
    if (f == Flow::kRaise || f == Flow::kAbort) result = MakeUnknown("raised");
    return_value_ = nullptr;
  }
  frames_.pop_back();
  --call_depth_;
  (void)fn_value;
  return result;
}

ValuePtr Interpreter::Construct(const ClassPtr& cls, Args args, const Span& site) {
  if (cls->native_new) return cls->native_new(*this, cls, args);
  // A user class deriving from a builtin type constructs like its base.
  for (const auto& c : cls->mro) {
    if (c->native_new && !c->is_nn_module) {
      ValuePtr init = LookupClassAttr(cls, "__init__");
      if (!init || Is(init, ValueKind::kNative)) return c->native_new(*this, cls, args);
      break;
    }
  }
  ValuePtr inst = NewInstance(cls, site);
  if (ValuePtr init = LookupClassAttr(cls, "__init__")) {
    if (Is(init, ValueKind::kNative)) {
      auto* n = As<NativeValue>(init);
      n->fn(*this, inst, args);
    } else {
      args.positional.insert(args.positional.begin(), inst);
      Call(init, std::move(args), site);
    }
  }
  return inst;
}

ValuePtr Interpreter::CallModule(const ValuePtr& module, Args args, const Span& site) {
  auto* inst = As<InstanceValue>(module);
  ModuleState& st = *inst->module;
  st.called = true;
  st.inputs.clear();
  st.outputs.clear();
  std::vector<TensorRecord> ins;
  for (const auto& a : args.positional) CollectTensorRecords(a, &ins);
  ValuePtr forward = LookupClassAttr(inst->cls, "forward");
  if (!forward) return NoteUnmodeled(absl::StrCat(inst->cls->name, ".forward"), site);
  module_stack_.push_back(inst);
  ValuePtr out;
  if (Is(forward, ValueKind::kNative)) {
    out = As<NativeValue>(forward)->fn(*this, module, args);
  } else {
    args.positional.insert(args.positional.begin(), module);
    out = Call(forward, std::move(args), site);
  }
  module_stack_.pop_back();
  if (!raising_ && !aborted_) st.completed = true;
  if (!out) out = MakeUnknown("forward");
  std::vector<TensorRecord> outs;
  CollectTensorRecords(out, &outs);
  st.inputs = std::move(ins);
  st.outputs = std::move(outs);
  return out;
}

void Interpreter::RegisterChild(InstanceValue* parent, const std::string& name, const ValuePtr& child) {
  ModuleState& st = *parent->module;
  if (IsModuleInstance(child)) As<InstanceValue>(child)->module->registered = true;
  parent->attrs.Erase(name);
  for (auto& [n, c] : st.children) {
    if (n == name) {
      c = child;
      return;
    }
  }
  st.children.emplace_back(name, child);
}

// ---- Attributes -------------------------------------------------------------------

ValuePtr Interpreter::GetAttr(const ValuePtr& obj, const std::string& name, const Span& site) {
  if (IsUnknown(obj)) return MakeUnknown("attribute of unknown");
  if (ValuePtr v = TryGetAttr(obj, name, site)) return v;
  if (Is(obj, ValueKind::kModule) && As<ModuleValue>(obj)->modeled) {
    return ResolveModeled(As<ModuleValue>(obj)->name + "." + name, site);
  }
  if (Is(obj, ValueKind::kTensor)) return NoteUnmodeled("torch.Tensor." + name, site);
  if (Is(obj, ValueKind::kClass) && As<ClassValue>(obj)->is_native) {
    // torch.Tensor.add, nn.Module.__call__ ...: the modeled class's API.
    return ResolveModeled(As<ClassValue>(obj)->qualname + "." + name, site);
  }
  if (Is(obj, ValueKind::kInstance) && As<InstanceValue>(obj)->cls->is_native) {
    return NoteUnmodeled(As<InstanceValue>(obj)->cls->qualname + "." + name, site);
  }
  return MakeUnknown(absl::StrCat("attribute '", name, "'"));
}

ValuePtr Interpreter::TryGetAttr(const ValuePtr& obj, const std::string& name, const Span& site) {
  if (!obj) return nullptr;
  switch (obj->kind) {
    case ValueKind::kInstance: {
      auto* inst = As<InstanceValue>(obj);
      if (inst->module) {
        ModuleState& st = *inst->module;
        if (ParamRecord* p = st.FindParam(name)) {
          if (InForward()) p->read_in_forward = true;
          return p->value;
        }
        if (ParamRecord* b = st.FindBuffer(name)) {
          if (InForward()) b->read_in_forward = true;
          return b->value;
        }
        if (ValuePtr c = st.FindChild(name)) {
          if (InForward()) st.child_use[name].read_in_forward = true;
          return c;
        }
        if (name == "training") return MakeBool(Training(st, site));
      }
      if (ValuePtr v = inst->attrs.Get(name)) return v;
      ValuePtr v = LookupClassAttr(inst->cls, name);
      if (!v) {
        if (name == "__class__") return inst->cls;
        if (name == "__dict__") return MakeUnknown("__dict__");
        if (ValuePtr getattr = LookupClassAttr(inst->cls, "__getattr__")) {
          if (!Is(getattr, ValueKind::kNative)) {
            Args args;
            args.positional = {obj, MakeStr(name)};
            return Call(getattr, std::move(args), site);
          }
        }
        return nullptr;
      }
      if (Is(v, ValueKind::kFunction)) {
        auto* f = As<FunctionValue>(v);
        if (f->is_staticmethod) return v;
        if (f->is_classmethod) return Bind(inst->cls, v);
        if (f->is_property) {
          Args args;
          args.positional = {obj};
          return Call(v, std::move(args), site);
        }
        return Bind(obj, v);
      }
      if (Is(v, ValueKind::kNative)) {
        if (As<NativeValue>(v)->is_property) return As<NativeValue>(v)->fn(*this, obj, *std::make_unique<Args>());
        return Bind(obj, v);
      }
      return v;
    }
    case ValueKind::kClass: {
      auto cls = std::static_pointer_cast<ClassValue>(obj);
      if (name == "__name__") return MakeStr(cls->name);
      if (name == "__qualname__") return MakeStr(cls->name);
      ValuePtr v = LookupClassAttr(cls, name);
      if (v && Is(v, ValueKind::kFunction) && As<FunctionValue>(v)->is_classmethod) return Bind(obj, v);
      return v;
    }
    case ValueKind::kSuper: {
      auto* s = As<SuperValue>(obj);
      ClassPtr start_cls;
      if (Is(s->self, ValueKind::kInstance)) start_cls = As<InstanceValue>(s->self)->cls;
      else if (Is(s->self, ValueKind::kClass)) start_cls = std::static_pointer_cast<ClassValue>(s->self);
      if (!start_cls) return MakeUnknown("super");
      size_t i = 0;
      while (i < start_cls->mro.size() && start_cls->mro[i] != s->after) ++i;
      ValuePtr v = LookupClassAttr(start_cls, name, i + 1);
      if (!v) {
        if (name == "__init__") return MakeNative("object.__init__", [](Interpreter&, const ValuePtr&, Args&) { return MakeNone(); });
        return nullptr;
      }
      if (Is(v, ValueKind::kFunction) && As<FunctionValue>(v)->is_staticmethod) return v;
      return Bind(s->self, v);
    }
    case ValueKind::kModule: {
      auto* m = As<ModuleValue>(obj);
      if (!m->loaded) EnsureLoadedQuietly(m);
      if (m->globals) {
        auto it = m->globals->vars.find(name);
        if (it != m->globals->vars.end()) return it->second;
        // A submodule of a package (`import pkg.sub` then pkg.sub).
        auto sub = modules_.find(m->name + "." + name);
        if (sub != modules_.end()) return sub->second;
        auto hook = m->globals->vars.find("__getattr__");  // PEP 562
        if (hook != m->globals->vars.end() && name != "__getattr__" && name.rfind("__", 0) != 0) {
          Args args;
          args.positional.push_back(MakeStr(name));
          return CallAt(hook->second, std::move(args), site);
        }
        return nullptr;
      }
      if (m->modeled) {
        auto sub = modules_.find(m->name + "." + name);
        if (sub != modules_.end()) return sub->second;
      }
      return nullptr;
    }
    case ValueKind::kSlice: {
      auto* s = As<SliceValue>(obj);
      if (name == "start") return s->lower ? s->lower : MakeNone();
      if (name == "stop") return s->upper ? s->upper : MakeNone();
      if (name == "step") return s->step ? s->step : MakeNone();
      return nullptr;
    }
    case ValueKind::kTensor: {
      auto* t = As<TensorValue>(obj);
      if (name == "shape") {
        if (!t->rank_known) return MakeUnknown("shape of unknown rank");
        std::vector<ValuePtr> dims;
        for (const auto& d : t->dims) dims.push_back(MakeInt(d));
        return MakeTuple(std::move(dims));
      }
      if (name == "ndim") return t->rank_known ? MakeInt(static_cast<int64_t>(t->dims.size())) : MakeUnknown("ndim");
      if (name == "dtype") return ResolveModeled(absl::StrCat("torch.", DTypeName(t->dtype)), site);
      if (name == "is_cuda") return MakeBool(false);
      if (name == "requires_grad") return MakeBool(t->requires_grad);
      if (name == "device") return MakeUnknown("device");
      ValuePtr fn = api_.Resolve(*this, "torch.Tensor." + name);
      if (!fn) return nullptr;
      if (Is(fn, ValueKind::kNative) && As<NativeValue>(fn)->is_property) {
        Args none;
        return As<NativeValue>(fn)->fn(*this, obj, none);
      }
      return Bind(obj, fn);
    }
    case ValueKind::kFunction:
      if (name == "__name__") return MakeStr(As<FunctionValue>(obj)->name);
      return nullptr;
    case ValueKind::kNative:
      if (name == "__name__") {
        const std::string& n = As<NativeValue>(obj)->name;
        return MakeStr(n.substr(n.rfind('.') + 1));
      }
      return nullptr;
    case ValueKind::kUnknown:
      return MakeUnknown("attribute of unknown");
    default:
      return BuiltinMethod(*this, obj, name);
  }
}

void Interpreter::SetAttr(const ValuePtr& obj, const std::string& name, const ValuePtr& value, const Span& site) {
  if (!obj) return;
  if (Is(obj, ValueKind::kClass)) {
    As<ClassValue>(obj)->attrs.Set(name, value);
    return;
  }
  if (!Is(obj, ValueKind::kInstance)) return;
  auto* inst = As<InstanceValue>(obj);
  if (!inst->module) {
    // A property setter on a plain class is not modeled; store the value.
    inst->attrs.Set(name, value);
    return;
  }
  ModuleState& st = *inst->module;
  if (name == "training") {
    Tri t = Truthy(value);
    if (t != Tri::kUnknown) st.training = t;
    return;
  }
  if (IsModuleInstance(value)) {
    RegisterChild(inst, name, value);
    inst->module->child_use[name].assigned_at = site;
    return;
  }
  if (Is(value, ValueKind::kTensor) && As<TensorValue>(value)->is_parameter) {
    if (ParamRecord* p = st.FindParam(name)) {
      p->value = value;
      return;
    }
    inst->attrs.Erase(name);
    ParamRecord rec;
    rec.name = name;
    rec.value = value;
    rec.created_at = As<TensorValue>(value)->origin.valid() ? As<TensorValue>(value)->origin : site;
    rec.user_created = true;
    st.params.push_back(std::move(rec));
    return;
  }
  if (ParamRecord* p = st.FindParam(name)) {
    p->value = value;  // e.g. `self.bias = None` after register_parameter
    return;
  }
  if (ParamRecord* b = st.FindBuffer(name)) {
    b->value = value;
    return;
  }
  for (auto& [n, c] : st.children) {
    if (n == name) {
      if (Is(value, ValueKind::kNone)) c = value;
      return;
    }
  }
  inst->attrs.Set(name, value);
}

// ---- Protocols ----------------------------------------------------------------------

std::optional<std::vector<ValuePtr>> Interpreter::Iterate(const ValuePtr& v, const Span& site) {
  if (!v) return std::nullopt;
  switch (v->kind) {
    case ValueKind::kTuple:
    case ValueKind::kList:
      return As<SeqValue>(v)->items;
    case ValueKind::kDict: {
      std::vector<ValuePtr> keys;
      for (auto& [k, x] : As<DictValue>(v)->entries) keys.push_back(k);
      return keys;
    }
    case ValueKind::kStr: {
      std::vector<ValuePtr> chars;
      for (char c : As<StrValue>(v)->value) chars.push_back(MakeStr(std::string(1, c)));
      return chars;
    }
    case ValueKind::kInstance: {
      ValuePtr it = TryGetAttr(v, "__iter__", site);
      if (!it) return std::nullopt;
      ValuePtr r = Call(it, Args{}, site);
      if (Is(r, ValueKind::kInstance)) return std::nullopt;
      return Iterate(r, site);
    }
    case ValueKind::kTensor: {
      auto* t = As<TensorValue>(v);
      if (!t->rank_known || t->dims.empty() || !t->dims[0].is_const() || t->dims[0].value() > 4096)
        return std::nullopt;
      std::vector<ValuePtr> rows;
      std::vector<Dim> rest(t->dims.begin() + 1, t->dims.end());
      for (int64_t i = 0; i < t->dims[0].value(); ++i) rows.push_back(MakeTensor(rest, t->dtype));
      return rows;
    }
    default:
      return std::nullopt;
  }
}

namespace {

// NormalizeSlice: Python slice indices over a sequence of length n.
bool SliceIndices(const SliceValue& s, int64_t n, std::vector<int64_t>* out) {
  auto get = [](const ValuePtr& v, std::optional<int64_t>* r) {
    if (Is(v, ValueKind::kNone)) return true;
    *r = AsInt(v);
    return r->has_value();
  };
  std::optional<int64_t> lo, hi, step;
  if (!get(s.lower, &lo) || !get(s.upper, &hi) || !get(s.step, &step)) return false;
  int64_t st = step.value_or(1);
  if (st == 0) return false;
  auto clamp = [&](int64_t i, bool upper) {
    if (i < 0) i += n;
    if (st > 0) return std::max<int64_t>(0, std::min(i, n));
    return std::max<int64_t>(-1, std::min(i, n - 1)) + (upper ? 0 : 0);
  };
  int64_t a = lo ? clamp(*lo, false) : (st > 0 ? 0 : n - 1);
  int64_t b = hi ? clamp(*hi, true) : (st > 0 ? n : -1);
  for (int64_t i = a; st > 0 ? i < b : i > b; i += st) out->push_back(i);
  return true;
}

}  // namespace

ValuePtr Interpreter::GetItem(const ValuePtr& obj, const ValuePtr& index, const Span& site) {
  if (!obj) return MakeUnknown("subscript");
  switch (obj->kind) {
    case ValueKind::kTuple:
    case ValueKind::kList:
    case ValueKind::kStr: {
      int64_t n = obj->kind == ValueKind::kStr ? static_cast<int64_t>(As<StrValue>(obj)->value.size())
                                               : static_cast<int64_t>(As<SeqValue>(obj)->items.size());
      if (Is(index, ValueKind::kSlice)) {
        std::vector<int64_t> idx;
        if (!SliceIndices(*As<SliceValue>(index), n, &idx)) return MakeUnknown("slice");
        if (obj->kind == ValueKind::kStr) {
          std::string out;
          for (int64_t i : idx) out += As<StrValue>(obj)->value[i];
          return MakeStr(out);
        }
        std::vector<ValuePtr> out;
        for (int64_t i : idx) out.push_back(As<SeqValue>(obj)->items[i]);
        return obj->kind == ValueKind::kTuple ? MakeTuple(out) : MakeList(out);
      }
      auto i = AsInt(index);
      if (!i) return MakeUnknown("index");
      int64_t k = *i < 0 ? *i + n : *i;
      if (k < 0 || k >= n) return MakeUnknown("index out of range");
      if (obj->kind == ValueKind::kStr) return MakeStr(std::string(1, As<StrValue>(obj)->value[k]));
      return As<SeqValue>(obj)->items[k];
    }
    case ValueKind::kDict: {
      for (auto& [k, v] : As<DictValue>(obj)->entries) {
        Tri e = KeyEquals(k, index);
        if (e == Tri::kTrue) return v;
      }
      return MakeUnknown("dict key");
    }
    case ValueKind::kTensor: {
      ValuePtr fn = ResolveModeled("torch.Tensor.__getitem__", site);
      Args args;
      args.positional = {obj, index};
      return CallAt(fn, std::move(args), site);
    }
    case ValueKind::kInstance: {
      if (ValuePtr m = TryGetAttr(obj, "__getitem__", site)) {
        Args args;
        args.positional = {index};
        return Call(m, std::move(args), site);
      }
      return MakeUnknown("subscript of instance");
    }
    case ValueKind::kClass:  // typing generics: List[int], Optional[...]
      return obj;
    default:
      return MakeUnknown("subscript");
  }
}

bool Interpreter::IsInstance(const ValuePtr& v, const ValuePtr& cls_or_tuple, Tri* result) {
  if (IsSeq(cls_or_tuple)) {
    Tri r = Tri::kFalse;
    for (const auto& c : As<SeqValue>(cls_or_tuple)->items) {
      Tri t;
      IsInstance(v, c, &t);
      if (t == Tri::kTrue) { *result = Tri::kTrue; return true; }
      if (t == Tri::kUnknown) r = Tri::kUnknown;
    }
    *result = r;
    return true;
  }
  if (IsUnknown(v)) {
    *result = Tri::kUnknown;
    return false;
  }
  if (!Is(cls_or_tuple, ValueKind::kClass)) {
    // An instance whose whole MRO is known cannot be an instance of a class
    // the analysis does not know.
    if (Is(v, ValueKind::kInstance) && !As<InstanceValue>(v)->cls->has_unknown_base) {
      *result = Tri::kFalse;
      return true;
    }
    *result = Tri::kUnknown;
    return false;
  }
  auto* cls = As<ClassValue>(cls_or_tuple);
  if (Is(v, ValueKind::kInstance)) {
    for (const auto& c : As<InstanceValue>(v)->cls->mro) {
      if (c.get() == cls) { *result = Tri::kTrue; return true; }
    }
    *result = Tri::kFalse;
    return true;
  }
  if (!cls->abc_kinds.empty()) {
    bool match = std::find(cls->abc_kinds.begin(), cls->abc_kinds.end(), v->kind) != cls->abc_kinds.end();
    *result = match ? Tri::kTrue : Tri::kFalse;
    if (!match && Is(v, ValueKind::kInstance)) *result = Tri::kUnknown;  // a user class may implement it
    return true;
  }
  if (cls->builtin_kind) {
    ValueKind k = *cls->builtin_kind;
    bool match = v->kind == k || (k == ValueKind::kInt && v->kind == ValueKind::kBool);
    *result = match ? Tri::kTrue : Tri::kFalse;
    return true;
  }
  *result = Tri::kFalse;
  return true;
}

}  // namespace shapelint::interp
