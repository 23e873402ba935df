#include "analyzer/interp/value.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace shapelint::interp {

ValuePtr OrderedAttrs::Get(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : items_[it->second].second;
}

void OrderedAttrs::Set(const std::string& name, ValuePtr v) {
  auto it = index_.find(name);
  if (it != index_.end()) {
    items_[it->second].second = std::move(v);
    return;
  }
  index_[name] = items_.size();
  items_.emplace_back(name, std::move(v));
}

bool OrderedAttrs::Erase(const std::string& name) {
  auto it = index_.find(name);
  if (it == index_.end()) return false;
  items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(it->second));
  index_.clear();
  for (size_t i = 0; i < items_.size(); ++i) index_[items_[i].first] = i;
  return true;
}

ParamRecord* ModuleState::FindParam(const std::string& name) {
  for (ParamRecord& p : params) if (p.name == name) return &p;
  return nullptr;
}
ParamRecord* ModuleState::FindBuffer(const std::string& name) {
  for (ParamRecord& p : buffers) if (p.name == name) return &p;
  return nullptr;
}
ValuePtr ModuleState::FindChild(const std::string& name) const {
  for (const auto& [n, v] : children) if (n == name) return v;
  return nullptr;
}

const char* DTypeName(DType d) {
  switch (d) {
    case DType::kFloat32: return "float32";
    case DType::kFloat64: return "float64";
    case DType::kFloat16: return "float16";
    case DType::kBFloat16: return "bfloat16";
    case DType::kInt64: return "int64";
    case DType::kInt32: return "int32";
    case DType::kInt16: return "int16";
    case DType::kInt8: return "int8";
    case DType::kUInt8: return "uint8";
    case DType::kBool: return "bool";
    case DType::kUnknown: return "unknown";
  }
  return "unknown";
}

std::string TensorValue::ShapeString() const {
  if (!rank_known) return "?";
  std::string out;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i) out += 'x';
    out += dims[i].ToShapeString();
  }
  return out;
}

ValuePtr MakeNone() {
  static const ValuePtr kNone = std::make_shared<NoneValue>();
  return kNone;
}
ValuePtr MakeBool(bool b) {
  static const ValuePtr kTrue = std::make_shared<BoolValue>(true);
  static const ValuePtr kFalse = std::make_shared<BoolValue>(false);
  return b ? kTrue : kFalse;
}
ValuePtr MakeInt(Dim d) { return std::make_shared<IntValue>(std::move(d)); }
ValuePtr MakeFloat(double d) { return std::make_shared<FloatValue>(d); }
ValuePtr MakeStr(std::string s) { return std::make_shared<StrValue>(std::move(s)); }
ValuePtr MakeTuple(std::vector<ValuePtr> items) {
  auto t = std::make_shared<SeqValue>(ValueKind::kTuple);
  t->items = std::move(items);
  return t;
}
ValuePtr MakeList(std::vector<ValuePtr> items) {
  auto t = std::make_shared<SeqValue>(ValueKind::kList);
  t->items = std::move(items);
  return t;
}
ValuePtr MakeUnknown(std::string origin) {
  auto u = std::make_shared<UnknownValue>();
  u->origin = std::move(origin);
  return u;
}
std::shared_ptr<TensorValue> MakeTensor(std::vector<Dim> dims, DType dtype) {
  auto t = std::make_shared<TensorValue>();
  t->dims = std::move(dims);
  t->dtype = dtype;
  return t;
}
std::shared_ptr<TensorValue> MakeUnknownRankTensor(DType dtype) {
  auto t = std::make_shared<TensorValue>();
  t->rank_known = false;
  t->dtype = dtype;
  return t;
}
ValuePtr MakeNative(std::string name, NativeFn fn) {
  auto n = std::make_shared<NativeValue>();
  n->name = std::move(name);
  n->fn = std::move(fn);
  return n;
}

Tri Truthy(const ValuePtr& v) {
  if (!v) return Tri::kUnknown;
  switch (v->kind) {
    case ValueKind::kNone: return Tri::kFalse;
    case ValueKind::kBool: return As<BoolValue>(v)->value ? Tri::kTrue : Tri::kFalse;
    case ValueKind::kInt: {
      const Dim& d = As<IntValue>(v)->value;
      if (d.is_const()) return d.value() != 0 ? Tri::kTrue : Tri::kFalse;
      return Tri::kUnknown;
    }
    case ValueKind::kFloat: return As<FloatValue>(v)->value != 0 ? Tri::kTrue : Tri::kFalse;
    case ValueKind::kStr: return As<StrValue>(v)->value.empty() ? Tri::kFalse : Tri::kTrue;
    case ValueKind::kTuple:
    case ValueKind::kList: return As<SeqValue>(v)->items.empty() ? Tri::kFalse : Tri::kTrue;
    case ValueKind::kDict: return As<DictValue>(v)->entries.empty() ? Tri::kFalse : Tri::kTrue;
    case ValueKind::kTensor: return Tri::kUnknown;
    case ValueKind::kUnknown: return Tri::kUnknown;
    default: return Tri::kTrue;
  }
}

std::optional<int64_t> AsInt(const ValuePtr& v) {
  if (!v) return std::nullopt;
  if (v->kind == ValueKind::kBool) return As<BoolValue>(v)->value ? 1 : 0;
  if (v->kind == ValueKind::kInt) return As<IntValue>(v)->value.as_const();
  return std::nullopt;
}
std::optional<Dim> AsDim(const ValuePtr& v) {
  if (!v) return std::nullopt;
  if (v->kind == ValueKind::kBool) return Dim(As<BoolValue>(v)->value ? 1 : 0);
  if (v->kind == ValueKind::kInt) return As<IntValue>(v)->value;
  return std::nullopt;
}
std::optional<double> AsNumber(const ValuePtr& v) {
  if (!v) return std::nullopt;
  if (v->kind == ValueKind::kFloat) return As<FloatValue>(v)->value;
  if (auto i = AsInt(v)) return static_cast<double>(*i);
  return std::nullopt;
}
const std::string* AsStr(const ValuePtr& v) {
  if (v && v->kind == ValueKind::kStr) return &As<StrValue>(v)->value;
  return nullptr;
}

Tri KeyEquals(const ValuePtr& a, const ValuePtr& b) {
  if (!a || !b) return Tri::kUnknown;
  if (IsUnknown(a) || IsUnknown(b)) return Tri::kUnknown;
  auto na = AsNumber(a), nb = AsNumber(b);
  if ((a->kind == ValueKind::kInt || a->kind == ValueKind::kBool) &&
      (b->kind == ValueKind::kInt || b->kind == ValueKind::kBool)) {
    return Dim::Equal(*AsDim(a), *AsDim(b));
  }
  if (na && nb) return *na == *nb ? Tri::kTrue : Tri::kFalse;
  if (a->kind == ValueKind::kInt || b->kind == ValueKind::kInt) {
    if ((a->kind == ValueKind::kInt && !AsInt(a)) || (b->kind == ValueKind::kInt && !AsInt(b)))
      return Tri::kUnknown;
  }
  if (a->kind != b->kind) {
    if (a->kind == ValueKind::kTensor || b->kind == ValueKind::kTensor) return Tri::kUnknown;
    return Tri::kFalse;
  }
  switch (a->kind) {
    case ValueKind::kNone: return Tri::kTrue;
    case ValueKind::kStr: return As<StrValue>(a)->value == As<StrValue>(b)->value ? Tri::kTrue : Tri::kFalse;
    case ValueKind::kTuple:
    case ValueKind::kList: {
      auto& x = As<SeqValue>(a)->items;
      auto& y = As<SeqValue>(b)->items;
      if (x.size() != y.size()) return Tri::kFalse;
      Tri r = Tri::kTrue;
      for (size_t i = 0; i < x.size(); ++i) {
        Tri e = KeyEquals(x[i], y[i]);
        if (e == Tri::kFalse) return Tri::kFalse;
        if (e == Tri::kUnknown) r = Tri::kUnknown;
      }
      return r;
    }
    case ValueKind::kTensor: return Tri::kUnknown;
    default: return a.get() == b.get() ? Tri::kTrue : Tri::kFalse;
  }
}

std::string FormatFloat(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  // Shortest digits that round-trip, then Python's repr layout.
  char buf[64];
  int prec = 1;
  for (; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  std::string s = buf;  // like -1.2345e-05
  bool neg = s[0] == '-';
  if (neg) s = s.substr(1);
  size_t epos = s.find('e');
  int exp = std::atoi(s.c_str() + epos + 1);
  std::string digits;
  for (size_t i = 0; i < epos; ++i) if (s[i] != '.') digits += s[i];
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string out;
  if (exp < -4 || exp >= 16) {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    out += eb;
  } else if (exp < 0) {
    out = "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
  } else {
    if (digits.size() <= static_cast<size_t>(exp) + 1) {
      out = digits + std::string(static_cast<size_t>(exp) + 1 - digits.size(), '0') + ".0";
    } else {
      out = digits.substr(0, static_cast<size_t>(exp) + 1) + "." + digits.substr(static_cast<size_t>(exp) + 1);
    }
  }
  return neg ? "-" + out : out;
}

std::string TypeName(const ValuePtr& v) {
  if (!v) return "unknown";
  switch (v->kind) {
    case ValueKind::kUnknown: return "unknown";
    case ValueKind::kNone: return "NoneType";
    case ValueKind::kBool: return "bool";
    case ValueKind::kInt: return "int";
    case ValueKind::kFloat: return "float";
    case ValueKind::kStr: return "str";
    case ValueKind::kTuple: return "tuple";
    case ValueKind::kList: return "list";
    case ValueKind::kDict: return "dict";
    case ValueKind::kSlice: return "slice";
    case ValueKind::kFunction: return "function";
    case ValueKind::kNative: return "builtin_function";
    case ValueKind::kBoundMethod: return "method";
    case ValueKind::kClass: return "type";
    case ValueKind::kInstance: return As<InstanceValue>(v)->cls ? As<InstanceValue>(v)->cls->name : "object";
    case ValueKind::kModule: return "module";
    case ValueKind::kTensor: return "Tensor";
    case ValueKind::kSuper: return "super";
  }
  return "unknown";
}

std::string Repr(const ValuePtr& v) {
  if (!v) return "?";
  switch (v->kind) {
    case ValueKind::kNone: return "None";
    case ValueKind::kBool: return As<BoolValue>(v)->value ? "True" : "False";
    case ValueKind::kInt: return As<IntValue>(v)->value.ToString();
    case ValueKind::kFloat: return FormatFloat(As<FloatValue>(v)->value);
    case ValueKind::kStr: return "'" + As<StrValue>(v)->value + "'";
    case ValueKind::kTuple: {
      auto& items = As<SeqValue>(v)->items;
      std::vector<std::string> parts;
      for (auto& i : items) parts.push_back(Repr(i));
      return "(" + absl::StrJoin(parts, ", ") + (items.size() == 1 ? ",)" : ")");
    }
    case ValueKind::kList: {
      std::vector<std::string> parts;
      for (auto& i : As<SeqValue>(v)->items) parts.push_back(Repr(i));
      return "[" + absl::StrJoin(parts, ", ") + "]";
    }
    case ValueKind::kDict: {
      std::vector<std::string> parts;
      for (auto& [k, x] : As<DictValue>(v)->entries) parts.push_back(Repr(k) + ": " + Repr(x));
      return "{" + absl::StrJoin(parts, ", ") + "}";
    }
    case ValueKind::kTensor: {
      auto* t = As<TensorValue>(v);
      return absl::StrCat("Tensor[", t->ShapeString(), "]");
    }
    case ValueKind::kClass: return "<class '" + As<ClassValue>(v)->name + "'>";
    case ValueKind::kFunction: return "<function " + As<FunctionValue>(v)->name + ">";
    case ValueKind::kNative: return "<built-in " + As<NativeValue>(v)->name + ">";
    case ValueKind::kModule: return "<module '" + As<ModuleValue>(v)->name + "'>";
    case ValueKind::kInstance: return "<" + TypeName(v) + " object>";
    case ValueKind::kUnknown: return "?";
    default: return "<" + TypeName(v) + ">";
  }
}

std::string Str(const ValuePtr& v) {
  if (v && v->kind == ValueKind::kStr) return As<StrValue>(v)->value;
  return Repr(v);
}

void CollectTensorRecords(const ValuePtr& v, std::vector<TensorRecord>* out, int depth) {
  if (!v || depth > 8) return;
  if (v->kind == ValueKind::kTensor) {
    auto* t = As<TensorValue>(v);
    out->push_back({t->ShapeString(), DTypeName(t->dtype)});
  } else if (IsSeq(v)) {
    for (const auto& i : As<SeqValue>(v)->items) CollectTensorRecords(i, out, depth + 1);
  } else if (v->kind == ValueKind::kDict) {
    for (const auto& [k, x] : As<DictValue>(v)->entries) CollectTensorRecords(x, out, depth + 1);
  }
}

bool IsModuleInstance(const ValuePtr& v) {
  return v && v->kind == ValueKind::kInstance && As<InstanceValue>(v)->module != nullptr;
}

}  // namespace shapelint::interp
