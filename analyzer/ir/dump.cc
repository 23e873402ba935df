// dump.cc: the IR as S-expressions. Statements carry `line:col` and start a
// line of their own, indented two spaces per nesting level; expressions print
// inline without spans so that a statement stays readable on one line.
//
// Expressions: (name x) (attr V a) (call F args...) with args `X`, `(* X)`,
// `(** X)`, `(kw k X)`; (int 3) (int overflow) (float 1.5) (str "..")
// (bytes "..") True False None ...; (binop + L R) (unop - X) (and L R)
// (or L R) (compare L < R not-in S); (ifexp TEST BODY ORELSE); (tuple ..)
// (list ..) (set ..) (dict (pair K V) (** D)); (subscript V I)
// (slice LO HI STEP) with `_` for absent parts; (lambda (params ..) BODY);
// (listcomp|setcomp|genexp ELT (for T I (if C)..)..) and
// (dictcomp K V (for ..)); (fstring "lit" (fmt X !r :"spec") ..);
// (* X) (** X) for starred; (walrus n X); (unsupported "what").
// Parameters: (params a (b :ann X :default Y) *args kw:c **kw).
//
// Statements: (expr L:C X) (assign L:C T.. V) (augassign L:C T += V)
// (annassign L:C T ANN [V]) (return L:C [X]) (if|while L:C TEST body
// [(else body)]) (for L:C T ITER body [(else body)]) (def L:C name [async]
// [(decorators ..)] (params ..) [(returns X)] body) (class L:C name
// [(decorators ..)] [(bases ..)] body) (import L:C a.b (c as d))
// (from L:C ..mod names.. [*]) (try L:C body (except L:C [TYPE] [as n] body)..
// [(else ..)] [(finally ..)]) (with L:C (item CTX [T]).. body)
// (raise L:C [X] [(from C)]) (assert L:C T [M]) (global|nonlocal L:C names)
// (del L:C T..) (pass|break|continue L:C) (unsupported L:C "what"). Module
// lowering notes follow the statements as (note L:C "what").
#include "analyzer/ir/dump.h"

#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace shapelint::ir {
namespace {

void AppendQuoted(std::string_view s, bool bytes, std::string* out) {
  out->push_back('"');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\t': out->append("\\t"); break;
      case '\r': out->append("\\r"); break;
      default:
        // UTF-8 text passes through; raw bytes and control characters are
        // shown as \xNN so that the dump stays one line of valid text.
        if (c < 0x20 || c == 0x7f || (bytes && c >= 0x80)) {
          absl::StrAppendFormat(out, "\\x%02x", c);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

const char* BinOpText(BinOpKind op) {
  switch (op) {
    case BinOpKind::kAdd: return "+";
    case BinOpKind::kSub: return "-";
    case BinOpKind::kMul: return "*";
    case BinOpKind::kDiv: return "/";
    case BinOpKind::kFloorDiv: return "//";
    case BinOpKind::kMod: return "%";
    case BinOpKind::kPow: return "**";
    case BinOpKind::kMatMul: return "@";
    case BinOpKind::kLShift: return "<<";
    case BinOpKind::kRShift: return ">>";
    case BinOpKind::kBitAnd: return "&";
    case BinOpKind::kBitOr: return "|";
    case BinOpKind::kBitXor: return "^";
  }
  return "?";
}

const char* UnaryOpText(UnaryOpKind op) {
  switch (op) {
    case UnaryOpKind::kNeg: return "-";
    case UnaryOpKind::kPos: return "+";
    case UnaryOpKind::kNot: return "not";
    case UnaryOpKind::kInvert: return "~";
  }
  return "?";
}

const char* CmpOpText(CmpOpKind op) {
  switch (op) {
    case CmpOpKind::kEq: return "==";
    case CmpOpKind::kNotEq: return "!=";
    case CmpOpKind::kLt: return "<";
    case CmpOpKind::kLtE: return "<=";
    case CmpOpKind::kGt: return ">";
    case CmpOpKind::kGtE: return ">=";
    case CmpOpKind::kIs: return "is";
    case CmpOpKind::kIsNot: return "is-not";
    case CmpOpKind::kIn: return "in";
    case CmpOpKind::kNotIn: return "not-in";
  }
  return "?";
}

class Dumper {
 public:
  explicit Dumper(std::string* out) : out_(*out) {}

  void Expr(const ir::Expr* e) {
    if (e == nullptr) {
      out_.push_back('_');
      return;
    }
    switch (e->kind) {
      case ExprKind::kName:
        absl::StrAppend(&out_, "(name ", static_cast<const NameExpr*>(e)->id, ")");
        return;
      case ExprKind::kAttribute: {
        auto* a = static_cast<const AttributeExpr*>(e);
        out_.append("(attr ");
        Expr(a->value.get());
        absl::StrAppend(&out_, " ", a->attr, ")");
        return;
      }
      case ExprKind::kCall: {
        auto* c = static_cast<const CallExpr*>(e);
        out_.append("(call ");
        Expr(c->func.get());
        for (const Argument& a : c->args) {
          out_.push_back(' ');
          Arg(a);
        }
        out_.push_back(')');
        return;
      }
      case ExprKind::kInt: {
        auto* i = static_cast<const IntExpr*>(e);
        if (i->overflow) out_.append("(int overflow)");
        else absl::StrAppend(&out_, "(int ", i->value, ")");
        return;
      }
      case ExprKind::kFloat:
        absl::StrAppend(&out_, "(float ", static_cast<const FloatExpr*>(e)->text, ")");
        return;
      case ExprKind::kString: {
        auto* s = static_cast<const StringExpr*>(e);
        out_.append(s->is_bytes ? "(bytes " : "(str ");
        AppendQuoted(s->value, s->is_bytes, &out_);
        out_.push_back(')');
        return;
      }
      case ExprKind::kBool:
        out_.append(static_cast<const BoolExpr*>(e)->value ? "True" : "False");
        return;
      case ExprKind::kNone: out_.append("None"); return;
      case ExprKind::kEllipsis: out_.append("..."); return;
      case ExprKind::kBinOp: {
        auto* b = static_cast<const BinOpExpr*>(e);
        absl::StrAppend(&out_, "(binop ", BinOpText(b->op), " ");
        Expr(b->left.get());
        out_.push_back(' ');
        Expr(b->right.get());
        out_.push_back(')');
        return;
      }
      case ExprKind::kUnaryOp: {
        auto* u = static_cast<const UnaryOpExpr*>(e);
        absl::StrAppend(&out_, "(unop ", UnaryOpText(u->op), " ");
        Expr(u->operand.get());
        out_.push_back(')');
        return;
      }
      case ExprKind::kBoolOp: {
        auto* b = static_cast<const BoolOpExpr*>(e);
        out_.append(b->is_and ? "(and " : "(or ");
        Expr(b->left.get());
        out_.push_back(' ');
        Expr(b->right.get());
        out_.push_back(')');
        return;
      }
      case ExprKind::kCompare: {
        auto* c = static_cast<const CompareExpr*>(e);
        out_.append("(compare ");
        Expr(c->left.get());
        for (size_t i = 0; i < c->ops.size(); ++i) {
          absl::StrAppend(&out_, " ", CmpOpText(c->ops[i]), " ");
          Expr(i < c->comparators.size() ? c->comparators[i].get() : nullptr);
        }
        out_.push_back(')');
        return;
      }
      case ExprKind::kIfExp: {
        auto* i = static_cast<const IfExpExpr*>(e);
        out_.append("(ifexp ");
        Expr(i->test.get());
        out_.push_back(' ');
        Expr(i->body.get());
        out_.push_back(' ');
        Expr(i->orelse.get());
        out_.push_back(')');
        return;
      }
      case ExprKind::kTuple:
      case ExprKind::kList:
      case ExprKind::kSet: {
        auto* s = static_cast<const SequenceExpr*>(e);
        out_.append(e->kind == ExprKind::kTuple  ? "(tuple"
                    : e->kind == ExprKind::kList ? "(list"
                                                 : "(set");
        for (const ExprPtr& x : s->elts) {
          out_.push_back(' ');
          Expr(x.get());
        }
        out_.push_back(')');
        return;
      }
      case ExprKind::kDict: {
        auto* d = static_cast<const DictExpr*>(e);
        out_.append("(dict");
        for (size_t i = 0; i < d->values.size(); ++i) {
          const ir::Expr* key = i < d->keys.size() ? d->keys[i].get() : nullptr;
          if (key == nullptr) {
            out_.append(" (** ");
          } else {
            out_.append(" (pair ");
            Expr(key);
            out_.push_back(' ');
          }
          Expr(d->values[i].get());
          out_.push_back(')');
        }
        out_.push_back(')');
        return;
      }
      case ExprKind::kSubscript: {
        auto* s = static_cast<const SubscriptExpr*>(e);
        out_.append("(subscript ");
        Expr(s->value.get());
        out_.push_back(' ');
        Expr(s->index.get());
        out_.push_back(')');
        return;
      }
      case ExprKind::kSlice: {
        auto* s = static_cast<const SliceExpr*>(e);
        out_.append("(slice ");
        Expr(s->lower.get());
        out_.push_back(' ');
        Expr(s->upper.get());
        out_.push_back(' ');
        Expr(s->step.get());
        out_.push_back(')');
        return;
      }
      case ExprKind::kLambda: {
        auto* l = static_cast<const LambdaExpr*>(e);
        out_.append("(lambda ");
        ParamList(l->params);
        out_.push_back(' ');
        Expr(l->body.get());
        out_.push_back(')');
        return;
      }
      case ExprKind::kComprehension: {
        auto* c = static_cast<const ComprehensionExpr*>(e);
        switch (c->comp_kind) {
          case ComprehensionKind::kList: out_.append("(listcomp "); break;
          case ComprehensionKind::kSet: out_.append("(setcomp "); break;
          case ComprehensionKind::kDict: out_.append("(dictcomp "); break;
          case ComprehensionKind::kGenerator: out_.append("(genexp "); break;
        }
        Expr(c->element.get());
        if (c->comp_kind == ComprehensionKind::kDict) {
          out_.push_back(' ');
          Expr(c->value.get());
        }
        for (const ComprehensionFor& f : c->fors) {
          out_.append(" (for ");
          Expr(f.target.get());
          out_.push_back(' ');
          Expr(f.iter.get());
          for (const ExprPtr& cond : f.ifs) {
            out_.append(" (if ");
            Expr(cond.get());
            out_.push_back(')');
          }
          out_.push_back(')');
        }
        out_.push_back(')');
        return;
      }
      case ExprKind::kFString: {
        auto* f = static_cast<const FStringExpr*>(e);
        out_.append("(fstring");
        for (const FStringPiece& p : f->pieces) {
          out_.push_back(' ');
          if (p.expr == nullptr) {
            AppendQuoted(p.literal, false, &out_);
            continue;
          }
          out_.append("(fmt ");
          Expr(p.expr.get());
          if (!p.conversion.empty()) absl::StrAppend(&out_, " !", p.conversion);
          if (!p.format_spec.empty()) {
            out_.append(" :");
            AppendQuoted(p.format_spec, false, &out_);
          }
          out_.push_back(')');
        }
        out_.push_back(')');
        return;
      }
      case ExprKind::kStarred: {
        auto* s = static_cast<const StarredExpr*>(e);
        out_.append(s->double_star ? "(** " : "(* ");
        Expr(s->value.get());
        out_.push_back(')');
        return;
      }
      case ExprKind::kNamedExpr: {
        auto* n = static_cast<const NamedExpr*>(e);
        absl::StrAppend(&out_, "(walrus ", n->target, " ");
        Expr(n->value.get());
        out_.push_back(')');
        return;
      }
      case ExprKind::kUnsupported:
        out_.append("(unsupported ");
        AppendQuoted(static_cast<const UnsupportedExpr*>(e)->what, false, &out_);
        out_.push_back(')');
        return;
    }
    out_.append("(?)");
  }

  void Arg(const Argument& a) {
    if (!a.keyword.empty()) {
      absl::StrAppend(&out_, "(kw ", a.keyword, " ");
    } else if (a.star == 1) {
      out_.append("(* ");
    } else if (a.star == 2) {
      out_.append("(** ");
    } else {
      Expr(a.value.get());
      return;
    }
    Expr(a.value.get());
    out_.push_back(')');
  }

  // ParamList: `(params a (b :ann X :default Y) *args kw:c **kw)`.
  void ParamList(const Params& params) {
    out_.append("(params");
    for (const Param& p : params.params) {
      out_.push_back(' ');
      const char* prefix = p.kind == ParamKind::kVarArgs    ? "*"
                           : p.kind == ParamKind::kVarKwargs ? "**"
                           : p.kind == ParamKind::kKwOnly    ? "kw:"
                                                             : "";
      bool plain = p.annotation == nullptr && p.default_value == nullptr;
      if (!plain) out_.push_back('(');
      absl::StrAppend(&out_, prefix, p.name);
      if (p.annotation != nullptr) {
        out_.append(" :ann ");
        Expr(p.annotation.get());
      }
      if (p.default_value != nullptr) {
        out_.append(" :default ");
        Expr(p.default_value.get());
      }
      if (!plain) out_.push_back(')');
    }
    out_.push_back(')');
  }

  void Stmt(const ir::Stmt& s, int indent) {
    out_.append(2 * indent, ' ');
    out_.push_back('(');
    out_.append(Head(s.kind));
    absl::StrAppend(&out_, " ", s.span.line, ":", s.span.col);
    switch (s.kind) {
      case StmtKind::kExpr:
        Sp(static_cast<const ExprStmt&>(s).value.get());
        break;
      case StmtKind::kAssign: {
        auto& a = static_cast<const AssignStmt&>(s);
        for (const ExprPtr& t : a.targets) Sp(t.get());
        Sp(a.value.get());
        break;
      }
      case StmtKind::kAugAssign: {
        auto& a = static_cast<const AugAssignStmt&>(s);
        Sp(a.target.get());
        absl::StrAppend(&out_, " ", BinOpText(a.op), "=");
        Sp(a.value.get());
        break;
      }
      case StmtKind::kAnnAssign: {
        auto& a = static_cast<const AnnAssignStmt&>(s);
        Sp(a.target.get());
        Sp(a.annotation.get());
        if (a.value != nullptr) Sp(a.value.get());
        break;
      }
      case StmtKind::kReturn: {
        auto& r = static_cast<const ReturnStmt&>(s);
        if (r.value != nullptr) Sp(r.value.get());
        break;
      }
      case StmtKind::kIf: {
        auto& i = static_cast<const IfStmt&>(s);
        Sp(i.test.get());
        Body(i.body, indent + 1);
        Section("else", i.orelse, indent + 1);
        break;
      }
      case StmtKind::kFor: {
        auto& f = static_cast<const ForStmt&>(s);
        Sp(f.target.get());
        Sp(f.iter.get());
        Body(f.body, indent + 1);
        Section("else", f.orelse, indent + 1);
        break;
      }
      case StmtKind::kWhile: {
        auto& w = static_cast<const WhileStmt&>(s);
        Sp(w.test.get());
        Body(w.body, indent + 1);
        Section("else", w.orelse, indent + 1);
        break;
      }
      case StmtKind::kBreak:
      case StmtKind::kContinue:
      case StmtKind::kPass:
        break;
      case StmtKind::kFunctionDef: {
        auto& f = static_cast<const FunctionDef&>(s);
        absl::StrAppend(&out_, " ", f.name);
        if (f.is_async) out_.append(" async");
        Decorators(f.decorators);
        out_.push_back(' ');
        ParamList(f.params);
        if (f.returns != nullptr) {
          out_.append(" (returns ");
          Expr(f.returns.get());
          out_.push_back(')');
        }
        Body(f.body, indent + 1);
        break;
      }
      case StmtKind::kClassDef: {
        auto& c = static_cast<const ClassDef&>(s);
        absl::StrAppend(&out_, " ", c.name);
        Decorators(c.decorators);
        if (!c.bases.empty()) {
          out_.append(" (bases");
          for (const Argument& a : c.bases) {
            out_.push_back(' ');
            Arg(a);
          }
          out_.push_back(')');
        }
        Body(c.body, indent + 1);
        break;
      }
      case StmtKind::kImport:
        for (const ImportAlias& a : static_cast<const ImportStmt&>(s).names) Alias(a);
        break;
      case StmtKind::kImportFrom: {
        auto& f = static_cast<const ImportFromStmt&>(s);
        out_.push_back(' ');
        out_.append(static_cast<size_t>(f.level), '.');
        out_.append(f.module);
        for (const ImportAlias& a : f.names) Alias(a);
        if (f.star) out_.append(" *");
        break;
      }
      case StmtKind::kTry: {
        auto& t = static_cast<const TryStmt&>(s);
        Body(t.body, indent + 1);
        for (const ExceptHandler& h : t.handlers) {
          out_.push_back('\n');
          out_.append(2 * (indent + 1), ' ');
          absl::StrAppend(&out_, "(except ", h.span.line, ":", h.span.col);
          if (h.type != nullptr) Sp(h.type.get());
          if (!h.name.empty()) absl::StrAppend(&out_, " as ", h.name);
          Body(h.body, indent + 2);
          out_.push_back(')');
        }
        Section("else", t.orelse, indent + 1);
        Section("finally", t.finalbody, indent + 1);
        break;
      }
      case StmtKind::kWith: {
        auto& w = static_cast<const WithStmt&>(s);
        for (const WithItem& i : w.items) {
          out_.append(" (item");
          Sp(i.context.get());
          if (i.target != nullptr) Sp(i.target.get());
          out_.push_back(')');
        }
        Body(w.body, indent + 1);
        break;
      }
      case StmtKind::kRaise: {
        auto& r = static_cast<const RaiseStmt&>(s);
        if (r.exc != nullptr) Sp(r.exc.get());
        if (r.cause != nullptr) {
          out_.append(" (from ");
          Expr(r.cause.get());
          out_.push_back(')');
        }
        break;
      }
      case StmtKind::kAssert: {
        auto& a = static_cast<const AssertStmt&>(s);
        Sp(a.test.get());
        if (a.msg != nullptr) Sp(a.msg.get());
        break;
      }
      case StmtKind::kGlobal:
      case StmtKind::kNonlocal:
        for (const std::string& n : static_cast<const NamesStmt&>(s).names) {
          absl::StrAppend(&out_, " ", n);
        }
        break;
      case StmtKind::kDelete:
        for (const ExprPtr& t : static_cast<const DeleteStmt&>(s).targets) Sp(t.get());
        break;
      case StmtKind::kUnsupported:
        out_.push_back(' ');
        AppendQuoted(static_cast<const UnsupportedStmt&>(s).what, false, &out_);
        break;
    }
    out_.push_back(')');
  }

 private:
  static const char* Head(StmtKind k) {
    switch (k) {
      case StmtKind::kExpr: return "expr";
      case StmtKind::kAssign: return "assign";
      case StmtKind::kAugAssign: return "augassign";
      case StmtKind::kAnnAssign: return "annassign";
      case StmtKind::kReturn: return "return";
      case StmtKind::kIf: return "if";
      case StmtKind::kFor: return "for";
      case StmtKind::kWhile: return "while";
      case StmtKind::kBreak: return "break";
      case StmtKind::kContinue: return "continue";
      case StmtKind::kPass: return "pass";
      case StmtKind::kFunctionDef: return "def";
      case StmtKind::kClassDef: return "class";
      case StmtKind::kImport: return "import";
      case StmtKind::kImportFrom: return "from";
      case StmtKind::kTry: return "try";
      case StmtKind::kWith: return "with";
      case StmtKind::kRaise: return "raise";
      case StmtKind::kAssert: return "assert";
      case StmtKind::kGlobal: return "global";
      case StmtKind::kNonlocal: return "nonlocal";
      case StmtKind::kDelete: return "del";
      case StmtKind::kUnsupported: return "unsupported";
    }
    return "?";
  }

  void Sp(const ir::Expr* e) {
    out_.push_back(' ');
    Expr(e);
  }

  void Body(const Block& body, int indent) {
    for (const StmtPtr& s : body) {
      out_.push_back('\n');
      if (s == nullptr) {
        out_.append(2 * indent, ' ');
        out_.append("_");
        continue;
      }
      Stmt(*s, indent);
    }
  }

  // Section: `(else ...)` / `(finally ...)` on its own line; omitted when
  // empty.
  void Section(const char* head, const Block& body, int indent) {
    if (body.empty()) return;
    out_.push_back('\n');
    out_.append(2 * indent, ' ');
    absl::StrAppend(&out_, "(", head);
    Body(body, indent + 1);
    out_.push_back(')');
  }

  void Decorators(const std::vector<ExprPtr>& decorators) {
    if (decorators.empty()) return;
    out_.append(" (decorators");
    for (const ExprPtr& d : decorators) Sp(d.get());
    out_.push_back(')');
  }

  void Alias(const ImportAlias& a) {
    if (a.asname.empty()) absl::StrAppend(&out_, " ", a.name);
    else absl::StrAppend(&out_, " (", a.name, " as ", a.asname, ")");
  }

  std::string& out_;
};

}  // namespace

std::string Dump(const Module& module) {
  std::string out;
  Dumper d(&out);
  for (const StmtPtr& s : module.body) {
    if (s == nullptr) continue;
    d.Stmt(*s, 0);
    out.push_back('\n');
  }
  for (const auto& [span, what] : module.lowering_notes) {
    absl::StrAppend(&out, "(note ", span.line, ":", span.col, " ");
    AppendQuoted(what, false, &out);
    out.append(")\n");
  }
  return out;
}

std::string DumpExpr(const Expr& expr) {
  std::string out;
  Dumper d(&out);
  d.Expr(&expr);
  return out;
}

}  // namespace shapelint::ir
