// eval_expr.cc: expressions. Everything that does not fold yields Unknown;
// nothing here reports an error about the user's code.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>

#include "absl/strings/str_cat.h"
#include "analyzer/interp/interpreter.h"

namespace shapelint::interp {

namespace {

const char* TensorOpName(ir::BinOpKind op, bool inplace) {
  switch (op) {
    case ir::BinOpKind::kAdd: return inplace ? "torch.Tensor.add_" : "torch.add";
    case ir::BinOpKind::kSub: return inplace ? "torch.Tensor.sub_" : "torch.sub";
    case ir::BinOpKind::kMul: return inplace ? "torch.Tensor.mul_" : "torch.mul";
    case ir::BinOpKind::kDiv: return inplace ? "torch.Tensor.div_" : "torch.div";
    case ir::BinOpKind::kFloorDiv: return "torch.floor_divide";
    case ir::BinOpKind::kMod: return "torch.remainder";
    case ir::BinOpKind::kPow: return "torch.pow";
    case ir::BinOpKind::kMatMul: return "torch.matmul";
    case ir::BinOpKind::kBitAnd: return "torch.bitwise_and";
    case ir::BinOpKind::kBitOr: return "torch.bitwise_or";
    case ir::BinOpKind::kBitXor: return "torch.bitwise_xor";
    default: return nullptr;
  }
}

std::optional<int64_t> IntPow(int64_t base, int64_t exp) {
  if (exp < 0) return std::nullopt;
  int64_t r = 1;
  for (int64_t i = 0; i < exp; ++i) {
    if (__builtin_mul_overflow(r, base, &r)) return std::nullopt;
  }
  return r;
}

ValuePtr SeqRepeat(const ValuePtr& seq, int64_t n) {
  std::vector<ValuePtr> out;
  if (n > 0 && n < 100000) {
    for (int64_t i = 0; i < n; ++i)
      for (const auto& x : As<SeqValue>(seq)->items) out.push_back(x);
  }
  return seq->kind == ValueKind::kTuple ? MakeTuple(std::move(out)) : MakeList(std::move(out));
}

// PercentFormat: printf-style `"fmt" % values` for %s %r %d %i %f %x %%
// with flags, width and precision; nullopt when a value is not known.
std::optional<std::string> PercentFormat(const std::string& fmt, const std::vector<ValuePtr>& values) {
  std::string out;
  size_t vi = 0;
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%') {
      out += fmt[i];
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < fmt.size() && std::strchr("-+ #0123456789.", fmt[j])) ++j;
    if (j >= fmt.size() || vi >= values.size()) return std::nullopt;
    std::string spec = fmt.substr(i, j - i);
    char conv = fmt[j];
    const ValuePtr& v = values[vi++];
    if (IsUnknown(v) || Is(v, ValueKind::kTensor)) return std::nullopt;
    char buf[128];
    if (conv == 's' || conv == 'r') {
      std::string text = conv == 's' ? Str(v) : Repr(v);
      std::snprintf(buf, sizeof buf, (spec + "s").c_str(), text.c_str());
    } else if (conv == 'd' || conv == 'i' || conv == 'x' || conv == 'X' || conv == 'o') {
      auto n = AsNumber(v);
      if (!n) return std::nullopt;
      std::snprintf(buf, sizeof buf, (spec + "ll" + (conv == 'i' ? 'd' : conv)).c_str(),
                    static_cast<long long>(*n));
    } else if (conv == 'f' || conv == 'e' || conv == 'g' || conv == 'F' || conv == 'E' || conv == 'G') {
      auto n = AsNumber(v);
      if (!n) return std::nullopt;
      std::snprintf(buf, sizeof buf, (spec + conv).c_str(), *n);
    } else {
      return std::nullopt;
    }
    out += buf;
    i = j;
  }
  if (vi != values.size()) return std::nullopt;
  return out;
}

}  // namespace

ValuePtr Interpreter::BinaryOp(ir::BinOpKind op, const ValuePtr& a, const ValuePtr& b,
                               const Span& site, bool inplace) {
  using K = ir::BinOpKind;
  if (Is(a, ValueKind::kTensor) || Is(b, ValueKind::kTensor)) {
    const char* name = TensorOpName(op, inplace && Is(a, ValueKind::kTensor));
    if (name == nullptr) return MakeUnknown("tensor operator");
    ValuePtr fn = ResolveModeled(name, site);
    Args args;
    if (Is(a, ValueKind::kTensor)) {
      args.positional = {a, b};
    } else {
      args.positional = {b, a};  // reflected operator: x.__radd__(1)
    }
    return CallAt(fn, std::move(args), site);
  }
  if (IsUnknown(a) || IsUnknown(b)) return MakeUnknown("operand unknown");
  // Instances with operator methods.
  if (Is(a, ValueKind::kInstance)) {
    static const char* kNames[] = {"__add__", "__sub__", "__mul__", "__truediv__", "__floordiv__",
                                   "__mod__", "__pow__", "__matmul__", "__lshift__", "__rshift__",
                                   "__and__", "__or__", "__xor__"};
    ValuePtr m;
    if (inplace) {  // `a += b` tries __iadd__ first
      std::string iname = std::string("__i") + (kNames[static_cast<int>(op)] + 2);
      m = TryGetAttr(a, iname, site);
    }
    if (!m) m = TryGetAttr(a, kNames[static_cast<int>(op)], site);
    if (m) {
      Args args;
      args.positional = {b};
      return Call(m, std::move(args), site);
    }
    return MakeUnknown("operator on instance");
  }
  // Reflected operators: `1 + x` is x.__radd__(1).
  if (Is(b, ValueKind::kInstance)) {
    static const char* kReflected[] = {"__radd__", "__rsub__", "__rmul__", "__rtruediv__", "__rfloordiv__",
                                       "__rmod__", "__rpow__", "__rmatmul__", "__rlshift__", "__rrshift__",
                                       "__rand__", "__ror__", "__rxor__"};
    if (ValuePtr m = TryGetAttr(b, kReflected[static_cast<int>(op)], site)) {
      Args args;
      args.positional = {a};
      return Call(m, std::move(args), site);
    }
  }
  auto da = AsDim(a), db = AsDim(b);
  if (da && db) {
    switch (op) {
      case K::kAdd: return MakeInt(*da + *db);
      case K::kSub: return MakeInt(*da - *db);
      case K::kMul: return MakeInt(*da * *db);
      case K::kFloorDiv: {
        auto q = Dim::FloorDiv(*da, *db);
        return q ? MakeInt(*q) : MakeUnknown("floor division");
      }
      case K::kMod: {
        auto q = Dim::Mod(*da, *db);
        return q ? MakeInt(*q) : MakeUnknown("modulo");
      }
      case K::kDiv:
        if (da->is_const() && db->is_const() && db->value() != 0)
          return MakeFloat(static_cast<double>(da->value()) / static_cast<double>(db->value()));
        return MakeUnknown("true division");
      case K::kPow:
        if (da->is_const() && db->is_const()) {
          if (db->value() < 0) return MakeFloat(std::pow(static_cast<double>(da->value()), static_cast<double>(db->value())));
          if (auto p = IntPow(da->value(), db->value())) return MakeInt(*p);
        }
        return MakeUnknown("power");
      default:
        if (da->is_const() && db->is_const()) {
          int64_t x = da->value(), y = db->value();
          switch (op) {
            case K::kLShift: return (y >= 0 && y < 62) ? MakeInt(x << y) : MakeUnknown("shift");
            case K::kRShift: return (y >= 0 && y < 64) ? MakeInt(x >> y) : MakeUnknown("shift");
            case K::kBitAnd: return MakeInt(x & y);
            case K::kBitOr: return MakeInt(x | y);
            case K::kBitXor: return MakeInt(x ^ y);
            default: break;
          }
        }
        return MakeUnknown("integer operator");
    }
  }
  auto na = AsNumber(a), nb = AsNumber(b);
  bool numeric_a = Is(a, ValueKind::kFloat) || da.has_value();
  bool numeric_b = Is(b, ValueKind::kFloat) || db.has_value();
  if (numeric_a && numeric_b) {
    if (!na || !nb) return MakeUnknown("symbolic float arithmetic");
    double x = *na, y = *nb;
    switch (op) {
      case K::kAdd: return MakeFloat(x + y);
      case K::kSub: return MakeFloat(x - y);
      case K::kMul: return MakeFloat(x * y);
      case K::kDiv: return y != 0 ? MakeFloat(x / y) : MakeUnknown("division by zero");
      case K::kFloorDiv: return y != 0 ? MakeFloat(std::floor(x / y)) : MakeUnknown("division by zero");
      case K::kMod: return y != 0 ? MakeFloat(x - std::floor(x / y) * y) : MakeUnknown("division by zero");
      case K::kPow: return MakeFloat(std::pow(x, y));
      default: return MakeUnknown("float operator");
    }
  }
  if (Is(a, ValueKind::kStr) && op == K::kMod) {
    std::vector<ValuePtr> values = Is(b, ValueKind::kTuple) ? As<SeqValue>(b)->items : std::vector<ValuePtr>{b};
    if (auto formatted = PercentFormat(As<StrValue>(a)->value, values)) return MakeStr(*formatted);
    return MakeUnknown("%-formatting");
  }
  if (Is(a, ValueKind::kStr) && Is(b, ValueKind::kStr) && op == K::kAdd)
    return MakeStr(As<StrValue>(a)->value + As<StrValue>(b)->value);
  if (Is(a, ValueKind::kStr) && op == K::kMul && AsInt(b)) {
    std::string out;
    for (int64_t i = 0; i < *AsInt(b) && i < 10000; ++i) out += As<StrValue>(a)->value;
    return MakeStr(out);
  }
  if (IsSeq(a) && IsSeq(b) && a->kind == b->kind && op == K::kAdd) {
    if (inplace && a->kind == ValueKind::kList) {
      auto& items = As<SeqValue>(a)->items;
      auto copy = As<SeqValue>(b)->items;
      items.insert(items.end(), copy.begin(), copy.end());
      return a;
    }
    std::vector<ValuePtr> out = As<SeqValue>(a)->items;
    for (const auto& x : As<SeqValue>(b)->items) out.push_back(x);
    return a->kind == ValueKind::kTuple ? MakeTuple(std::move(out)) : MakeList(std::move(out));
  }
  if (IsSeq(a) && op == K::kMul && AsInt(b)) return SeqRepeat(a, *AsInt(b));
  if (IsSeq(b) && op == K::kMul && AsInt(a)) return SeqRepeat(b, *AsInt(a));
  if (Is(a, ValueKind::kList) && inplace && op == K::kAdd) {
    if (auto items = Iterate(b, site)) {
      for (auto& x : *items) As<SeqValue>(a)->items.push_back(x);
      return a;
    }
  }
  return MakeUnknown("operator");
}

ValuePtr Interpreter::CompareOp(ir::CmpOpKind op, const ValuePtr& a, const ValuePtr& b, const Span& site) {
  using C = ir::CmpOpKind;
  auto tri = [](Tri t) { return t == Tri::kUnknown ? MakeUnknown("comparison") : MakeBool(t == Tri::kTrue); };
  auto neg = [](Tri t) { return t == Tri::kUnknown ? t : (t == Tri::kTrue ? Tri::kFalse : Tri::kTrue); };
  switch (op) {
    case C::kIs:
    case C::kIsNot: {
      Tri t;
      if (IsUnknown(a) || IsUnknown(b)) t = Tri::kUnknown;
      else if (Is(a, ValueKind::kNone) || Is(b, ValueKind::kNone)) t = (a->kind == b->kind) ? Tri::kTrue : Tri::kFalse;
      else if (Is(a, ValueKind::kBool) && Is(b, ValueKind::kBool)) t = KeyEquals(a, b);
      else t = a.get() == b.get() ? Tri::kTrue : Tri::kFalse;
      return tri(op == C::kIs ? t : neg(t));
    }
    case C::kIn:
    case C::kNotIn: {
      Tri t = Tri::kFalse;
      if (Is(b, ValueKind::kStr) && Is(a, ValueKind::kStr)) {
        t = As<StrValue>(b)->value.find(As<StrValue>(a)->value) != std::string::npos ? Tri::kTrue : Tri::kFalse;
      } else if (Is(b, ValueKind::kDict)) {
        for (auto& [k, v] : As<DictValue>(b)->entries) {
          Tri e = KeyEquals(a, k);
          if (e == Tri::kTrue) { t = Tri::kTrue; break; }
          if (e == Tri::kUnknown) t = Tri::kUnknown;
        }
      } else if (Is(b, ValueKind::kInstance)) {
        ValuePtr m = TryGetAttr(b, "__contains__", site);
        if (!m) return MakeUnknown("in");
        Args args;
        args.positional = {a};
        ValuePtr r = Call(m, std::move(args), site);
        t = Truthy(r);
      } else if (auto items = (IsSeq(b) ? std::optional<std::vector<ValuePtr>>(As<SeqValue>(b)->items)
                                         : std::nullopt)) {
        for (auto& x : *items) {
          Tri e = KeyEquals(a, x);
          if (e == Tri::kTrue) { t = Tri::kTrue; break; }
          if (e == Tri::kUnknown) t = Tri::kUnknown;
        }
      } else {
        t = Tri::kUnknown;
      }
      return tri(op == C::kIn ? t : neg(t));
    }
    default: break;
  }
  if (Is(a, ValueKind::kTensor) || Is(b, ValueKind::kTensor)) {
    static const char* kNames[] = {"torch.eq", "torch.ne", "torch.lt", "torch.le", "torch.gt", "torch.ge"};
    ValuePtr fn = ResolveModeled(kNames[static_cast<int>(op)], site);
    Args args;
    args.positional = {a, b};
    return CallAt(fn, std::move(args), site);
  }
  if (op == C::kEq) return tri(KeyEquals(a, b));
  if (op == C::kNotEq) return tri(neg(KeyEquals(a, b)));
  auto da = AsDim(a), db = AsDim(b);
  if (da && db) {
    Dim diff = *da - *db;  // compare a - b with 0
    if (!diff.is_const()) return MakeUnknown("symbolic comparison");
    int64_t d = diff.value();
    switch (op) {
      case C::kLt: return MakeBool(d < 0);
      case C::kLtE: return MakeBool(d <= 0);
      case C::kGt: return MakeBool(d > 0);
      case C::kGtE: return MakeBool(d >= 0);
      default: break;
    }
  }
  auto na = AsNumber(a), nb = AsNumber(b);
  if (na && nb) {
    switch (op) {
      case C::kLt: return MakeBool(*na < *nb);
      case C::kLtE: return MakeBool(*na <= *nb);
      case C::kGt: return MakeBool(*na > *nb);
      case C::kGtE: return MakeBool(*na >= *nb);
      default: break;
    }
  }
  if (Is(a, ValueKind::kStr) && Is(b, ValueKind::kStr)) {
    int c = As<StrValue>(a)->value.compare(As<StrValue>(b)->value);
    switch (op) {
      case C::kLt: return MakeBool(c < 0);
      case C::kLtE: return MakeBool(c <= 0);
      case C::kGt: return MakeBool(c > 0);
      case C::kGtE: return MakeBool(c >= 0);
      default: break;
    }
  }
  return MakeUnknown("comparison");
}

Args Interpreter::EvalArgs(const std::vector<ir::Argument>& args, const ScopePtr& scope) {
  Args out;
  for (const auto& a : args) {
    ValuePtr v = Eval(*a.value, scope);
    if (a.star == 1) {
      if (auto items = Iterate(v, a.value->span)) {
        for (auto& x : *items) out.positional.push_back(x);
      } else {
        out.positional.push_back(MakeUnknown("*args of unknown length"));
      }
    } else if (a.star == 2) {
      if (Is(v, ValueKind::kDict)) {
        for (auto& [k, x] : As<DictValue>(v)->entries) {
          if (auto* s = AsStr(k)) out.keywords.emplace_back(*s, x);
        }
      }
    } else if (!a.keyword.empty()) {
      out.keywords.emplace_back(a.keyword, v);
    } else {
      out.positional.push_back(v);
    }
  }
  return out;
}

namespace {

// Comprehensions: nested loops over known iterables, in a child scope.
void RunComprehension(Interpreter& in, const ir::ComprehensionExpr& c, size_t level,
                      const ScopePtr& scope, std::vector<ValuePtr>* out,
                      std::vector<std::pair<ValuePtr, ValuePtr>>* dict_out, bool* unknown) {
  if (in.aborted() || *unknown) return;
  if (level == c.fors.size()) {
    if (c.comp_kind == ir::ComprehensionKind::kDict) {
      ValuePtr k = in.Eval(*c.element, scope);
      dict_out->emplace_back(k, in.Eval(*c.value, scope));
    } else {
      out->push_back(in.Eval(*c.element, scope));
    }
    return;
  }
  const auto& f = c.fors[level];
  ValuePtr iter = in.Eval(*f.iter, scope);
  auto items = in.Iterate(iter, f.iter->span);
  if (!items) {
    *unknown = true;
    return;
  }
  for (const auto& item : *items) {
    in.AssignTarget(*f.target, item, scope);
    bool keep = true;
    for (const auto& cond : f.ifs) {
      Tri t = Truthy(in.Eval(*cond, scope));
      if (t == Tri::kUnknown) { *unknown = true; return; }
      if (t == Tri::kFalse) { keep = false; break; }
    }
    if (keep) RunComprehension(in, c, level + 1, scope, out, dict_out, unknown);
  }
}

}  // namespace

ValuePtr Interpreter::Eval(const ir::Expr& e, const ScopePtr& scope) {
  if (!Step()) return MakeUnknown("aborted");
  switch (e.kind) {
    case ir::ExprKind::kName:
      return LookupName(scope, static_cast<const ir::NameExpr&>(e).id, e.span);
    case ir::ExprKind::kAttribute: {
      const auto& a = static_cast<const ir::AttributeExpr&>(e);
      ValuePtr obj = Eval(*a.value, scope);
      return GetAttr(obj, a.attr, e.span);
    }
    case ir::ExprKind::kCall: {
      const auto& c = static_cast<const ir::CallExpr&>(e);
      ValuePtr fn = Eval(*c.func, scope);
      Args args = EvalArgs(c.args, scope);
      if (raising_ || aborted_) return MakeUnknown("raised");
      PushCallSite(e.span);
      ValuePtr r = Call(fn, std::move(args), e.span);
      PopCallSite();
      return r ? r : MakeUnknown("call");
    }
    case ir::ExprKind::kInt: {
      const auto& i = static_cast<const ir::IntExpr&>(e);
      return i.overflow ? MakeUnknown("integer literal too large") : MakeInt(i.value);
    }
    case ir::ExprKind::kFloat: return MakeFloat(static_cast<const ir::FloatExpr&>(e).value);
    case ir::ExprKind::kString: return MakeStr(static_cast<const ir::StringExpr&>(e).value);
    case ir::ExprKind::kBool: return MakeBool(static_cast<const ir::BoolExpr&>(e).value);
    case ir::ExprKind::kNone: return MakeNone();
    case ir::ExprKind::kEllipsis: return EllipsisValue();
    case ir::ExprKind::kBinOp: {
      const auto& b = static_cast<const ir::BinOpExpr&>(e);
      ValuePtr l = Eval(*b.left, scope);
      ValuePtr r = Eval(*b.right, scope);
      return BinaryOp(b.op, l, r, e.span);
    }
    case ir::ExprKind::kUnaryOp: {
      const auto& u = static_cast<const ir::UnaryOpExpr&>(e);
      ValuePtr v = Eval(*u.operand, scope);
      if (Is(v, ValueKind::kInstance) && u.op != ir::UnaryOpKind::kNot) {
        // Instances with operator methods: -x is x.__neg__().
        const char* name = u.op == ir::UnaryOpKind::kNeg   ? "__neg__"
                           : u.op == ir::UnaryOpKind::kPos ? "__pos__"
                                                           : "__invert__";
        if (ValuePtr m = TryGetAttr(v, name, e.span)) return CallAt(m, Args{}, e.span);
        return u.op == ir::UnaryOpKind::kPos ? v : MakeUnknown("unary operator on instance");
      }
      if (Is(v, ValueKind::kTensor) && u.op == ir::UnaryOpKind::kInvert) {
        Args args;
        args.positional = {v};
        return CallAt(ResolveModeled("torch.bitwise_not", e.span), std::move(args), e.span);
      }
      switch (u.op) {
        case ir::UnaryOpKind::kNot: {
          Tri t = Truthy(v);
          if (Is(v, ValueKind::kTensor)) return MakeUnknown("not tensor");
          return t == Tri::kUnknown ? MakeUnknown("not") : MakeBool(t == Tri::kFalse);
        }
        case ir::UnaryOpKind::kPos: return v;
        case ir::UnaryOpKind::kNeg:
          if (auto d = AsDim(v)) return MakeInt(-*d);
          if (Is(v, ValueKind::kFloat)) return MakeFloat(-As<FloatValue>(v)->value);
          if (Is(v, ValueKind::kTensor)) {
            Args args;
            args.positional = {v};
            return CallAt(ResolveModeled("torch.neg", e.span), std::move(args), e.span);
          }
          return MakeUnknown("negation");
        case ir::UnaryOpKind::kInvert:
          if (auto i = AsInt(v)) return MakeInt(~*i);
          return MakeUnknown("invert");
      }
      return MakeUnknown("unary");
    }
    case ir::ExprKind::kBoolOp: {
      const auto& b = static_cast<const ir::BoolOpExpr&>(e);
      ValuePtr l = Eval(*b.left, scope);
      Tri t = Truthy(l);
      if (b.is_and) {
        if (t == Tri::kFalse) return l;
        ValuePtr r = Eval(*b.right, scope);
        if (t == Tri::kTrue) return r;
        return Truthy(r) == Tri::kFalse ? MakeBool(false) : MakeUnknown("and");
      }
      if (t == Tri::kTrue) return l;
      ValuePtr r = Eval(*b.right, scope);
      if (t == Tri::kFalse) return r;
      return Truthy(r) == Tri::kTrue ? MakeBool(true) : MakeUnknown("or");
    }
    case ir::ExprKind::kCompare: {
      const auto& c = static_cast<const ir::CompareExpr&>(e);
      ValuePtr left = Eval(*c.left, scope);
      ValuePtr result = MakeBool(true);
      bool unknown = false;
      for (size_t i = 0; i < c.ops.size(); ++i) {
        ValuePtr right = Eval(*c.comparators[i], scope);
        ValuePtr r = CompareOp(c.ops[i], left, right, e.span);
        if (Is(r, ValueKind::kTensor)) return r;
        Tri t = Truthy(r);
        if (t == Tri::kFalse) return MakeBool(false);
        if (t == Tri::kUnknown) unknown = true;
        left = right;
      }
      return unknown ? MakeUnknown("comparison") : result;
    }
    case ir::ExprKind::kIfExp: {
      const auto& c = static_cast<const ir::IfExpExpr&>(e);
      Tri t = Truthy(Eval(*c.test, scope));
      bool take = t == Tri::kUnknown ? Decide(*c.test, "condition") : t == Tri::kTrue;
      return Eval(take ? *c.body : *c.orelse, scope);
    }
    case ir::ExprKind::kTuple:
    case ir::ExprKind::kList:
    case ir::ExprKind::kSet: {
      const auto& s = static_cast<const ir::SequenceExpr&>(e);
      std::vector<ValuePtr> items;
      for (const auto& x : s.elts) {
        if (x->kind == ir::ExprKind::kStarred) {
          ValuePtr v = Eval(*static_cast<const ir::StarredExpr&>(*x).value, scope);
          auto sub = Iterate(v, x->span);
          if (!sub) return MakeUnknown("starred of unknown length");
          items.insert(items.end(), sub->begin(), sub->end());
        } else {
          items.push_back(Eval(*x, scope));
        }
      }
      if (e.kind == ir::ExprKind::kTuple) return MakeTuple(std::move(items));
      if (e.kind == ir::ExprKind::kSet) {
        std::vector<ValuePtr> uniq;
        for (auto& x : items) {
          bool dup = false;
          for (auto& y : uniq) if (KeyEquals(x, y) == Tri::kTrue) { dup = true; break; }
          if (!dup) uniq.push_back(x);
        }
        return MakeList(std::move(uniq));  // sets are modeled as lists of distinct items
      }
      return MakeList(std::move(items));
    }
    case ir::ExprKind::kDict: {
      const auto& d = static_cast<const ir::DictExpr&>(e);
      auto out = std::make_shared<DictValue>();
      auto put = [&](ValuePtr k, ValuePtr v) {
        for (auto& [k2, v2] : out->entries) {
          if (KeyEquals(k, k2) == Tri::kTrue) { v2 = v; return; }
        }
        out->entries.emplace_back(std::move(k), std::move(v));
      };
      for (size_t i = 0; i < d.values.size(); ++i) {
        ValuePtr v = Eval(*d.values[i], scope);
        if (!d.keys[i]) {
          if (Is(v, ValueKind::kDict))
            for (auto& [k, x] : As<DictValue>(v)->entries) put(k, x);
          continue;
        }
        put(Eval(*d.keys[i], scope), v);
      }
      return out;
    }
    case ir::ExprKind::kSubscript: {
      const auto& s = static_cast<const ir::SubscriptExpr&>(e);
      ValuePtr obj = Eval(*s.value, scope);
      ValuePtr idx = Eval(*s.index, scope);
      return GetItem(obj, idx, e.span);
    }
    case ir::ExprKind::kSlice: {
      const auto& s = static_cast<const ir::SliceExpr&>(e);
      auto out = std::make_shared<SliceValue>();
      out->lower = s.lower ? Eval(*s.lower, scope) : MakeNone();
      out->upper = s.upper ? Eval(*s.upper, scope) : MakeNone();
      out->step = s.step ? Eval(*s.step, scope) : MakeNone();
      return out;
    }
    case ir::ExprKind::kLambda: {
      const auto& l = static_cast<const ir::LambdaExpr&>(e);
      auto fn = std::make_shared<FunctionValue>();
      fn->name = "<lambda>";
      fn->qualname = "<lambda>";
      fn->params = &l.params;
      fn->lambda_body = l.body.get();
      fn->closure = scope;
      fn->globals = scope->globals;
      fn->span = e.span;
      for (const auto& p : l.params.params) fn->defaults.push_back(p.default_value ? Eval(*p.default_value, scope) : nullptr);
      return fn;
    }
    case ir::ExprKind::kComprehension: {
      const auto& c = static_cast<const ir::ComprehensionExpr&>(e);
      auto inner = NewScope();
      inner->parent = scope;
      inner->globals = scope->globals;
      std::vector<ValuePtr> items;
      std::vector<std::pair<ValuePtr, ValuePtr>> entries;
      bool unknown = false;
      RunComprehension(*this, c, 0, inner, &items, &entries, &unknown);
      if (unknown) return MakeUnknown("comprehension over unknown iterable");
      if (c.comp_kind == ir::ComprehensionKind::kDict) {
        auto d = std::make_shared<DictValue>();
        d->entries = std::move(entries);
        return d;
      }
      return MakeList(std::move(items));
    }
    case ir::ExprKind::kFString: {
      const auto& f = static_cast<const ir::FStringExpr&>(e);
      std::string out;
      for (const auto& piece : f.pieces) {
        if (!piece.expr) {
          out += piece.literal;
          continue;
        }
        ValuePtr v = Eval(*piece.expr, scope);
        if (IsUnknown(v) || Is(v, ValueKind::kTensor)) return MakeUnknown("f-string");
        if (!piece.format_spec.empty()) return MakeUnknown("f-string format spec");
        out += piece.conversion == "r" ? Repr(v) : Str(v);
      }
      return MakeStr(out);
    }
    case ir::ExprKind::kStarred:
      return Eval(*static_cast<const ir::StarredExpr&>(e).value, scope);
    case ir::ExprKind::kNamedExpr: {
      const auto& n = static_cast<const ir::NamedExpr&>(e);
      ValuePtr v = Eval(*n.value, scope);
      AssignName(scope, n.target, v);
      return v;
    }
    case ir::ExprKind::kUnsupported:
      return NoteUnmodeled(static_cast<const ir::UnsupportedExpr&>(e).what, e.span);
  }
  return MakeUnknown("expression");
}

}  // namespace shapelint::interp
