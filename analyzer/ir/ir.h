// ir.h: the typed Python IR the interpreter evaluates. lower.cc builds it from
// the tree-sitter CST; after lowering nothing looks at syntax nodes. Every node
// carries the Span of the source it came from. Constructs the interpreter does
// not model lower to ExprKind::kUnsupported / StmtKind::kUnsupported with a
// description, so that they become Unknown values with a note, never a crash.
#ifndef SHAPELINT_IR_IR_H_
#define SHAPELINT_IR_IR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/base/source.h"

namespace shapelint::ir {

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;
using Block = std::vector<StmtPtr>;

enum class ExprKind {
  kName, kAttribute, kCall, kInt, kFloat, kString, kBool, kNone, kEllipsis,
  kBinOp, kUnaryOp, kBoolOp, kCompare, kIfExp, kTuple, kList, kDict, kSet,
  kSubscript, kSlice, kLambda, kComprehension, kFString, kStarred, kNamedExpr,
  kUnsupported,
};

enum class BinOpKind { kAdd, kSub, kMul, kDiv, kFloorDiv, kMod, kPow, kMatMul,
                       kLShift, kRShift, kBitAnd, kBitOr, kBitXor };
enum class UnaryOpKind { kNeg, kPos, kNot, kInvert };
enum class CmpOpKind { kEq, kNotEq, kLt, kLtE, kGt, kGtE, kIs, kIsNot, kIn, kNotIn };
enum class ComprehensionKind { kList, kSet, kDict, kGenerator };

struct Expr {
  ExprKind kind;
  Span span;
  explicit Expr(ExprKind k) : kind(k) {}
  virtual ~Expr() = default;
};

struct NameExpr : Expr { NameExpr() : Expr(ExprKind::kName) {} std::string id; };
struct AttributeExpr : Expr {
  AttributeExpr() : Expr(ExprKind::kAttribute) {}
  ExprPtr value;
  std::string attr;
};
// Argument: `x`, `*xs`, `key=x`, `**kw` (star: 0 none, 1 `*`, 2 `**`).
struct Argument {
  std::string keyword;  // empty for positional / starred
  int star = 0;
  ExprPtr value;
};
struct CallExpr : Expr {
  CallExpr() : Expr(ExprKind::kCall) {}
  ExprPtr func;
  std::vector<Argument> args;
};
struct IntExpr : Expr { IntExpr() : Expr(ExprKind::kInt) {} int64_t value = 0; bool overflow = false; };
struct FloatExpr : Expr { FloatExpr() : Expr(ExprKind::kFloat) {} double value = 0; std::string text; };
// StringExpr: plain or concatenated literal; bytes literals set is_bytes.
struct StringExpr : Expr { StringExpr() : Expr(ExprKind::kString) {} std::string value; bool is_bytes = false; };
struct BoolExpr : Expr { BoolExpr() : Expr(ExprKind::kBool) {} bool value = false; };
struct NoneExpr : Expr { NoneExpr() : Expr(ExprKind::kNone) {} };
struct EllipsisExpr : Expr { EllipsisExpr() : Expr(ExprKind::kEllipsis) {} };
struct BinOpExpr : Expr {
  BinOpExpr() : Expr(ExprKind::kBinOp) {}
  BinOpKind op;
  ExprPtr left, right;
};
struct UnaryOpExpr : Expr {
  UnaryOpExpr() : Expr(ExprKind::kUnaryOp) {}
  UnaryOpKind op;
  ExprPtr operand;
};
struct BoolOpExpr : Expr {
  BoolOpExpr() : Expr(ExprKind::kBoolOp) {}
  bool is_and = true;
  ExprPtr left, right;
};
// CompareExpr: a chain `a < b <= c`: ops.size() == comparators.size().
struct CompareExpr : Expr {
  CompareExpr() : Expr(ExprKind::kCompare) {}
  ExprPtr left;
  std::vector<CmpOpKind> ops;
  std::vector<ExprPtr> comparators;
};
struct IfExpExpr : Expr {
  IfExpExpr() : Expr(ExprKind::kIfExp) {}
  ExprPtr test, body, orelse;
};
// Tuple / List / Set: elements may be StarredExpr.
struct SequenceExpr : Expr {
  explicit SequenceExpr(ExprKind k) : Expr(k) {}
  std::vector<ExprPtr> elts;
};
// DictExpr: a null key means `**value`.
struct DictExpr : Expr {
  DictExpr() : Expr(ExprKind::kDict) {}
  std::vector<ExprPtr> keys;
  std::vector<ExprPtr> values;
};
// SubscriptExpr: `value[index]`; several comma-separated subscripts become a
// TupleExpr index, `a:b` a SliceExpr.
struct SubscriptExpr : Expr {
  SubscriptExpr() : Expr(ExprKind::kSubscript) {}
  ExprPtr value, index;
};
struct SliceExpr : Expr {
  SliceExpr() : Expr(ExprKind::kSlice) {}
  ExprPtr lower, upper, step;  // each may be null
};

enum class ParamKind { kNormal, kVarArgs, kKwOnly, kVarKwargs };
// Param: one formal parameter. Positional-only markers (`/`) are dropped:
// they do not change what binds for the code we analyze; `*` alone makes the
// following parameters kKwOnly.
struct Param {
  std::string name;
  ParamKind kind = ParamKind::kNormal;
  ExprPtr default_value;  // may be null
  ExprPtr annotation;     // may be null
  Span span;
};
struct Params { std::vector<Param> params; };

struct FunctionDef;
struct LambdaExpr : Expr {
  LambdaExpr() : Expr(ExprKind::kLambda) {}
  Params params;
  ExprPtr body;
};
struct ComprehensionFor {
  ExprPtr target;   // Name, Tuple or List of targets
  ExprPtr iter;
  std::vector<ExprPtr> ifs;
};
struct ComprehensionExpr : Expr {
  ComprehensionExpr() : Expr(ExprKind::kComprehension) {}
  ComprehensionKind comp_kind = ComprehensionKind::kList;
  ExprPtr element;    // for dicts: the key
  ExprPtr value;      // dicts only
  std::vector<ComprehensionFor> fors;
};
// FStringExpr: literal text pieces and interpolated expressions, in order:
// pieces[i] is either a literal (expr null) or an expression with its format
// spec / conversion kept as text.
struct FStringPiece {
  std::string literal;
  ExprPtr expr;
  std::string conversion;   // "r", "s", "a" or ""
  std::string format_spec;  // text after ':' (nested fields not evaluated)
};
struct FStringExpr : Expr {
  FStringExpr() : Expr(ExprKind::kFString) {}
  std::vector<FStringPiece> pieces;
};
struct StarredExpr : Expr {
  StarredExpr() : Expr(ExprKind::kStarred) {}
  ExprPtr value;
  bool double_star = false;
};
struct NamedExpr : Expr {
  NamedExpr() : Expr(ExprKind::kNamedExpr) {}
  std::string target;
  ExprPtr value;
};
struct UnsupportedExpr : Expr {
  UnsupportedExpr() : Expr(ExprKind::kUnsupported) {}
  std::string what;  // e.g. "await expression", "yield"
};

enum class StmtKind {
  kExpr, kAssign, kAugAssign, kAnnAssign, kReturn, kIf, kFor, kWhile, kBreak,
  kContinue, kPass, kFunctionDef, kClassDef, kImport, kImportFrom, kTry, kWith,
  kRaise, kAssert, kGlobal, kNonlocal, kDelete, kUnsupported,
};

struct Stmt {
  StmtKind kind;
  Span span;
  explicit Stmt(StmtKind k) : kind(k) {}
  virtual ~Stmt() = default;
};

struct ExprStmt : Stmt { ExprStmt() : Stmt(StmtKind::kExpr) {} ExprPtr value; };
// AssignStmt: `a = b = value`; targets are Name/Attribute/Subscript/Tuple/
// List/Starred expressions.
struct AssignStmt : Stmt {
  AssignStmt() : Stmt(StmtKind::kAssign) {}
  std::vector<ExprPtr> targets;
  ExprPtr value;
};
struct AugAssignStmt : Stmt {
  AugAssignStmt() : Stmt(StmtKind::kAugAssign) {}
  ExprPtr target;
  BinOpKind op;
  ExprPtr value;
};
// AnnAssignStmt: `x: int = 3` (value may be null).
struct AnnAssignStmt : Stmt {
  AnnAssignStmt() : Stmt(StmtKind::kAnnAssign) {}
  ExprPtr target, annotation, value;
};
struct ReturnStmt : Stmt { ReturnStmt() : Stmt(StmtKind::kReturn) {} ExprPtr value; };
// IfStmt: elif chains lower to nested IfStmt in orelse.
struct IfStmt : Stmt {
  IfStmt() : Stmt(StmtKind::kIf) {}
  ExprPtr test;
  Block body, orelse;
};
struct ForStmt : Stmt {
  ForStmt() : Stmt(StmtKind::kFor) {}
  ExprPtr target, iter;
  Block body, orelse;
};
struct WhileStmt : Stmt {
  WhileStmt() : Stmt(StmtKind::kWhile) {}
  ExprPtr test;
  Block body, orelse;
};
struct SimpleStmt : Stmt { explicit SimpleStmt(StmtKind k) : Stmt(k) {} };  // break, continue, pass

struct FunctionDef : Stmt {
  FunctionDef() : Stmt(StmtKind::kFunctionDef) {}
  std::string name;
  Params params;
  Block body;
  std::vector<ExprPtr> decorators;
  ExprPtr returns;  // annotation, may be null
  bool is_async = false;
};
struct ClassDef : Stmt {
  ClassDef() : Stmt(StmtKind::kClassDef) {}
  std::string name;
  std::vector<Argument> bases;  // positional bases and keywords (metaclass=...)
  Block body;
  std::vector<ExprPtr> decorators;
};
// ImportStmt: `import a.b.c as d` -> {module "a.b.c", asname "d"}.
struct ImportAlias { std::string name; std::string asname; Span span; };
struct ImportStmt : Stmt { ImportStmt() : Stmt(StmtKind::kImport) {} std::vector<ImportAlias> names; };
// ImportFromStmt: `from ..a.b import c as d, e`; level counts the dots;
// star is `from m import *`.
struct ImportFromStmt : Stmt {
  ImportFromStmt() : Stmt(StmtKind::kImportFrom) {}
  std::string module;  // may be empty (`from . import x`)
  int level = 0;
  std::vector<ImportAlias> names;
  bool star = false;
};
struct ExceptHandler {
  ExprPtr type;  // may be null (bare except)
  std::string name;
  Block body;
  Span span;
};
struct TryStmt : Stmt {
  TryStmt() : Stmt(StmtKind::kTry) {}
  Block body;
  std::vector<ExceptHandler> handlers;
  Block orelse, finalbody;
};
struct WithItem { ExprPtr context; ExprPtr target; };  // target may be null
struct WithStmt : Stmt {
  WithStmt() : Stmt(StmtKind::kWith) {}
  std::vector<WithItem> items;
  Block body;
};
struct RaiseStmt : Stmt { RaiseStmt() : Stmt(StmtKind::kRaise) {} ExprPtr exc; ExprPtr cause; };
struct AssertStmt : Stmt { AssertStmt() : Stmt(StmtKind::kAssert) {} ExprPtr test; ExprPtr msg; };
struct NamesStmt : Stmt {  // global / nonlocal
  explicit NamesStmt(StmtKind k) : Stmt(k) {}
  std::vector<std::string> names;
};
struct DeleteStmt : Stmt { DeleteStmt() : Stmt(StmtKind::kDelete) {} std::vector<ExprPtr> targets; };
struct UnsupportedStmt : Stmt {
  UnsupportedStmt() : Stmt(StmtKind::kUnsupported) {}
  std::string what;  // "match statement", "print statement", ...
};

// Module: one lowered file.
struct Module {
  const SourceFile* file = nullptr;
  Block body;
  // Constructs that could not be lowered faithfully (too deep nesting, ...).
  std::vector<std::pair<Span, std::string>> lowering_notes;
};

}  // namespace shapelint::ir

#endif  // SHAPELINT_IR_IR_H_
