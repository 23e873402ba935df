// module.cc: torch.nn.Module and its containers (Sequential, ModuleList,
// ModuleDict), nn.Parameter, the modeled packages, dtypes, and no-shape-effect
// APIs (nn.init.*, torch.no_grad, manual_seed).
#include "absl/strings/str_cat.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

using interp::Args;
using interp::As;
using interp::ClassPtr;
using interp::InstanceValue;
using interp::Interpreter;
using interp::Is;
using interp::MakeNative;
using interp::ValueKind;

ValuePtr Arg(Args& a, size_t i, const char* kw = nullptr) {
  if (i < a.positional.size()) return a.positional[i];
  if (kw)
    for (auto& [k, v] : a.keywords) if (k == kw) return v;
  return nullptr;
}

InstanceValue* Mod(const ValuePtr& self) {
  return interp::IsModuleInstance(self) ? As<InstanceValue>(self) : nullptr;
}

void Method(const ClassPtr& cls, const std::string& name, interp::NativeFn fn) {
  cls->attrs.Set(name, MakeNative(cls->qualname + "." + name, std::move(fn)));
}

ClassPtr ModuleBase(Interpreter& in) {
  ValuePtr m = in.ResolveModeled("torch.nn.Module", Span{});
  return std::static_pointer_cast<interp::ClassValue>(m);
}

// AllModules: named_modules() of `self` as (path, module) pairs.
void Walk(const ValuePtr& m, const std::string& prefix, std::vector<std::pair<std::string, ValuePtr>>* out,
          std::vector<const interp::Value*>* seen) {
  for (auto* s : *seen) if (s == m.get()) return;
  seen->push_back(m.get());
  out->emplace_back(prefix, m);
  for (auto& [n, c] : Mod(m)->module->children) {
    if (interp::IsModuleInstance(c)) Walk(c, prefix.empty() ? n : prefix + "." + n, out, seen);
  }
}

std::vector<std::pair<std::string, ValuePtr>> NamedModules(const ValuePtr& self) {
  std::vector<std::pair<std::string, ValuePtr>> out;
  std::vector<const interp::Value*> seen;
  if (Mod(self)) Walk(self, "", &out, &seen);
  return out;
}

// MarkChildrenReached: forward iterating `self.children()` / `self.modules()`
// reaches every submodule (for unused-submodule).
void MarkChildrenReached(Interpreter& in, const ValuePtr& self) {
  if (!in.InForward() || !interp::IsModuleInstance(self)) return;
  for (auto& [p, m] : NamedModules(self))
    for (auto& [name, use] : Mod(m)->module->child_use) use.read_in_forward = true;
}

ValuePtr MakeModuleClass(Interpreter& in, const std::string&) {
  ClassPtr cls = in.NewClass("Module", "torch.nn.Module", {});
  cls->is_nn_module = true;
  cls->is_native = true;
  Method(cls, "__init__", [](Interpreter&, const ValuePtr&, Args&) { return interp::MakeNone(); });
  Method(cls, "add_module", [](Interpreter& in, const ValuePtr& self, Args& a) {
    const std::string* name = interp::AsStr(Arg(a, 0, "name"));
    ValuePtr m = Arg(a, 1, "module");
    if (Mod(self) && name && m) {
      if (interp::IsModuleInstance(m)) {
        in.RegisterChild(Mod(self), *name, m);
        Mod(self)->module->child_use[*name].assigned_at = in.CallSite();
      } else {
        Mod(self)->module->children.emplace_back(*name, m);
      }
    }
    return interp::MakeNone();
  });
  cls->attrs.Set("register_module", cls->attrs.Get("add_module"));
  Method(cls, "register_buffer", [](Interpreter& in, const ValuePtr& self, Args& a) {
    const std::string* name = interp::AsStr(Arg(a, 0, "name"));
    if (Mod(self) && name) {
      interp::ParamRecord rec;
      rec.name = *name;
      rec.value = Arg(a, 1, "tensor") ? Arg(a, 1, "tensor") : interp::MakeNone();
      rec.created_at = in.CallSite();
      rec.user_created = true;
      Mod(self)->module->buffers.push_back(std::move(rec));
    }
    return interp::MakeNone();
  });
  Method(cls, "register_parameter", [](Interpreter& in, const ValuePtr& self, Args& a) {
    const std::string* name = interp::AsStr(Arg(a, 0, "name"));
    if (Mod(self) && name) {
      interp::ParamRecord rec;
      rec.name = *name;
      rec.value = Arg(a, 1, "param") ? Arg(a, 1, "param") : interp::MakeNone();
      rec.created_at = in.CallSite();
      rec.user_created = Is(rec.value, ValueKind::kTensor);
      Mod(self)->module->params.push_back(std::move(rec));
    }
    return interp::MakeNone();
  });
  auto returns_self = [](Interpreter&, const ValuePtr& self, Args&) { return self; };
  for (const char* n : {"to", "cuda", "cpu", "float", "double", "half", "bfloat16", "requires_grad_",
                        "share_memory", "type"}) {
    Method(cls, n, returns_self);
  }
  Method(cls, "eval", [](Interpreter&, const ValuePtr& self, Args&) {
    for (auto& [p, m] : NamedModules(self)) Mod(m)->module->training = interp::Tri::kFalse;
    return self;
  });
  Method(cls, "train", [](Interpreter&, const ValuePtr& self, Args& a) {
    ValuePtr mode = Arg(a, 0, "mode");
    bool on = !mode || interp::Truthy(mode) != interp::Tri::kFalse;
    for (auto& [p, m] : NamedModules(self)) Mod(m)->module->training = on ? interp::Tri::kTrue : interp::Tri::kFalse;
    return self;
  });
  Method(cls, "zero_grad", [](Interpreter&, const ValuePtr&, Args&) { return interp::MakeNone(); });
  Method(cls, "apply", [](Interpreter& in, const ValuePtr& self, Args& a) {
    ValuePtr fn = Arg(a, 0, "fn");
    auto mods = NamedModules(self);
    // Children first, as torch does.
    for (auto it = mods.rbegin(); it != mods.rend(); ++it) {
      Args args;
      args.positional = {it->second};
      in.Call(fn, std::move(args), in.CallSite());
    }
    return self;
  });
  Method(cls, "modules", [](Interpreter& in, const ValuePtr& self, Args&) {
    MarkChildrenReached(in, self);
    std::vector<ValuePtr> out;
    for (auto& [p, m] : NamedModules(self)) out.push_back(m);
    return interp::MakeList(std::move(out));
  });
  Method(cls, "named_modules", [](Interpreter& in, const ValuePtr& self, Args&) {
    MarkChildrenReached(in, self);
    std::vector<ValuePtr> out;
    for (auto& [p, m] : NamedModules(self)) out.push_back(interp::MakeTuple({interp::MakeStr(p), m}));
    return interp::MakeList(std::move(out));
  });
  Method(cls, "children", [](Interpreter& in, const ValuePtr& self, Args&) {
    MarkChildrenReached(in, self);
    std::vector<ValuePtr> out;
    if (Mod(self))
      for (auto& [n, c] : Mod(self)->module->children) if (interp::IsModuleInstance(c)) out.push_back(c);
    return interp::MakeList(std::move(out));
  });
  Method(cls, "named_children", [](Interpreter& in, const ValuePtr& self, Args&) {
    MarkChildrenReached(in, self);
    std::vector<ValuePtr> out;
    if (Mod(self))
      for (auto& [n, c] : Mod(self)->module->children)
        if (interp::IsModuleInstance(c)) out.push_back(interp::MakeTuple({interp::MakeStr(n), c}));
    return interp::MakeList(std::move(out));
  });
  auto params = [](bool named, bool buffers) {
    return [named, buffers](Interpreter& in, const ValuePtr& self, Args&) {
      std::vector<ValuePtr> out;
      for (auto& [p, m] : NamedModules(self)) {
        auto& recs = buffers ? Mod(m)->module->buffers : Mod(m)->module->params;
        for (auto& rec : recs) {
          if (!Is(rec.value, ValueKind::kTensor)) continue;
          if (in.InForward()) rec.read_in_forward = true;
          std::string full = p.empty() ? rec.name : p + "." + rec.name;
          out.push_back(named ? interp::MakeTuple({interp::MakeStr(full), rec.value}) : rec.value);
        }
      }
      return interp::MakeList(std::move(out));
    };
  };
  Method(cls, "parameters", params(false, false));
  Method(cls, "named_parameters", params(true, false));
  Method(cls, "buffers", params(false, true));
  Method(cls, "named_buffers", params(true, true));
  return cls;
}

// Container helpers ---------------------------------------------------------------

ValuePtr ChildAt(const ValuePtr& self, const ValuePtr& index, bool* is_slice) {
  auto& children = Mod(self)->module->children;
  *is_slice = false;
  if (auto i = interp::AsInt(index)) {
    int64_t n = static_cast<int64_t>(children.size());
    int64_t k = *i < 0 ? *i + n : *i;
    if (k < 0 || k >= n) return interp::MakeUnknown("index out of range");
    return children[k].second;
  }
  if (const std::string* key = interp::AsStr(index)) {
    if (ValuePtr c = Mod(self)->module->FindChild(*key)) return c;
    return interp::MakeUnknown("missing key");
  }
  if (Is(index, ValueKind::kSlice)) *is_slice = true;
  return nullptr;
}

void AppendChild(Interpreter& in, const ValuePtr& self, const ValuePtr& m) {
  InstanceValue* s = Mod(self);
  std::string name = std::to_string(s->module->children.size());
  if (interp::IsModuleInstance(m)) in.RegisterChild(s, name, m);
  else s->module->children.emplace_back(name, m);
}

ValuePtr SliceContainer(Interpreter& in, const ValuePtr& self, const ValuePtr& slice, bool renumber) {
  InstanceValue* s = Mod(self);
  std::vector<ValuePtr> indices;
  for (size_t i = 0; i < s->module->children.size(); ++i) indices.push_back(interp::MakeInt(static_cast<int64_t>(i)));
  ValuePtr picked = in.GetItem(interp::MakeList(indices), slice, in.CallSite());
  auto items = in.Iterate(picked, in.CallSite());
  if (!items) return interp::MakeUnknown("container slice");
  ValuePtr out = in.NewInstance(s->cls, in.CallSite());
  for (size_t j = 0; j < items->size(); ++j) {
    auto& [n, c] = s->module->children[*interp::AsInt((*items)[j])];
    std::string name = renumber ? std::to_string(j) : n;
    if (interp::IsModuleInstance(c)) in.RegisterChild(Mod(out), name, c);
  }
  return out;
}

void AddContainerProtocol(const ClassPtr& cls, bool renumber_slices) {
  Method(cls, "__len__", [](Interpreter&, const ValuePtr& self, Args&) -> ValuePtr {
    if (!Mod(self)) return interp::MakeUnknown("len");
    return interp::MakeInt(static_cast<int64_t>(Mod(self)->module->children.size()));
  });
  Method(cls, "__iter__", [](Interpreter&, const ValuePtr& self, Args&) -> ValuePtr {
    std::vector<ValuePtr> out;
    if (Mod(self)) for (auto& [n, c] : Mod(self)->module->children) out.push_back(c);
    return interp::MakeList(std::move(out));
  });
  Method(cls, "__getitem__", [renumber_slices](Interpreter& in, const ValuePtr& self, Args& a) -> ValuePtr {
    if (!Mod(self)) return interp::MakeUnknown("getitem");
    bool is_slice = false;
    ValuePtr c = ChildAt(self, Arg(a, 0), &is_slice);
    if (c) return c;
    if (is_slice) return SliceContainer(in, self, Arg(a, 0), renumber_slices);
    return interp::MakeUnknown("container index");
  });
  Method(cls, "append", [](Interpreter& in, const ValuePtr& self, Args& a) {
    if (Mod(self)) AppendChild(in, self, Arg(a, 0));
    return self;
  });
  Method(cls, "extend", [](Interpreter& in, const ValuePtr& self, Args& a) {
    if (!Mod(self)) return self;
    if (auto items = in.Iterate(Arg(a, 0), in.CallSite()))
      for (auto& m : *items) AppendChild(in, self, m);
    return self;
  });
  Method(cls, "__iadd__", [](Interpreter& in, const ValuePtr& self, Args& a) {
    if (!Mod(self)) return self;
    if (auto items = in.Iterate(Arg(a, 0), in.CallSite()))
      for (auto& m : *items) AppendChild(in, self, m);
    return self;
  });
  Method(cls, "insert", [](Interpreter& in, const ValuePtr& self, Args& a) -> ValuePtr {
    InstanceValue* s = Mod(self);
    auto idx = interp::AsInt(Arg(a, 0));
    if (!s || !idx) return interp::MakeNone();
    auto& ch = s->module->children;
    int64_t n = static_cast<int64_t>(ch.size());
    int64_t k = *idx < 0 ? std::max<int64_t>(0, *idx + n) : std::min(*idx, n);
    ValuePtr m = Arg(a, 1);
    if (interp::IsModuleInstance(m)) As<InstanceValue>(m)->module->registered = true;
    ch.insert(ch.begin() + k, {"", m});
    for (size_t i = 0; i < ch.size(); ++i) ch[i].first = std::to_string(i);
    (void)in;
    return interp::MakeNone();
  });
  Method(cls, "__setitem__", [](Interpreter& in, const ValuePtr& self, Args& a) -> ValuePtr {
    InstanceValue* s = Mod(self);
    if (!s) return interp::MakeNone();
    ValuePtr key = Arg(a, 0);
    std::string name;
    if (auto i = interp::AsInt(key)) {
      int64_t n = static_cast<int64_t>(s->module->children.size());
      int64_t k = *i < 0 ? *i + n : *i;
      if (k < 0 || k >= n) return interp::MakeNone();
      name = s->module->children[k].first;
    } else if (const std::string* str = interp::AsStr(key)) {
      name = *str;
    } else {
      return interp::MakeNone();
    }
    if (interp::IsModuleInstance(Arg(a, 1))) in.RegisterChild(s, name, Arg(a, 1));
    return interp::MakeNone();
  });
}

ValuePtr MakeSequentialClass(Interpreter& in, const std::string&) {
  ClassPtr cls = in.NewClass("Sequential", "torch.nn.Sequential", {ModuleBase(in)});
  cls->is_native = true;
  Method(cls, "__init__", [](Interpreter& in, const ValuePtr& self, Args& a) {
    if (!Mod(self)) return interp::MakeNone();
    if (a.positional.size() == 1 && Is(a.positional[0], ValueKind::kDict)) {
      for (auto& [k, v] : As<interp::DictValue>(a.positional[0])->entries) {
        if (const std::string* key = interp::AsStr(k)) {
          if (interp::IsModuleInstance(v)) in.RegisterChild(Mod(self), *key, v);
        }
      }
      return interp::MakeNone();
    }
    for (auto& m : a.positional) AppendChild(in, self, m);
    return interp::MakeNone();
  });
  AddContainerProtocol(cls, /*renumber_slices=*/false);
  Method(cls, "forward", [](Interpreter& in, const ValuePtr& self, Args& a) -> ValuePtr {
    ValuePtr x = Arg(a, 0, "input");
    if (!Mod(self)) return interp::MakeUnknown("Sequential");
    auto children = Mod(self)->module->children;  // a copy: forward may not mutate
    for (auto& [n, c] : children) {
      Args args;
      args.positional = {x};
      x = in.Call(c, std::move(args), in.CallSite());
    }
    return x;
  });
  return cls;
}

ValuePtr MakeModuleListClass(Interpreter& in, const std::string&) {
  ClassPtr cls = in.NewClass("ModuleList", "torch.nn.ModuleList", {ModuleBase(in)});
  cls->is_native = true;
  Method(cls, "__init__", [](Interpreter& in, const ValuePtr& self, Args& a) {
    ValuePtr mods = Arg(a, 0, "modules");
    if (Mod(self) && mods && !Is(mods, ValueKind::kNone)) {
      if (auto items = in.Iterate(mods, in.CallSite()))
        for (auto& m : *items) AppendChild(in, self, m);
    }
    return interp::MakeNone();
  });
  AddContainerProtocol(cls, /*renumber_slices=*/true);
  return cls;
}

ValuePtr MakeModuleDictClass(Interpreter& in, const std::string&) {
  ClassPtr cls = in.NewClass("ModuleDict", "torch.nn.ModuleDict", {ModuleBase(in)});
  cls->is_native = true;
  auto update = [](Interpreter& in, const ValuePtr& self, const ValuePtr& mods) {
    if (!Mod(self) || !mods) return;
    if (Is(mods, ValueKind::kDict)) {
      for (auto& [k, v] : As<interp::DictValue>(mods)->entries)
        if (const std::string* key = interp::AsStr(k))
          if (interp::IsModuleInstance(v)) in.RegisterChild(Mod(self), *key, v);
      return;
    }
    if (auto items = in.Iterate(mods, in.CallSite())) {
      for (auto& it : *items) {
        auto pair = in.Iterate(it, in.CallSite());
        if (pair && pair->size() == 2)
          if (const std::string* key = interp::AsStr((*pair)[0]))
            if (interp::IsModuleInstance((*pair)[1])) in.RegisterChild(Mod(self), *key, (*pair)[1]);
      }
    }
  };
  Method(cls, "__init__", [update](Interpreter& in, const ValuePtr& self, Args& a) {
    update(in, self, Arg(a, 0, "modules"));
    return interp::MakeNone();
  });
  Method(cls, "update", [update](Interpreter& in, const ValuePtr& self, Args& a) {
    update(in, self, Arg(a, 0, "modules"));
    return interp::MakeNone();
  });
  AddContainerProtocol(cls, false);
  Method(cls, "__iter__", [](Interpreter&, const ValuePtr& self, Args&) {
    std::vector<ValuePtr> out;
    if (Mod(self)) for (auto& [n, c] : Mod(self)->module->children) out.push_back(interp::MakeStr(n));
    return interp::MakeList(std::move(out));
  });
  Method(cls, "keys", cls->attrs.Get("__iter__") ? As<interp::NativeValue>(cls->attrs.Get("__iter__"))->fn : nullptr);
  Method(cls, "values", [](Interpreter&, const ValuePtr& self, Args&) {
    std::vector<ValuePtr> out;
    if (Mod(self)) for (auto& [n, c] : Mod(self)->module->children) out.push_back(c);
    return interp::MakeList(std::move(out));
  });
  Method(cls, "items", [](Interpreter&, const ValuePtr& self, Args&) {
    std::vector<ValuePtr> out;
    if (Mod(self))
      for (auto& [n, c] : Mod(self)->module->children) out.push_back(interp::MakeTuple({interp::MakeStr(n), c}));
    return interp::MakeList(std::move(out));
  });
  Method(cls, "__contains__", [](Interpreter&, const ValuePtr& self, Args& a) -> ValuePtr {
    const std::string* key = interp::AsStr(Arg(a, 0));
    if (!Mod(self) || !key) return interp::MakeUnknown("in");
    return interp::MakeBool(Mod(self)->module->FindChild(*key) != nullptr);
  });
  return cls;
}

ValuePtr MakeParameter(Interpreter&, const std::string&) {
  return MakeNative("torch.nn.Parameter", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    ValuePtr data = Arg(a, 0, "data");
    auto p = Is(data, ValueKind::kTensor) ? std::make_shared<TensorValue>(*As<TensorValue>(data))
                                          : MakeUnknownRankTensor();
    p->is_parameter = true;
    p->requires_grad = true;
    p->origin = in.CallSite();
    return p;
  });
}

ValuePtr MakeDType(Interpreter&, const std::string& qualname) {
  static const std::pair<const char*, const char*> kAliases[] = {
      {"torch.float", "float32"}, {"torch.double", "float64"}, {"torch.half", "float16"},
      {"torch.long", "int64"}, {"torch.int", "int32"}, {"torch.short", "int16"}};
  std::string name = qualname.substr(6);
  for (auto& [a, canonical] : kAliases) if (qualname == a) name = canonical;
  return interp::MakeStr("torch." + name);
}

// Returns its first argument (nn.init.* fill tensors in place; shapes do not change).
ValuePtr MakeIdentityFirst(Interpreter&, const std::string& qualname) {
  return MakeNative(qualname, [](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
    return a.positional.empty() ? interp::MakeNone() : a.positional[0];
  });
}

ValuePtr MakeReturnsNone(Interpreter&, const std::string& qualname) {
  return MakeNative(qualname, [](Interpreter&, const ValuePtr&, Args&) { return interp::MakeNone(); });
}

// Context managers such as torch.no_grad(): an object usable in `with`.
ValuePtr MakeContextManager(Interpreter& in, const std::string& qualname) {
  ClassPtr cls = in.NewClass(qualname.substr(qualname.rfind('.') + 1), qualname, {});
  cls->is_native = true;
  Method(cls, "__enter__", [](Interpreter&, const ValuePtr& self, Args&) { return self; });
  Method(cls, "__exit__", [](Interpreter&, const ValuePtr&, Args&) { return interp::MakeBool(false); });
  return cls;
}

ValuePtr MakeTensorClass(Interpreter& in, const std::string&) {
  ClassPtr cls = in.NewClass("Tensor", "torch.Tensor", {});
  cls->is_native = true;
  cls->builtin_kind = ValueKind::kTensor;
  return cls;
}

}  // namespace

void RegisterTorchNnModule(OpRegistry& r) {
  for (const char* p : {"torch", "torch.nn", "torch.nn.functional", "torch.nn.init", "torch.nn.modules",
                        "torch.nn.parameter", "torch.utils", "torch.cuda"}) {
    r.AddPackage(p);
  }
  r.AddNative("torch.nn.Module", MakeModuleClass);
  r.AddNative("torch.nn.Sequential", MakeSequentialClass);
  r.AddNative("torch.nn.ModuleList", MakeModuleListClass);
  r.AddNative("torch.nn.ModuleDict", MakeModuleDictClass);
  r.AddNative("torch.nn.Parameter", MakeParameter);
  r.AddAlias("torch.nn.parameter.Parameter", "torch.nn.Parameter");
  r.AddNative("torch.Tensor", MakeTensorClass);
  r.AddNative("torch.no_grad", MakeContextManager);
  r.AddNative("torch.inference_mode", MakeContextManager);
  r.AddNative("torch.manual_seed", MakeReturnsNone);
  r.AddNative("torch.cuda.is_available", [](Interpreter&, const std::string& q) {
    return MakeNative(q, [](Interpreter&, const ValuePtr&, Args&) { return interp::MakeBool(false); });
  });
  // TorchScript and FX hooks: eager mode runs the plain Python path.
  r.AddPackage("torch.jit");
  r.AddPackage("torch.fx");
  for (const char* f : {"torch.jit.is_scripting", "torch.jit.is_tracing", "torch._C._get_tracing_state"}) {
    r.AddNative(f, [](Interpreter&, const std::string& q) {
      return MakeNative(q, [](Interpreter&, const ValuePtr&, Args&) { return interp::MakeBool(false); });
    });
  }
  for (const char* f : {"torch.jit.unused", "torch.jit.ignore", "torch.jit.export", "torch.jit._overload_method",
                        "torch.jit.script_method", "torch.fx.wrap", "torch.jit.script"}) {
    r.AddNative(f, MakeIdentityFirst);
  }
  r.AddNative("torch.jit.annotate", [](Interpreter&, const std::string& q) {
    return MakeNative(q, [](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
      return a.positional.size() > 1 ? a.positional[1] : interp::MakeUnknown("torch.jit.annotate");
    });
  });
  r.AddNative("torch._assert", MakeReturnsNone);
  for (const char* d : {"float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8",
                        "uint8", "bool", "float", "double", "half", "long", "int", "short"}) {
    r.AddNative(std::string("torch.") + d, MakeDType);
  }
  for (const char* f : {"normal_", "uniform_", "constant_", "zeros_", "ones_", "xavier_uniform_",
                        "xavier_normal_", "kaiming_uniform_", "kaiming_normal_", "trunc_normal_",
                        "orthogonal_", "eye_", "dirac_", "sparse_"}) {
    r.AddNative(std::string("torch.nn.init.") + f, MakeIdentityFirst);
  }
}

}  // namespace shapelint::rules
