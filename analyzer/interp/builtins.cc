// builtins.cc: Python builtins and the few stdlib modules model code uses
// (math, functools, collections, typing, ...). What is not here is Unknown.
#include <algorithm>
#include <cfenv>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "analyzer/interp/interpreter.h"

namespace shapelint::interp {

namespace {

using Fn = NativeFn;

ValuePtr Arg(Args& a, size_t i, const char* kw = nullptr) {
  if (i < a.positional.size()) return a.positional[i];
  if (kw) {
    for (auto& [k, v] : a.keywords) if (k == kw) return v;
  }
  return nullptr;
}

ClassPtr BuiltinType(Interpreter& in, const std::string& name, std::optional<ValueKind> kind, Fn ctor) {
  ClassPtr cls = in.NewClass(name, "builtins." + name, {});
  cls->is_native = true;
  cls->builtin_kind = kind;
  cls->native_new = std::move(ctor);
  return cls;
}

std::optional<std::vector<ValuePtr>> ItemsOf(Interpreter& in, const ValuePtr& v) {
  return in.Iterate(v, in.CallSite());
}

// MinMax: min()/max() over ints (symbolic allowed when the order is decided
// by a constant difference), floats.
ValuePtr MinMax(Interpreter& in, Args& a, bool is_max) {
  std::vector<ValuePtr> items;
  if (a.positional.size() == 1) {
    auto it = ItemsOf(in, a.positional[0]);
    if (!it) return MakeUnknown(is_max ? "max" : "min");
    items = *it;
  } else {
    items = a.positional;
  }
  if (items.empty()) {
    if (ValuePtr d = Arg(a, 99, "default")) return d;
    return MakeUnknown("min/max of empty");
  }
  ValuePtr best = items[0];
  for (size_t i = 1; i < items.size(); ++i) {
    ValuePtr c = in.CompareOp(is_max ? ir::CmpOpKind::kGt : ir::CmpOpKind::kLt, items[i], best, in.CallSite());
    Tri t = Truthy(c);
    if (t == Tri::kUnknown) return MakeUnknown(is_max ? "max" : "min");
    if (t == Tri::kTrue) best = items[i];
  }
  return best;
}

ValuePtr MakeDictFrom(Interpreter& in, Args& a, bool ordered) {
  auto d = std::make_shared<DictValue>();
  d->ordered_dict = ordered;
  if (!a.positional.empty()) {
    ValuePtr src = a.positional[0];
    if (Is(src, ValueKind::kDict)) {
      d->entries = As<DictValue>(src)->entries;
    } else if (auto items = ItemsOf(in, src)) {
      for (auto& it : *items) {
        auto pair = ItemsOf(in, it);
        if (pair && pair->size() == 2) d->entries.emplace_back((*pair)[0], (*pair)[1]);
      }
    } else {
      return MakeUnknown("dict of unknown");
    }
  }
  for (auto& [k, v] : a.keywords) d->entries.emplace_back(MakeStr(k), v);
  return d;
}

std::string FormatString(const std::string& fmt, Args& a, bool* ok) {
  std::string out;
  size_t auto_idx = 0;
  for (size_t i = 0; i < fmt.size(); ++i) {
    char c = fmt[i];
    if (c == '{' && i + 1 < fmt.size() && fmt[i + 1] == '{') { out += '{'; ++i; continue; }
    if (c == '}' && i + 1 < fmt.size() && fmt[i + 1] == '}') { out += '}'; ++i; continue; }
    if (c != '{') { out += c; continue; }
    size_t end = fmt.find('}', i);
    if (end == std::string::npos) { *ok = false; return ""; }
    std::string field = fmt.substr(i + 1, end - i - 1);
    i = end;
    if (field.find(':') != std::string::npos || field.find('!') != std::string::npos) { *ok = false; return ""; }
    ValuePtr v;
    int idx = 0;
    if (field.empty()) v = Arg(a, auto_idx++);
    else if (absl::SimpleAtoi(field, &idx)) v = Arg(a, static_cast<size_t>(idx));
    else v = Arg(a, 1u << 30, field.c_str());
    if (!v || IsUnknown(v)) { *ok = false; return ""; }
    out += Str(v);
  }
  return out;
}

// MakeDataclass: @dataclass synthesizes __init__ from the annotated fields of
// the class and its dataclass bases (base fields first), defaults from the
// class attributes.
ValuePtr MakeDataclass(const ValuePtr& v) {
  if (!Is(v, ValueKind::kClass)) return v;
  auto cls = std::static_pointer_cast<ClassValue>(v);
  cls->is_dataclass = true;
  std::vector<std::string> fields;
  for (auto it = cls->mro.rbegin(); it != cls->mro.rend(); ++it) {
    if (!(*it)->is_dataclass) continue;
    for (const auto& f : (*it)->annotations)
      if (std::find(fields.begin(), fields.end(), f) == fields.end()) fields.push_back(f);
  }
  std::weak_ptr<ClassValue> weak = cls;
  cls->attrs.Set("__init__", MakeNative(cls->name + ".__init__",
      [fields, weak](Interpreter& in, const ValuePtr& self, Args& a) -> ValuePtr {
        auto owner = weak.lock();
        if (!owner) return MakeNone();
        for (size_t i = 0; i < fields.size(); ++i) {
          ValuePtr v = i < a.positional.size() ? a.positional[i] : nullptr;
          for (auto& [k, x] : a.keywords) if (k == fields[i]) v = x;
          if (!v) v = in.LookupClassAttr(owner, fields[i]);
          if (!v) v = MakeUnknown("dataclass field " + fields[i]);
          in.SetAttr(self, fields[i], v, in.CallSite());
        }
        return MakeNone();
      }));
  return cls;
}

}  // namespace

ValuePtr EllipsisValue() {
  static const ValuePtr kEllipsis = MakeNative("Ellipsis", [](Interpreter&, const ValuePtr&, Args&) {
    return MakeUnknown("Ellipsis()");
  });
  return kEllipsis;
}

bool IsStdlibModule(std::string_view name) {
  static const char* kModules[] = {"math", "functools", "collections", "typing", "typing_extensions",
                                   "warnings", "copy", "enum", "dataclasses", "itertools", "abc",
                                   "numbers", "os", "sys", "logging", "inspect", "types", "re",
                                   "builtins", "operator", "collections.abc", "__future__"};
  for (const char* m : kModules) if (name == m) return true;
  return false;
}

void InstallBuiltins(Interpreter& in) {
  auto def = [&](const std::string& name, Fn fn) { in.SetBuiltin(name, MakeNative("builtins." + name, std::move(fn))); };

  def("print", [](Interpreter&, const ValuePtr&, Args&) { return MakeNone(); });
  def("len", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    ValuePtr v = Arg(a, 0);
    if (Is(v, ValueKind::kTensor)) {
      auto* t = As<TensorValue>(v);
      if (t->rank_known && !t->dims.empty()) return MakeInt(t->dims[0]);
      return MakeUnknown("len");
    }
    if (Is(v, ValueKind::kInstance)) {
      if (ValuePtr m = in.TryGetAttr(v, "__len__", in.CallSite())) return in.Call(m, Args{}, in.CallSite());
    }
    if (Is(v, ValueKind::kStr)) return MakeInt(static_cast<int64_t>(As<StrValue>(v)->value.size()));
    if (Is(v, ValueKind::kDict)) return MakeInt(static_cast<int64_t>(As<DictValue>(v)->entries.size()));
    if (IsSeq(v)) return MakeInt(static_cast<int64_t>(As<SeqValue>(v)->items.size()));
    return MakeUnknown("len");
  });
  def("range", [](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
    std::optional<int64_t> start = 0, stop, step = 1;
    if (a.positional.size() == 1) {
      stop = AsInt(a.positional[0]);
    } else if (a.positional.size() >= 2) {
      start = AsInt(a.positional[0]);
      stop = AsInt(a.positional[1]);
      if (a.positional.size() >= 3) step = AsInt(a.positional[2]);
    }
    if (!start || !stop || !step || *step == 0) return MakeUnknown("range with unknown bounds");
    std::vector<ValuePtr> items;
    for (int64_t i = *start; *step > 0 ? i < *stop : i > *stop; i += *step) {
      if (items.size() > 1000000) return MakeUnknown("range too long");
      items.push_back(MakeInt(i));
    }
    return MakeList(std::move(items));
  });
  def("enumerate", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    auto items = ItemsOf(in, Arg(a, 0));
    if (!items) return MakeUnknown("enumerate");
    int64_t start = AsInt(Arg(a, 1, "start")).value_or(0);
    std::vector<ValuePtr> out;
    for (size_t i = 0; i < items->size(); ++i)
      out.push_back(MakeTuple({MakeInt(start + static_cast<int64_t>(i)), (*items)[i]}));
    return MakeList(std::move(out));
  });
  def("zip", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    std::vector<std::vector<ValuePtr>> cols;
    for (auto& p : a.positional) {
      auto items = ItemsOf(in, p);
      if (!items) return MakeUnknown("zip");
      cols.push_back(*items);
    }
    size_t n = cols.empty() ? 0 : SIZE_MAX;
    for (auto& c : cols) n = std::min(n, c.size());
    std::vector<ValuePtr> out;
    for (size_t i = 0; i < n; ++i) {
      std::vector<ValuePtr> row;
      for (auto& c : cols) row.push_back(c[i]);
      out.push_back(MakeTuple(std::move(row)));
    }
    return MakeList(std::move(out));
  });
  def("reversed", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    auto items = ItemsOf(in, Arg(a, 0));
    if (!items) return MakeUnknown("reversed");
    std::reverse(items->begin(), items->end());
    return MakeList(std::move(*items));
  });
  def("sorted", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    auto items = ItemsOf(in, Arg(a, 0));
    if (!items) return MakeUnknown("sorted");
    ValuePtr key, reverse;
    for (auto& [k, v] : a.keywords) {
      if (k == "key") key = v;
      else if (k == "reverse") reverse = v;
      else return MakeUnknown("sorted");
    }
    bool rev = reverse && Truthy(reverse) == Tri::kTrue;
    // Decorate with the keys once (key may be a user function), then sort
    // stably; reverse=True keeps equal items in order, as Python does.
    std::vector<std::pair<ValuePtr, ValuePtr>> decorated;
    for (auto& x : *items) {
      ValuePtr k = x;
      if (key && !Is(key, ValueKind::kNone)) {
        Args args;
        args.positional.push_back(x);
        k = in.Call(key, std::move(args), in.CallSite());
      }
      decorated.emplace_back(k, x);
    }
    bool ok = true;
    std::stable_sort(decorated.begin(), decorated.end(), [&](const auto& x, const auto& y) {
      Tri t = Truthy(in.CompareOp(ir::CmpOpKind::kLt, rev ? y.first : x.first, rev ? x.first : y.first,
                                  in.CallSite()));
      if (t == Tri::kUnknown) ok = false;
      return t == Tri::kTrue;
    });
    if (!ok) return MakeUnknown("sorted");
    std::vector<ValuePtr> out;
    for (auto& [k, x] : decorated) out.push_back(x);
    return MakeList(std::move(out));
  });
  def("min", [](Interpreter& in, const ValuePtr&, Args& a) { return MinMax(in, a, false); });
  def("max", [](Interpreter& in, const ValuePtr&, Args& a) { return MinMax(in, a, true); });
  def("sum", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    auto items = ItemsOf(in, Arg(a, 0));
    if (!items) return MakeUnknown("sum");
    ValuePtr acc = Arg(a, 1, "start");
    if (!acc) acc = MakeInt(0);
    for (auto& x : *items) acc = in.BinaryOp(ir::BinOpKind::kAdd, acc, x, in.CallSite());
    return acc;
  });
  def("any", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    auto items = ItemsOf(in, Arg(a, 0));
    if (!items) return MakeUnknown("any");
    Tri r = Tri::kFalse;
    for (auto& x : *items) {
      Tri t = Truthy(x);
      if (t == Tri::kTrue) return MakeBool(true);
      if (t == Tri::kUnknown) r = Tri::kUnknown;
    }
    return r == Tri::kUnknown ? MakeUnknown("any") : MakeBool(false);
  });
  def("all", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    auto items = ItemsOf(in, Arg(a, 0));
    if (!items) return MakeUnknown("all");
    Tri r = Tri::kTrue;
    for (auto& x : *items) {
      Tri t = Truthy(x);
      if (t == Tri::kFalse) return MakeBool(false);
      if (t == Tri::kUnknown) r = Tri::kUnknown;
    }
    return r == Tri::kUnknown ? MakeUnknown("all") : MakeBool(true);
  });
  def("abs", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    ValuePtr v = Arg(a, 0);
    if (auto i = AsInt(v)) return MakeInt(*i < 0 ? -*i : *i);
    if (Is(v, ValueKind::kFloat)) return MakeFloat(std::fabs(As<FloatValue>(v)->value));
    // abs(t) is t.__abs__(): torch records it as torch.abs.
    if (Is(v, ValueKind::kTensor)) {
      Args args;
      args.positional = {v};
      return in.CallAt(in.ResolveModeled("torch.abs", in.CallSite()), std::move(args), in.CallSite());
    }
    if (Is(v, ValueKind::kInstance)) {
      if (ValuePtr m = in.TryGetAttr(v, "__abs__", in.CallSite())) return in.CallAt(m, Args{}, in.CallSite());
    }
    return MakeUnknown("abs");
  });
  def("round", [](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
    ValuePtr v = Arg(a, 0);
    ValuePtr nd = Arg(a, 1, "ndigits");
    if (AsInt(v) && (!nd || Is(nd, ValueKind::kNone))) return v;
    auto x = AsNumber(v);
    if (!x) return MakeUnknown("round");
    if (!nd || Is(nd, ValueKind::kNone)) {
      std::fesetround(FE_TONEAREST);  // Python rounds half to even
      return MakeInt(static_cast<int64_t>(std::nearbyint(*x)));
    }
    auto n = AsInt(nd);
    if (!n) return MakeUnknown("round");
    double scale = std::pow(10.0, static_cast<double>(*n));
    return MakeFloat(std::nearbyint(*x * scale) / scale);
  });
  def("divmod", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    ValuePtr q = in.BinaryOp(ir::BinOpKind::kFloorDiv, Arg(a, 0), Arg(a, 1), in.CallSite());
    ValuePtr r = in.BinaryOp(ir::BinOpKind::kMod, Arg(a, 0), Arg(a, 1), in.CallSite());
    return MakeTuple({q, r});
  });
  def("isinstance", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    Tri t;
    in.IsInstance(Arg(a, 0), Arg(a, 1), &t);
    return t == Tri::kUnknown ? MakeUnknown("isinstance") : MakeBool(t == Tri::kTrue);
  });
  def("issubclass", [](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
    ValuePtr c = Arg(a, 0), base = Arg(a, 1);
    if (!Is(c, ValueKind::kClass) || !Is(base, ValueKind::kClass)) return MakeUnknown("issubclass");
    for (auto& m : As<ClassValue>(c)->mro) if (m.get() == base.get()) return MakeBool(true);
    return MakeBool(false);
  });
  def("callable", [](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
    ValuePtr v = Arg(a, 0);
    if (IsUnknown(v)) return MakeUnknown("callable");
    switch (v->kind) {
      case ValueKind::kFunction: case ValueKind::kNative: case ValueKind::kBoundMethod: case ValueKind::kClass:
        return MakeBool(true);
      case ValueKind::kInstance: return MakeBool(IsModuleInstance(v));
      default: return MakeBool(false);
    }
  });
  def("getattr", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    const std::string* name = AsStr(Arg(a, 1));
    if (!name) return MakeUnknown("getattr");
    if (ValuePtr v = in.TryGetAttr(Arg(a, 0), *name, in.CallSite())) return v;
    if (ValuePtr d = Arg(a, 2)) return d;
    return in.GetAttr(Arg(a, 0), *name, in.CallSite());
  });
  def("setattr", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    const std::string* name = AsStr(Arg(a, 1));
    if (name) in.SetAttr(Arg(a, 0), *name, Arg(a, 2), in.CallSite());
    return MakeNone();
  });
  def("hasattr", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    const std::string* name = AsStr(Arg(a, 1));
    ValuePtr obj = Arg(a, 0);
    if (!name || IsUnknown(obj)) return MakeUnknown("hasattr");
    if (Is(obj, ValueKind::kModule) && As<ModuleValue>(obj)->modeled) return MakeUnknown("hasattr");
    ValuePtr v = in.TryGetAttr(obj, *name, in.CallSite());
    return MakeBool(v != nullptr && !IsUnknown(v));
  });
  def("super", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    auto s = std::make_shared<SuperValue>();
    if (a.positional.size() >= 2 && Is(a.positional[0], ValueKind::kClass)) {
      s->after = std::static_pointer_cast<ClassValue>(a.positional[0]);
      s->self = a.positional[1];
      return s;
    }
    if (in.frames_.empty()) return MakeUnknown("super() outside a method");
    const auto& fr = in.frames_.back();
    s->after = fr.fn->owner.lock();
    s->self = fr.first_arg;
    if (!s->after || !s->self) return MakeUnknown("super()");
    return s;
  });
  def("type", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    ValuePtr v = Arg(a, 0);
    if (Is(v, ValueKind::kInstance)) return As<InstanceValue>(v)->cls;
    static const std::pair<ValueKind, const char*> kMap[] = {
        {ValueKind::kInt, "int"}, {ValueKind::kFloat, "float"}, {ValueKind::kStr, "str"},
        {ValueKind::kBool, "bool"}, {ValueKind::kList, "list"}, {ValueKind::kTuple, "tuple"},
        {ValueKind::kDict, "dict"}};
    for (auto& [k, n] : kMap) if (Is(v, k)) return in.Builtin(n);
    return MakeUnknown("type");
  });
  def("id", [](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
    return MakeInt(static_cast<int64_t>(reinterpret_cast<uintptr_t>(Arg(a, 0).get()) & 0x7fffffff));
  });
  def("repr", [](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
    ValuePtr v = Arg(a, 0);
    return IsUnknown(v) ? MakeUnknown("repr") : MakeStr(Repr(v));
  });
  def("iter", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    auto items = ItemsOf(in, Arg(a, 0));
    return items ? MakeList(std::move(*items)) : MakeUnknown("iter");
  });
  def("next", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    auto items = ItemsOf(in, Arg(a, 0));
    if (!items || items->empty()) return Arg(a, 1) ? Arg(a, 1) : MakeUnknown("next");
    return (*items)[0];
  });
  def("map", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    auto items = ItemsOf(in, Arg(a, 1));
    if (!items || a.positional.size() != 2) return MakeUnknown("map");
    std::vector<ValuePtr> out;
    for (auto& x : *items) {
      Args args;
      args.positional = {x};
      out.push_back(in.Call(a.positional[0], std::move(args), in.CallSite()));
    }
    return MakeList(std::move(out));
  });
  def("filter", [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    auto items = ItemsOf(in, Arg(a, 1));
    if (!items) return MakeUnknown("filter");
    std::vector<ValuePtr> out;
    for (auto& x : *items) {
      Tri t;
      if (Is(Arg(a, 0), ValueKind::kNone)) {
        t = Truthy(x);
      } else {
        Args args;
        args.positional = {x};
        t = Truthy(in.Call(a.positional[0], std::move(args), in.CallSite()));
      }
      if (t == Tri::kUnknown) return MakeUnknown("filter");
      if (t == Tri::kTrue) out.push_back(x);
    }
    return MakeList(std::move(out));
  });

  // Builtin types: callable constructors that isinstance() understands.
  in.SetBuiltin("int", BuiltinType(in, "int", ValueKind::kInt, [](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
    ValuePtr v = Arg(a, 0);
    if (!v) return MakeInt(0);
    if (Is(v, ValueKind::kInt)) return v;
    if (Is(v, ValueKind::kBool)) return MakeInt(As<BoolValue>(v)->value ? 1 : 0);
    if (Is(v, ValueKind::kFloat)) return MakeInt(static_cast<int64_t>(std::trunc(As<FloatValue>(v)->value)));
    int64_t out;
    if (Is(v, ValueKind::kStr) && absl::SimpleAtoi(As<StrValue>(v)->value, &out)) return MakeInt(out);
    return MakeUnknown("int()");
  }));
  in.SetBuiltin("float", BuiltinType(in, "float", ValueKind::kFloat, [](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
    ValuePtr v = Arg(a, 0);
    if (!v) return MakeFloat(0);
    if (auto n = AsNumber(v)) return MakeFloat(*n);
    if (const std::string* s = AsStr(v)) {
      double d;
      if (*s == "inf") return MakeFloat(HUGE_VAL);
      if (*s == "-inf") return MakeFloat(-HUGE_VAL);
      if (absl::SimpleAtod(*s, &d)) return MakeFloat(d);
    }
    return MakeUnknown("float()");
  }));
  in.SetBuiltin("bool", BuiltinType(in, "bool", ValueKind::kBool, [](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
    Tri t = Truthy(Arg(a, 0) ? Arg(a, 0) : MakeBool(false));
    return t == Tri::kUnknown ? MakeUnknown("bool()") : MakeBool(t == Tri::kTrue);
  }));
  in.SetBuiltin("str", BuiltinType(in, "str", ValueKind::kStr, [](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
    ValuePtr v = Arg(a, 0);
    if (!v) return MakeStr("");
    if (IsUnknown(v) || Is(v, ValueKind::kTensor)) return MakeUnknown("str()");
    return MakeStr(Str(v));
  }));
  in.SetBuiltin("list", BuiltinType(in, "list", ValueKind::kList, [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    if (!Arg(a, 0)) return MakeList({});
    auto items = ItemsOf(in, Arg(a, 0));
    return items ? MakeList(std::move(*items)) : MakeUnknown("list()");
  }));
  in.SetBuiltin("tuple", BuiltinType(in, "tuple", ValueKind::kTuple, [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    if (!Arg(a, 0)) return MakeTuple({});
    auto items = ItemsOf(in, Arg(a, 0));
    return items ? MakeTuple(std::move(*items)) : MakeUnknown("tuple()");
  }));
  auto set_ctor = [](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
    if (!Arg(a, 0)) return MakeList({});
    auto items = ItemsOf(in, Arg(a, 0));
    if (!items) return MakeUnknown("set()");
    std::vector<ValuePtr> uniq;
    for (auto& x : *items) {
      bool dup = false;
      for (auto& y : uniq) if (KeyEquals(x, y) == Tri::kTrue) dup = true;
      if (!dup) uniq.push_back(x);
    }
    return MakeList(std::move(uniq));
  };
  in.SetBuiltin("slice", BuiltinType(in, "slice", ValueKind::kSlice, [](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
    auto s = std::make_shared<SliceValue>();
    size_t n = a.positional.size();
    s->lower = n >= 2 ? a.positional[0] : MakeNone();
    s->upper = n == 1 ? a.positional[0] : n >= 2 ? a.positional[1] : MakeNone();
    s->step = n >= 3 ? a.positional[2] : MakeNone();
    return s;
  }));
  in.SetBuiltin("set", BuiltinType(in, "set", std::nullopt, set_ctor));
  in.SetBuiltin("frozenset", BuiltinType(in, "frozenset", std::nullopt, set_ctor));
  in.SetBuiltin("dict", BuiltinType(in, "dict", ValueKind::kDict, [](Interpreter& in, const ValuePtr&, Args& a) {
    return MakeDictFrom(in, a, false);
  }));
  in.SetBuiltin("object", in.NewClass("object", "builtins.object", {}));
  for (const char* exc : {"Exception", "BaseException", "ValueError", "TypeError", "RuntimeError",
                          "NotImplementedError", "KeyError", "IndexError", "AttributeError",
                          "AssertionError", "StopIteration", "ImportError", "ModuleNotFoundError",
                          "Warning", "UserWarning", "DeprecationWarning", "ZeroDivisionError",
                          "OSError", "IOError", "FileNotFoundError", "NameError", "ArithmeticError",
                          "OverflowError", "LookupError"}) {
    in.SetBuiltin(exc, in.NewClass(exc, std::string("builtins.") + exc, {}));
  }
  in.SetBuiltin("NotImplemented", MakeUnknown("NotImplemented"));
  in.SetBuiltin("__name__", MakeStr("builtins"));
  auto identity = [](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr { return Arg(a, 0) ? Arg(a, 0) : MakeNone(); };
  def("staticmethod", identity);
  def("classmethod", identity);
  def("property", identity);
}

// ---- stdlib --------------------------------------------------------------------

ValuePtr ResolveStdlib(Interpreter& in, std::string_view qualname) {
  std::string q(qualname);
  auto native = [&](Fn fn) { return MakeNative(q, std::move(fn)); };
  auto math1 = [&](double (*f)(double)) {
    return native([f](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
      auto x = AsNumber(Arg(a, 0));
      return x ? MakeFloat(f(*x)) : MakeUnknown("math");
    });
  };
  if (q == "math.pi") return MakeFloat(M_PI);
  if (q == "math.e") return MakeFloat(M_E);
  if (q == "math.inf") return MakeFloat(HUGE_VAL);
  if (q == "math.ceil" || q == "math.floor" || q == "math.trunc") {
    bool ceil = q == "math.ceil", floor = q == "math.floor";
    return native([ceil, floor](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
      ValuePtr v = Arg(a, 0);
      if (Is(v, ValueKind::kInt)) return v;
      auto x = AsNumber(v);
      if (!x) return MakeUnknown("math rounding");
      double r = ceil ? std::ceil(*x) : floor ? std::floor(*x) : std::trunc(*x);
      return MakeInt(static_cast<int64_t>(r));
    });
  }
  if (q == "math.sqrt") return math1(std::sqrt);
  if (q == "math.exp") return math1(std::exp);
  if (q == "math.log2") return math1(std::log2);
  if (q == "math.log10") return math1(std::log10);
  if (q == "math.cos") return math1(std::cos);
  if (q == "math.sin") return math1(std::sin);
  if (q == "math.log") {
    return native([](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
      auto x = AsNumber(Arg(a, 0));
      if (!x) return MakeUnknown("math.log");
      if (auto b = AsNumber(Arg(a, 1))) return MakeFloat(std::log(*x) / std::log(*b));
      return MakeFloat(std::log(*x));
    });
  }
  if (q == "math.pow") {
    return native([](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
      auto x = AsNumber(Arg(a, 0)), y = AsNumber(Arg(a, 1));
      return x && y ? MakeFloat(std::pow(*x, *y)) : MakeUnknown("math.pow");
    });
  }
  if (q == "math.prod") {
    return native([](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
      auto items = ItemsOf(in, Arg(a, 0));
      if (!items) return MakeUnknown("math.prod");
      ValuePtr acc = MakeInt(1);
      for (auto& x : *items) acc = in.BinaryOp(ir::BinOpKind::kMul, acc, x, in.CallSite());
      return acc;
    });
  }
  if (q == "math.gcd") {
    return native([](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
      auto x = AsInt(Arg(a, 0)), y = AsInt(Arg(a, 1));
      if (!x || !y) return MakeUnknown("math.gcd");
      int64_t p = std::llabs(*x), r = std::llabs(*y);
      while (r) { int64_t t = p % r; p = r; r = t; }
      return MakeInt(p);
    });
  }
  if (q == "math.isclose") {
    return native([](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
      auto x = AsNumber(Arg(a, 0)), y = AsNumber(Arg(a, 1));
      if (!x || !y) return MakeUnknown("math.isclose");
      return MakeBool(std::fabs(*x - *y) <= 1e-9 * std::max(std::fabs(*x), std::fabs(*y)));
    });
  }
  if (q == "functools.partial") {
    return native([](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
      if (a.positional.empty()) return MakeUnknown("partial");
      ValuePtr fn = a.positional[0];
      Args bound;
      bound.positional.assign(a.positional.begin() + 1, a.positional.end());
      bound.keywords = a.keywords;
      std::string name = "functools.partial";
      return MakeNative(name, [fn, bound](Interpreter& in, const ValuePtr&, Args& more) -> ValuePtr {
        Args all = bound;
        for (auto& p : more.positional) all.positional.push_back(p);
        for (auto& kw : more.keywords) {
          bool replaced = false;
          for (auto& [k, v] : all.keywords) if (k == kw.first) { v = kw.second; replaced = true; }
          if (!replaced) all.keywords.push_back(kw);
        }
        return in.Call(fn, std::move(all), in.CallSite());
      });
    });
  }
  if (q == "functools.reduce") {
    return native([](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
      auto items = ItemsOf(in, Arg(a, 1));
      if (!items) return MakeUnknown("reduce");
      size_t i = 0;
      ValuePtr acc = Arg(a, 2);
      if (!acc) {
        if (items->empty()) return MakeUnknown("reduce");
        acc = (*items)[i++];
      }
      for (; i < items->size(); ++i) {
        Args args;
        args.positional = {acc, (*items)[i]};
        acc = in.Call(a.positional[0], std::move(args), in.CallSite());
      }
      return acc;
    });
  }
  if (q == "functools.wraps" || q == "functools.lru_cache" || q == "functools.cache") {
    // Decorator factories that hand back the function unchanged.
    return native([](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
      if (!a.positional.empty() && Is(a.positional[0], ValueKind::kFunction) && a.positional.size() == 1 &&
          false) {
        return a.positional[0];
      }
      return MakeNative("identity_decorator", [](Interpreter&, const ValuePtr&, Args& b) -> ValuePtr {
        return Arg(b, 0) ? Arg(b, 0) : MakeNone();
      });
    });
  }
  if (q == "collections.OrderedDict" || q == "collections.defaultdict") {
    bool ordered = q == "collections.OrderedDict";
    ClassPtr cls = in.NewClass(ordered ? "OrderedDict" : "defaultdict", q, {});
    cls->is_native = true;
    cls->builtin_kind = ValueKind::kDict;
    cls->native_new = [ordered](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
      if (!ordered) {
        Args rest;
        if (a.positional.size() > 1) rest.positional.assign(a.positional.begin() + 1, a.positional.end());
        return MakeDictFrom(in, rest, false);
      }
      return MakeDictFrom(in, a, true);
    };
    return cls;
  }
  if (q == "typing.OrderedDict" || q == "typing_extensions.OrderedDict") {
    return ResolveStdlib(in, "collections.OrderedDict");  // callable, unlike typing.Dict
  }
  if (q == "typing.TYPE_CHECKING") return MakeBool(false);
  if (q == "typing.cast") {
    return native([](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr { return Arg(a, 1) ? Arg(a, 1) : MakeNone(); });
  }
  if (absl::StartsWith(q, "typing.") || absl::StartsWith(q, "typing_extensions.") ||
      absl::StartsWith(q, "collections.abc.")) {
    // Annotations, and protocols isinstance() can answer for builtin values.
    std::string name = q.substr(q.rfind('.') + 1);
    ClassPtr cls = in.NewClass(name, q, {});
    using K = ValueKind;
    if (name == "Sequence" || name == "MutableSequence" || name == "List" || name == "Tuple") {
      cls->abc_kinds = {K::kList, K::kTuple, K::kStr};
      if (name == "List") cls->abc_kinds = {K::kList};
      if (name == "Tuple") cls->abc_kinds = {K::kTuple};
    } else if (name == "Mapping" || name == "MutableMapping" || name == "Dict") {
      cls->abc_kinds = {K::kDict};
    } else if (name == "Iterable" || name == "Collection" || name == "Sized" || name == "Container") {
      cls->abc_kinds = {K::kList, K::kTuple, K::kStr, K::kDict};
    } else if (name == "Callable") {
      cls->abc_kinds = {K::kFunction, K::kNative, K::kBoundMethod, K::kClass};
    }
    return cls;
  }
  if (q == "warnings.warn" || q == "logging.getLogger" || q == "abc.abstractmethod") {
    return native([](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
      return Arg(a, 0) && !Is(Arg(a, 0), ValueKind::kStr) ? Arg(a, 0) : MakeNone();
    });
  }
  if (q == "abc.ABC" || q == "enum.Enum" || q == "enum.IntEnum") return in.NewClass(q.substr(q.rfind('.') + 1), q, {});
  if (q == "copy.copy" || q == "copy.deepcopy") {
    // Shared, not copied: enough for shapes (configs copied before use).
    return native([](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr { return Arg(a, 0) ? Arg(a, 0) : MakeNone(); });
  }
  if (q == "dataclasses.dataclass") {
    return native([](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
      if (Arg(a, 0)) return MakeDataclass(Arg(a, 0));
      // @dataclass(frozen=True, ...): the options do not change shapes.
      return MakeNative("dataclass", [](Interpreter&, const ValuePtr&, Args& b) -> ValuePtr {
        return MakeDataclass(Arg(b, 0));
      });
    });
  }
  if (q == "dataclasses.field") {
    return native([](Interpreter& in, const ValuePtr&, Args& a) -> ValuePtr {
      for (auto& [k, v] : a.keywords) {
        if (k == "default") return v;
        if (k == "default_factory") return in.Call(v, Args{}, in.CallSite());
      }
      return MakeUnknown("dataclasses.field without default");
    });
  }
  return nullptr;
}

// ---- Methods of builtin values --------------------------------------------------------

ValuePtr BuiltinMethod(Interpreter& in, const ValuePtr& self, const std::string& name) {
  (void)in;
  auto m = [&](Fn fn) {
    auto n = std::make_shared<NativeValue>();
    n->name = TypeName(self) + "." + name;
    n->fn = std::move(fn);
    n->self = self;
    return ValuePtr(n);
  };
  if (Is(self, ValueKind::kList)) {
    if (name == "append") return m([](Interpreter&, const ValuePtr& s, Args& a) {
      As<SeqValue>(s)->items.push_back(Arg(a, 0));
      return MakeNone();
    });
    if (name == "extend") return m([](Interpreter& in, const ValuePtr& s, Args& a) {
      if (auto items = ItemsOf(in, Arg(a, 0)))
        for (auto& x : *items) As<SeqValue>(s)->items.push_back(x);
      return MakeNone();
    });
    if (name == "insert") return m([](Interpreter&, const ValuePtr& s, Args& a) {
      auto& items = As<SeqValue>(s)->items;
      int64_t i = AsInt(Arg(a, 0)).value_or(0);
      int64_t n = static_cast<int64_t>(items.size());
      if (i < 0) i = std::max<int64_t>(0, i + n);
      i = std::min(i, n);
      items.insert(items.begin() + i, Arg(a, 1));
      return MakeNone();
    });
    if (name == "pop") return m([](Interpreter&, const ValuePtr& s, Args& a) -> ValuePtr {
      auto& items = As<SeqValue>(s)->items;
      if (items.empty()) return MakeUnknown("pop");
      int64_t i = AsInt(Arg(a, 0)).value_or(-1);
      int64_t n = static_cast<int64_t>(items.size());
      if (i < 0) i += n;
      if (i < 0 || i >= n) return MakeUnknown("pop");
      ValuePtr v = items[i];
      items.erase(items.begin() + i);
      return v;
    });
    if (name == "reverse") return m([](Interpreter&, const ValuePtr& s, Args&) {
      std::reverse(As<SeqValue>(s)->items.begin(), As<SeqValue>(s)->items.end());
      return MakeNone();
    });
    if (name == "copy") return m([](Interpreter&, const ValuePtr& s, Args&) { return MakeList(As<SeqValue>(s)->items); });
    if (name == "clear") return m([](Interpreter&, const ValuePtr& s, Args&) {
      As<SeqValue>(s)->items.clear();
      return MakeNone();
    });
  }
  if (IsSeq(self) && (name == "index" || name == "count")) {
    bool index = name == "index";
    return m([index](Interpreter&, const ValuePtr& s, Args& a) -> ValuePtr {
      int64_t count = 0;
      auto& items = As<SeqValue>(s)->items;
      for (size_t i = 0; i < items.size(); ++i) {
        Tri t = KeyEquals(items[i], Arg(a, 0));
        if (t == Tri::kUnknown) return MakeUnknown("index");
        if (t == Tri::kTrue) {
          if (index) return MakeInt(static_cast<int64_t>(i));
          ++count;
        }
      }
      return index ? MakeUnknown("index: not found") : MakeInt(count);
    });
  }
  if (Is(self, ValueKind::kDict)) {
    if (name == "items" || name == "keys" || name == "values") {
      int which = name == "items" ? 0 : name == "keys" ? 1 : 2;
      return m([which](Interpreter&, const ValuePtr& s, Args&) {
        std::vector<ValuePtr> out;
        for (auto& [k, v] : As<DictValue>(s)->entries)
          out.push_back(which == 0 ? MakeTuple({k, v}) : which == 1 ? k : v);
        return MakeList(std::move(out));
      });
    }
    if (name == "get" || name == "pop" || name == "setdefault") {
      int which = name == "get" ? 0 : name == "pop" ? 1 : 2;
      return m([which](Interpreter&, const ValuePtr& s, Args& a) -> ValuePtr {
        auto& entries = As<DictValue>(s)->entries;
        for (size_t i = 0; i < entries.size(); ++i) {
          Tri t = KeyEquals(entries[i].first, Arg(a, 0));
          if (t == Tri::kUnknown) return MakeUnknown("dict lookup");
          if (t == Tri::kTrue) {
            ValuePtr v = entries[i].second;
            if (which == 1) entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(i));
            return v;
          }
        }
        ValuePtr d = Arg(a, 1) ? Arg(a, 1) : MakeNone();
        if (which == 2) entries.emplace_back(Arg(a, 0), d);
        return d;
      });
    }
    if (name == "update") return m([](Interpreter& in, const ValuePtr& s, Args& a) {
      ValuePtr other = MakeDictFrom(in, a, false);
      if (!Is(other, ValueKind::kDict)) return MakeNone();
      auto& entries = As<DictValue>(s)->entries;
      for (auto& [k, v] : As<DictValue>(other)->entries) {
        bool found = false;
        for (auto& [k2, v2] : entries) if (KeyEquals(k, k2) == Tri::kTrue) { v2 = v; found = true; }
        if (!found) entries.emplace_back(k, v);
      }
      return MakeNone();
    });
    if (name == "copy") return m([](Interpreter&, const ValuePtr& s, Args&) {
      auto d = std::make_shared<DictValue>(*As<DictValue>(s));
      return ValuePtr(d);
    });
  }
  if (Is(self, ValueKind::kStr)) {
    const std::string& s = As<StrValue>(self)->value;
    if (name == "format") return m([](Interpreter&, const ValuePtr& self, Args& a) -> ValuePtr {
      bool ok = true;
      std::string out = FormatString(As<StrValue>(self)->value, a, &ok);
      return ok ? MakeStr(out) : MakeUnknown("str.format");
    });
    if (name == "join") return m([](Interpreter& in, const ValuePtr& self, Args& a) -> ValuePtr {
      auto items = ItemsOf(in, Arg(a, 0));
      if (!items) return MakeUnknown("join");
      std::vector<std::string> parts;
      for (auto& x : *items) {
        if (!AsStr(x)) return MakeUnknown("join");
        parts.push_back(*AsStr(x));
      }
      return MakeStr(absl::StrJoin(parts, As<StrValue>(self)->value));
    });
    if (name == "split") return m([](Interpreter&, const ValuePtr& self, Args& a) -> ValuePtr {
      const std::string* sep = AsStr(Arg(a, 0, "sep"));
      std::vector<ValuePtr> out;
      std::vector<std::string> parts;
      if (sep) parts = absl::StrSplit(As<StrValue>(self)->value, *sep);
      else parts = absl::StrSplit(As<StrValue>(self)->value, absl::ByAnyChar(" \t\n"), absl::SkipEmpty());
      for (auto& p : parts) out.push_back(MakeStr(p));
      return MakeList(std::move(out));
    });
    if (name == "startswith" || name == "endswith") {
      bool starts = name == "startswith";
      return m([starts](Interpreter&, const ValuePtr& self, Args& a) -> ValuePtr {
        const std::string* p = AsStr(Arg(a, 0));
        if (!p) return MakeUnknown("startswith");
        const std::string& v = As<StrValue>(self)->value;
        return MakeBool(starts ? absl::StartsWith(v, *p) : absl::EndsWith(v, *p));
      });
    }
    if (name == "upper") return m([s](Interpreter&, const ValuePtr&, Args&) { return MakeStr(absl::AsciiStrToUpper(s)); });
    if (name == "lower") return m([s](Interpreter&, const ValuePtr&, Args&) { return MakeStr(absl::AsciiStrToLower(s)); });
    if (name == "strip") return m([s](Interpreter&, const ValuePtr&, Args&) { return MakeStr(std::string(absl::StripAsciiWhitespace(s))); });
    if (name == "replace") return m([s](Interpreter&, const ValuePtr&, Args& a) -> ValuePtr {
      const std::string* from = AsStr(Arg(a, 0));
      const std::string* to = AsStr(Arg(a, 1));
      if (!from || !to) return MakeUnknown("replace");
      return MakeStr(absl::StrReplaceAll(s, {{*from, *to}}));
    });
  }
  return nullptr;
}

}  // namespace shapelint::interp
