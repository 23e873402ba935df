// lower.cc: tree-sitter-python CST -> IR.
//
// The walk never trusts the tree's shape: fields can be absent (error
// recovery, MISSING nodes), ERROR nodes can sit anywhere, and nesting can be
// arbitrarily deep. Every place that needs a child tolerates a null one and
// produces an Unsupported node instead of dereferencing it.
//
// Speed: visiting CST nodes dominates (tree-sitter 0.20 needs 50-100 ns per
// cursor step), so each node's children are listed exactly once, with
// one reused TSTreeCursor, and fields are picked from that list rather than
// with ts_node_child_by_field_id (which walks the children again per call;
// ts_node_child(i) is linear in i, ts_node_next_sibling climbs to the
// parent). Node kinds are resolved once per grammar symbol into `Sym`, so the
// walk switches on small integers instead of comparing type strings.
#include "analyzer/ir/lower.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/strings/str_cat.h"

namespace shapelint::ir {
namespace {

// Named node types the walk distinguishes; everything else is kOther.
#define SL_NAMED_SYMS(X)                                                    \
  X(kModule, "module") X(kBlock, "block") X(kComment, "comment")             \
  X(kLineContinuation, "line_continuation")                                 \
  X(kExpressionStatement, "expression_statement")                           \
  X(kAssignment, "assignment") X(kAugmentedAssignment, "augmented_assignment") \
  X(kReturnStatement, "return_statement") X(kDeleteStatement, "delete_statement") \
  X(kRaiseStatement, "raise_statement") X(kPassStatement, "pass_statement")  \
  X(kBreakStatement, "break_statement")                                     \
  X(kContinueStatement, "continue_statement")                               \
  X(kGlobalStatement, "global_statement")                                   \
  X(kNonlocalStatement, "nonlocal_statement")                               \
  X(kAssertStatement, "assert_statement")                                   \
  X(kImportStatement, "import_statement")                                   \
  X(kImportFromStatement, "import_from_statement")                          \
  X(kFutureImportStatement, "future_import_statement")                      \
  X(kPrintStatement, "print_statement") X(kExecStatement, "exec_statement")  \
  X(kTypeAliasStatement, "type_alias_statement")                            \
  X(kMatchStatement, "match_statement") X(kIfStatement, "if_statement")      \
  X(kElifClause, "elif_clause") X(kElseClause, "else_clause")                \
  X(kForStatement, "for_statement") X(kWhileStatement, "while_statement")    \
  X(kTryStatement, "try_statement") X(kExceptClause, "except_clause")        \
  X(kExceptGroupClause, "except_group_clause")                              \
  X(kFinallyClause, "finally_clause") X(kWithStatement, "with_statement")    \
  X(kWithClause, "with_clause") X(kWithItem, "with_item")                    \
  X(kFunctionDefinition, "function_definition")                             \
  X(kClassDefinition, "class_definition")                                   \
  X(kDecoratedDefinition, "decorated_definition")                           \
  X(kDecorator, "decorator") X(kParameters, "parameters")                    \
  X(kLambdaParameters, "lambda_parameters")                                 \
  X(kTypedParameter, "typed_parameter")                                     \
  X(kDefaultParameter, "default_parameter")                                 \
  X(kTypedDefaultParameter, "typed_default_parameter")                      \
  X(kListSplatPattern, "list_splat_pattern")                                \
  X(kDictionarySplatPattern, "dictionary_splat_pattern")                    \
  X(kKeywordSeparator, "keyword_separator")                                 \
  X(kPositionalSeparator, "positional_separator")                           \
  X(kTuplePattern, "tuple_pattern") X(kListPattern, "list_pattern")          \
  X(kPatternList, "pattern_list") X(kDottedName, "dotted_name")              \
  X(kAliasedImport, "aliased_import") X(kRelativeImport, "relative_import")  \
  X(kImportPrefix, "import_prefix") X(kWildcardImport, "wildcard_import")    \
  X(kIdentifier, "identifier") X(kAttribute, "attribute") X(kCall, "call")   \
  X(kArgumentList, "argument_list") X(kKeywordArgument, "keyword_argument")  \
  X(kListSplat, "list_splat") X(kDictionarySplat, "dictionary_splat")        \
  X(kParenthesizedExpression, "parenthesized_expression")                   \
  X(kInteger, "integer") X(kFloat, "float") X(kString, "string")             \
  X(kConcatenatedString, "concatenated_string")                             \
  X(kStringStart, "string_start") X(kStringEnd, "string_end")                \
  X(kInterpolation, "interpolation") X(kTrue, "true") X(kFalse, "false")     \
  X(kNone, "none") X(kEllipsis, "ellipsis")                                  \
  X(kBinaryOperator, "binary_operator") X(kUnaryOperator, "unary_operator")  \
  X(kNotOperator, "not_operator") X(kBooleanOperator, "boolean_operator")    \
  X(kComparisonOperator, "comparison_operator")                             \
  X(kConditionalExpression, "conditional_expression")                       \
  X(kTuple, "tuple") X(kList, "list") X(kSet, "set")                         \
  X(kDictionary, "dictionary") X(kPair, "pair") X(kSubscript, "subscript")   \
  X(kSlice, "slice") X(kLambda, "lambda")                                    \
  X(kListComprehension, "list_comprehension")                               \
  X(kSetComprehension, "set_comprehension")                                 \
  X(kDictionaryComprehension, "dictionary_comprehension")                   \
  X(kGeneratorExpression, "generator_expression")                           \
  X(kForInClause, "for_in_clause") X(kIfClause, "if_clause")                 \
  X(kNamedExpression, "named_expression") X(kAwait, "await")                 \
  X(kYield, "yield") X(kExpressionList, "expression_list")                   \
  X(kAsPattern, "as_pattern") X(kAsPatternTarget, "as_pattern_target")       \
  X(kType, "type") X(kGenericType, "generic_type")                           \
  X(kUnionType, "union_type") X(kMemberType, "member_type")                  \
  X(kTypeParameter, "type_parameter")

// Anonymous tokens the walk needs to see (all others are punctuation it can
// infer from the named children).
#define SL_TOKEN_SYMS(X) \
  X(kTokAsync, "async") X(kTokComma, ",") X(kTokColon, ":") X(kTokEq, "=") \
  X(kTokLBrace, "{")

enum class Sym : uint8_t {
  kOther,
  kError,
#define SL_ENUM(e, s) e,
  SL_NAMED_SYMS(SL_ENUM) SL_TOKEN_SYMS(SL_ENUM)
#undef SL_ENUM
};

// Grammar: per-symbol kinds and the field ids the walk uses, computed once
// per language.
struct Grammar {
  const TSLanguage* language = nullptr;
  std::vector<Sym> syms;
  std::vector<bool> named;
  TSFieldId name = 0, value = 0, left = 0, right = 0, type = 0, body = 0,
            condition = 0, consequence = 0, alternative = 0, parameters = 0,
            return_type = 0, superclasses = 0, definition = 0, object = 0,
            attribute = 0, function = 0, arguments = 0, subscript = 0, key = 0,
            operator_ = 0, argument = 0, operators = 0, expression = 0,
            type_conversion = 0, format_specifier = 0, module_name = 0,
            alias = 0, cause = 0;
};

Grammar BuildGrammar(const TSLanguage* lang) {
  Grammar g;
  g.language = lang;
  uint32_t count = ts_language_symbol_count(lang);
  g.syms.assign(count, Sym::kOther);
  g.named.assign(count, false);
  for (uint32_t i = 0; i < count; ++i) {
    TSSymbol s = static_cast<TSSymbol>(i);
    TSSymbolType type = ts_language_symbol_type(lang, s);
    const char* name = ts_language_symbol_name(lang, s);
    g.named[i] = type == TSSymbolTypeRegular;
    if (name == nullptr) continue;
    if (type == TSSymbolTypeRegular) {
#define SL_MATCH(e, str) if (std::strcmp(name, str) == 0) { g.syms[i] = Sym::e; continue; }
      SL_NAMED_SYMS(SL_MATCH)
      if (std::strcmp(name, "ERROR") == 0) g.syms[i] = Sym::kError;
    } else if (type == TSSymbolTypeAnonymous) {
      SL_TOKEN_SYMS(SL_MATCH)
#undef SL_MATCH
    }
  }
  auto field = [lang](const char* name) {
    return ts_language_field_id_for_name(lang, name, static_cast<uint32_t>(std::strlen(name)));
  };
  g.name = field("name");
  g.value = field("value");
  g.left = field("left");
  g.right = field("right");
  g.type = field("type");
  g.body = field("body");
  g.condition = field("condition");
  g.consequence = field("consequence");
  g.alternative = field("alternative");
  g.parameters = field("parameters");
  g.return_type = field("return_type");
  g.superclasses = field("superclasses");
  g.definition = field("definition");
  g.object = field("object");
  g.attribute = field("attribute");
  g.function = field("function");
  g.arguments = field("arguments");
  g.subscript = field("subscript");
  g.key = field("key");
  g.operator_ = field("operator");
  g.argument = field("argument");
  g.operators = field("operators");
  g.expression = field("expression");
  g.type_conversion = field("type_conversion");
  g.format_specifier = field("format_specifier");
  g.module_name = field("module_name");
  g.alias = field("alias");
  g.cause = field("cause");
  return g;
}

// GrammarFor: the tables for `lang`. Every tree comes from the one
// tree-sitter-python, so one cached copy serves the run; another language
// (never expected) gets a fresh table in `local`.
const Grammar& GrammarFor(const TSLanguage* lang, Grammar* local) {
  static const Grammar* cached = new Grammar(BuildGrammar(lang));
  if (cached->language == lang) return *cached;
  *local = BuildGrammar(lang);
  return *local;
}

// Child: one visible child of a node, with what the cursor knew about it.
struct Child {
  TSNode node;
  TSFieldId field;
  Sym sym;
  bool named;
};

std::optional<BinOpKind> BinOpFromToken(std::string_view t) {
  if (!t.empty() && t.back() == '=') t.remove_suffix(1);  // augmented forms
  if (t == "+") return BinOpKind::kAdd;
  if (t == "-") return BinOpKind::kSub;
  if (t == "*") return BinOpKind::kMul;
  if (t == "/") return BinOpKind::kDiv;
  if (t == "//") return BinOpKind::kFloorDiv;
  if (t == "%") return BinOpKind::kMod;
  if (t == "**") return BinOpKind::kPow;
  if (t == "@") return BinOpKind::kMatMul;
  if (t == "<<") return BinOpKind::kLShift;
  if (t == ">>") return BinOpKind::kRShift;
  if (t == "&") return BinOpKind::kBitAnd;
  if (t == "|") return BinOpKind::kBitOr;
  if (t == "^") return BinOpKind::kBitXor;
  return std::nullopt;
}

std::optional<CmpOpKind> CmpOpFromToken(std::string_view t) {
  if (t == "==") return CmpOpKind::kEq;
  if (t == "!=" || t == "<>") return CmpOpKind::kNotEq;
  if (t == "<") return CmpOpKind::kLt;
  if (t == "<=") return CmpOpKind::kLtE;
  if (t == ">") return CmpOpKind::kGt;
  if (t == ">=") return CmpOpKind::kGtE;
  if (t == "is") return CmpOpKind::kIs;
  if (t == "is not") return CmpOpKind::kIsNot;
  if (t == "in") return CmpOpKind::kIn;
  if (t == "not in") return CmpOpKind::kNotIn;
  return std::nullopt;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// AppendUtf8: lone surrogates and out-of-range code points become U+FFFD so
// that string values stay valid UTF-8 for the JSON and SARIF writers.
void AppendUtf8(uint32_t cp, std::string* out) {
  if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) cp = 0xfffd;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

struct StringFlags {
  bool raw = false;
  bool bytes = false;
  bool fstring = false;
};

// DecodeStringBody: the escape rules of a Python literal body (between the
// quotes). Python normalizes CRLF in source to LF, so we do too.
void DecodeStringBody(std::string_view s, StringFlags flags, std::string* out) {
  size_t i = 0;
  const size_t n = s.size();
  out->reserve(out->size() + n);
  while (i < n) {
    // Docstrings make most literal text plain: copy runs without escapes,
    // CRs or braces in one append.
    size_t run = i;
    while (run < n && s[run] != '\\' && s[run] != '\r' && s[run] != '{' && s[run] != '}') ++run;
    if (run > i) {
      out->append(s.data() + i, run - i);
      i = run;
      continue;
    }
    char c = s[i];
    if (c == '\r' && i + 1 < n && s[i + 1] == '\n') { ++i; continue; }
    if (flags.fstring && (c == '{' || c == '}') && i + 1 < n && s[i + 1] == c) {
      out->push_back(c);
      i += 2;
      continue;
    }
    if (c != '\\' || flags.raw || i + 1 >= n) {
      out->push_back(c);
      ++i;
      continue;
    }
    char e = s[i + 1];
    i += 2;
    switch (e) {
      case '\n': break;  // line continuation inside the literal
      case '\r': if (i < n && s[i] == '\n') ++i; break;
      case '\\': case '\'': case '"': out->push_back(e); break;
      case 'a': out->push_back('\a'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'v': out->push_back('\v'); break;
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        uint32_t v = static_cast<uint32_t>(e - '0');
        for (int k = 0; k < 2 && i < n && s[i] >= '0' && s[i] <= '7'; ++k, ++i) {
          v = v * 8 + static_cast<uint32_t>(s[i] - '0');
        }
        if (flags.bytes) out->push_back(static_cast<char>(v & 0xff));
        else AppendUtf8(v, out);
        break;
      }
      case 'x': case 'u': case 'U': {
        int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        // \u and \U are not escapes in bytes literals.
        bool ok = (e == 'x' || !flags.bytes) && i + digits <= n;
        uint32_t v = 0;
        for (int k = 0; ok && k < digits; ++k) {
          int h = HexValue(s[i + k]);
          if (h < 0) ok = false;
          else v = v * 16 + static_cast<uint32_t>(h);
        }
        if (!ok) {  // keep malformed escapes as written
          out->push_back('\\');
          out->push_back(e);
          break;
        }
        i += digits;
        if (flags.bytes) out->push_back(static_cast<char>(v & 0xff));
        else AppendUtf8(v, out);
        break;
      }
      default:
        // Unknown escapes (and \N{NAME}, which needs the Unicode name table)
        // keep their backslash, as Python does for unknown ones.
        out->push_back('\\');
        out->push_back(e);
        break;
    }
  }
}

// IsOperand: a named child that carries meaning (not an ERROR node).
bool IsOperand(const Child& c) { return c.named && c.sym != Sym::kError; }

ExprPtr MakeUnsupported(Span span, std::string what) {
  auto u = std::make_unique<UnsupportedExpr>();
  u->span = span;
  u->what = std::move(what);
  return u;
}

StmtPtr MakeUnsupportedStmt(Span span, std::string what) {
  auto u = std::make_unique<UnsupportedStmt>();
  u->span = span;
  u->what = std::move(what);
  return u;
}

StmtPtr MakeSimple(StmtKind kind, Span span) {
  auto s = std::make_unique<SimpleStmt>(kind);
  s->span = span;
  return s;
}

// NodeWhat: an Unsupported node's `what` naming a CST node type. Kept out
// of line: the recursive frames that call it should not carry StrCat's
// temporaries.
ABSL_ATTRIBUTE_NOINLINE std::string NodeWhat(const char* before, TSNode n, const char* after) {
  return absl::StrCat(before, ts_node_type(n), after);
}

StringFlags FlagsOf(std::string_view string_start) {
  StringFlags f;
  for (char c : string_start) {
    switch (c) {
      case 'r': case 'R': f.raw = true; break;
      case 'b': case 'B': f.bytes = true; break;
      case 'f': case 'F': f.fstring = true; break;
      default: break;  // u, quotes
    }
  }
  return f;
}

class Lowerer {
 public:
  explicit Lowerer(const syntax::ParsedFile& parsed)
      : file_(parsed.file()),
        text_(parsed.file().text),
        g_(GrammarFor(ts_tree_language(parsed.Root().tree), &local_grammar_)),
        cursor_(ts_tree_cursor_new(parsed.Root())) {}
  ~Lowerer() { ts_tree_cursor_delete(&cursor_); }
  Lowerer(const Lowerer&) = delete;
  Lowerer& operator=(const Lowerer&) = delete;

  std::unique_ptr<Module> Run(TSNode root) {
    module_ = std::make_unique<Module>();
    module_->file = &file_;
    LowerBlock(root, &module_->body);
    return std::move(module_);
  }

 private:
  // DepthGuard: counts nesting of LowerExpr/LowerStmt frames so that
  // pathological inputs cannot exhaust the C++ stack here, in Dump, or in the
  // interpreter that later recurses over the IR.
  class DepthGuard {
   public:
    explicit DepthGuard(int* depth) : depth_(depth) { ++*depth_; }
    ~DepthGuard() { --*depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    int* depth_;
  };

  // ---- CST access -----------------------------------------------------------

  // SymOf / NamedOf: the table entries for a symbol. ts_builtin_sym_error
  // and ts_builtin_sym_error_repeat live at the top of the symbol range,
  // outside the language's table.
  Sym SymOf(TSSymbol s) const {
    if (s < g_.syms.size()) return g_.syms[s];
    return s >= 0xfffe ? Sym::kError : Sym::kOther;
  }
  bool NamedOf(TSSymbol s) const { return s < g_.named.size() ? g_.named[s] : s >= 0xfffe; }

  Sym SymOf(TSNode n) const {
    if (ts_node_is_null(n)) return Sym::kOther;
    return SymOf(ts_node_symbol(n));
  }

  // PushChildren: appends the visible children of `n`, in order, to
  // child_stack_, without comments and line continuations (extras that can
  // sit between any two tokens).
  void PushChildren(TSNode n) {
    if (ts_node_is_null(n)) return;
    ts_tree_cursor_reset(&cursor_, n);
    if (!ts_tree_cursor_goto_first_child(&cursor_)) return;
    do {
      TSNode c = ts_tree_cursor_current_node(&cursor_);
      TSSymbol symbol = ts_node_symbol(c);
      Sym s = SymOf(symbol);
      if (s == Sym::kComment || s == Sym::kLineContinuation) continue;
      child_stack_.push_back({c, ts_tree_cursor_current_field_id(&cursor_), s, NamedOf(symbol)});
    } while (ts_tree_cursor_goto_next_sibling(&cursor_));
  }

  // ChildList: the children of one node. Lists live on one stack shared by
  // the whole walk, so that the frames that recurse with the source's
  // nesting stay small and listing children allocates nothing once the
  // stack has grown. Lists are strictly nested (locals, destroyed in reverse
  // order), and entries are handed out by value: recursion while a list is
  // in use can grow, and so move, the stack.
  class ChildList {
   public:
    ChildList(Lowerer* lowerer, TSNode n)
        : stack_(lowerer->child_stack_), begin_(stack_.size()) {
      lowerer->PushChildren(n);
      end_ = stack_.size();
    }
    ~ChildList() { stack_.resize(begin_); }
    ChildList(const ChildList&) = delete;
    ChildList& operator=(const ChildList&) = delete;

    size_t size() const { return end_ - begin_; }

    class Iterator {
     public:
      Iterator(const std::vector<Child>* stack, size_t i) : stack_(stack), i_(i) {}
      Child operator*() const { return (*stack_)[i_]; }
      Iterator& operator++() {
        ++i_;
        return *this;
      }
      bool operator!=(const Iterator& o) const { return i_ != o.i_; }

     private:
      const std::vector<Child>* stack_;
      size_t i_;
    };
    Iterator begin() const { return Iterator(&stack_, begin_); }
    Iterator end() const { return Iterator(&stack_, end_); }

    // Get: the first child in field `f`, or a null node. Field id 0 means
    // "no field" to tree-sitter, so a field this grammar lacks never matches.
    TSNode Get(TSFieldId f) const {
      if (f == 0) return TSNode{};
      for (size_t i = begin_; i < end_; ++i) {
        if (stack_[i].field == f) return stack_[i].node;
      }
      return TSNode{};
    }
    TSNode FirstOperand() const {
      for (size_t i = begin_; i < end_; ++i) {
        if (IsOperand(stack_[i])) return stack_[i].node;
      }
      return TSNode{};
    }
    TSNode OfKind(Sym sym) const {
      for (size_t i = begin_; i < end_; ++i) {
        if (stack_[i].sym == sym) return stack_[i].node;
      }
      return TSNode{};
    }

   private:
    std::vector<Child>& stack_;
    size_t begin_;
    size_t end_;
  };

  // FirstOperandOf: FirstOperand without building a child list (wrappers:
  // parentheses, splats, decorators, annotations).
  TSNode FirstOperandOf(TSNode n) {
    if (ts_node_is_null(n)) return TSNode{};
    ts_tree_cursor_reset(&cursor_, n);
    if (!ts_tree_cursor_goto_first_child(&cursor_)) return TSNode{};
    do {
      TSNode c = ts_tree_cursor_current_node(&cursor_);
      TSSymbol symbol = ts_node_symbol(c);
      if (!NamedOf(symbol)) continue;
      Sym s = SymOf(symbol);
      if (s != Sym::kComment && s != Sym::kLineContinuation && s != Sym::kError) return c;
    } while (ts_tree_cursor_goto_next_sibling(&cursor_));
    return TSNode{};
  }

  std::string_view Text(TSNode n) const {
    if (ts_node_is_null(n)) return {};
    uint32_t b = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (b > e || e > text_.size()) return {};
    return text_.substr(b, e - b);
  }

  Span SpanOfNode(TSNode n) const {
    if (ts_node_is_null(n)) return Span{};
    return syntax::SpanOf(file_, n);
  }

  // SpanBetween: from the start of `a` to the end of `b` (bare tuples have no
  // node of their own).
  Span SpanBetween(TSNode a, TSNode b) const {
    Span s = SpanOfNode(a);
    Span e = SpanOfNode(b);
    s.end_line = e.end_line;
    s.end_col = e.end_col;
    return s;
  }

  // DepthNote: the `what` of a node cut for depth; the module gets one note
  // (the first cut), not one per cut subtree.
  ABSL_ATTRIBUTE_NOINLINE std::string DepthNote(Span span) {
    std::string what = absl::StrCat("nesting deeper than ", kMaxDepth, " levels");
    if (!depth_noted_) {
      depth_noted_ = true;
      module_->lowering_notes.emplace_back(span, what);
    }
    return what;
  }

  // ---- statements -----------------------------------------------------------

  // LowerBlock: statements of a module or block (null: none). ERROR children
  // are dropped; the syntax layer reports them.
  ABSL_ATTRIBUTE_NOINLINE void LowerBlock(TSNode block, Block* out) {
    ChildList cs(this, block);
    for (const Child& c : cs) {
      if (IsOperand(c)) out->push_back(LowerStmt(c.node));
    }
  }

  StmtPtr LowerStmt(TSNode n) {
    DepthGuard guard(&depth_);
    Span span = SpanOfNode(n);
    if (depth_ > kMaxDepth) return MakeUnsupportedStmt(span, DepthNote(span));
    switch (SymOf(n)) {
      case Sym::kExpressionStatement: return LowerExpressionStatement(n, span);
      case Sym::kReturnStatement: {
        auto r = std::make_unique<ReturnStmt>();
        r->span = span;
        TSNode v = FirstOperandOf(n);
        if (!ts_node_is_null(v)) r->value = LowerExpr(v, n);
        return r;
      }
      case Sym::kDeleteStatement: {
        auto d = std::make_unique<DeleteStmt>();
        d->span = span;
        TSNode v = FirstOperandOf(n);
        if (SymOf(v) == Sym::kExpressionList) {
          LowerOperands(v, &d->targets);
        } else {
          d->targets.push_back(LowerExpr(v, n));
        }
        return d;
      }
      case Sym::kRaiseStatement: return LowerRaise(n, span);
      case Sym::kPassStatement: return MakeSimple(StmtKind::kPass, span);
      case Sym::kBreakStatement: return MakeSimple(StmtKind::kBreak, span);
      case Sym::kContinueStatement: return MakeSimple(StmtKind::kContinue, span);
      case Sym::kGlobalStatement:
      case Sym::kNonlocalStatement: return LowerNames(n, span);
      case Sym::kAssertStatement: return LowerAssert(n, span);
      case Sym::kImportStatement: return LowerImport(n, span);
      case Sym::kImportFromStatement:
      case Sym::kFutureImportStatement: return LowerImportFrom(n, span);
      case Sym::kIfStatement: return LowerIf(n, span);
      case Sym::kForStatement:
      case Sym::kWhileStatement: return LowerLoop(n, span);
      case Sym::kTryStatement: return LowerTry(n, span);
      case Sym::kWithStatement: return LowerWith(n, span);
      case Sym::kFunctionDefinition: return LowerFunction(n, span, {});
      case Sym::kClassDefinition: return LowerClass(n, span, {});
      case Sym::kDecoratedDefinition: return LowerDecorated(n, span);
      case Sym::kPrintStatement: return MakeUnsupportedStmt(span, "print statement");
      case Sym::kExecStatement: return MakeUnsupportedStmt(span, "exec statement");
      case Sym::kTypeAliasStatement: return MakeUnsupportedStmt(span, "type alias statement");
      case Sym::kMatchStatement: return MakeUnsupportedStmt(span, "match statement");
      default:
        return MakeUnsupportedStmt(span, NodeWhat("statement '", n, "'"));
    }
  }

  ABSL_ATTRIBUTE_NOINLINE StmtPtr LowerRaise(TSNode n, Span span) {
    auto r = std::make_unique<RaiseStmt>();
    r->span = span;
    ChildList cs(this, n);
    for (const Child& c : cs) {
      if (!IsOperand(c)) continue;
      if (c.field == g_.cause) r->cause = LowerExpr(c.node, n);
      else if (r->exc == nullptr) r->exc = LowerExpr(c.node, n);
    }
    return r;
  }

  ABSL_ATTRIBUTE_NOINLINE StmtPtr LowerNames(TSNode n, Span span) {
    auto g = std::make_unique<NamesStmt>(SymOf(n) == Sym::kGlobalStatement ? StmtKind::kGlobal
                                                                            : StmtKind::kNonlocal);
    g->span = span;
    ChildList cs(this, n);
    for (const Child& c : cs) {
      if (c.sym == Sym::kIdentifier) g->names.emplace_back(Text(c.node));
    }
    return g;
  }

  ABSL_ATTRIBUTE_NOINLINE StmtPtr LowerAssert(TSNode n, Span span) {
    auto a = std::make_unique<AssertStmt>();
    a->span = span;
    ChildList cs(this, n);
    for (const Child& c : cs) {
      if (!IsOperand(c)) continue;
      if (a->test == nullptr) a->test = LowerExpr(c.node, n);
      else if (a->msg == nullptr) a->msg = LowerExpr(c.node, n);
    }
    if (a->test == nullptr) a->test = MakeUnsupported(span, "missing assert condition");
    return a;
  }

  ABSL_ATTRIBUTE_NOINLINE StmtPtr LowerExpressionStatement(TSNode n, Span span) {
    ChildList cs(this, n);
    size_t count = 0;
    TSNode first{}, last{};
    for (const Child& c : cs) {
      if (!IsOperand(c)) continue;
      if (count++ == 0) first = c.node;
      last = c.node;
    }
    if (count == 1) {
      switch (SymOf(first)) {
        case Sym::kAssignment: return LowerAssignment(first, span);
        case Sym::kAugmentedAssignment: return LowerAugAssignment(first, span);
        default: break;
      }
    }
    auto e = std::make_unique<ExprStmt>();
    e->span = span;
    if (count == 1) {
      e->value = LowerExpr(first, n);
    } else if (count == 0) {
      e->value = MakeUnsupported(span, "missing expression");
    } else {
      // `a, b` as a statement: a tuple with no node of its own.
      auto t = std::make_unique<SequenceExpr>(ExprKind::kTuple);
      t->span = SpanBetween(first, last);
      for (const Child& c : cs) {
        if (IsOperand(c)) t->elts.push_back(LowerExpr(c.node, n));
      }
      e->value = std::move(t);
    }
    return e;
  }

  // LowerAssignment: `a = b = value` nests to the right in the CST; walk it
  // iteratively so that long chains cost no stack.
  ABSL_ATTRIBUTE_NOINLINE StmtPtr LowerAssignment(TSNode a, Span span) {
    {
      ChildList cs(this, a);
      TSNode type = cs.Get(g_.type);
      if (!ts_node_is_null(type)) {
        auto s = std::make_unique<AnnAssignStmt>();
        s->span = span;
        s->target = LowerExpr(cs.Get(g_.left), a);
        s->annotation = LowerExpr(type, a);
        TSNode right = cs.Get(g_.right);
        if (!ts_node_is_null(right)) s->value = LowerRhs(right, a);
        return s;
      }
    }
    auto s = std::make_unique<AssignStmt>();
    s->span = span;
    TSNode cur = a;
    while (s->value == nullptr) {
      ChildList cs(this, cur);
      s->targets.push_back(LowerExpr(cs.Get(g_.left), cur));
      TSNode right = cs.Get(g_.right);
      if (SymOf(right) == Sym::kAssignment) {
        ChildList next(this, right);
        if (ts_node_is_null(next.Get(g_.type)) && !ts_node_is_null(next.Get(g_.right))) {
          cur = right;
          continue;
        }
      }
      s->value = LowerRhs(right, cur);
    }
    return s;
  }

  // LowerRhs: an assignment's right side; nested (augmented) assignments only
  // get here in invalid code.
  ExprPtr LowerRhs(TSNode right, TSNode parent) {
    Sym s = SymOf(right);
    if (s == Sym::kAssignment || s == Sym::kAugmentedAssignment) {
      return MakeUnsupported(SpanOfNode(right), "assignment as a value");
    }
    return LowerExpr(right, parent);
  }

  ABSL_ATTRIBUTE_NOINLINE StmtPtr LowerAugAssignment(TSNode a, Span span) {
    ChildList cs(this, a);
    TSNode op = cs.Get(g_.operator_);
    std::optional<BinOpKind> kind =
        ts_node_is_null(op) ? std::nullopt : BinOpFromToken(ts_node_type(op));
    if (!kind) return MakeUnsupportedStmt(span, "augmented assignment operator");
    auto s = std::make_unique<AugAssignStmt>();
    s->span = span;
    s->target = LowerExpr(cs.Get(g_.left), a);
    s->op = *kind;
    s->value = LowerRhs(cs.Get(g_.right), a);
    return s;
  }

  // DottedName: `a.b.c` from its identifiers, so that spaces or comments
  // inside the name (legal, if odd) do not leak into the module path.
  ABSL_ATTRIBUTE_NOINLINE std::string DottedName(TSNode n) {
    std::string_view whole = Text(n);
    if (whole.find_first_of(" \t\r\n\\#") == std::string_view::npos) return std::string(whole);
    std::string out;
    ChildList cs(this, n);
    for (const Child& c : cs) {
      if (c.sym != Sym::kIdentifier) continue;
      if (!out.empty()) out.push_back('.');
      out.append(Text(c.node));
    }
    return out;
  }

  // AddImportName: one `name` field of an import: dotted_name or
  // aliased_import.
  void AddImportName(const Child& c, std::vector<ImportAlias>* out) {
    ImportAlias alias;
    alias.span = SpanOfNode(c.node);
    if (c.sym == Sym::kAliasedImport) {
      ChildList cs(this, c.node);
      alias.name = DottedName(cs.Get(g_.name));
      alias.asname = std::string(Text(cs.Get(g_.alias)));
    } else if (c.sym == Sym::kDottedName) {
      alias.name = DottedName(c.node);
    } else {
      return;
    }
    out->push_back(std::move(alias));
  }

  ABSL_ATTRIBUTE_NOINLINE StmtPtr LowerImport(TSNode n, Span span) {
    auto s = std::make_unique<ImportStmt>();
    s->span = span;
    ChildList cs(this, n);
    for (const Child& c : cs) {
      if (c.field == g_.name) AddImportName(c, &s->names);
    }
    return s;
  }

  ABSL_ATTRIBUTE_NOINLINE StmtPtr LowerImportFrom(TSNode n, Span span) {
    auto s = std::make_unique<ImportFromStmt>();
    s->span = span;
    if (SymOf(n) == Sym::kFutureImportStatement) s->module = "__future__";
    ChildList cs(this, n);
    for (const Child& c : cs) {
      if (c.field == g_.module_name && c.sym == Sym::kDottedName) {
        s->module = DottedName(c.node);
      } else if (c.field == g_.module_name && c.sym == Sym::kRelativeImport) {
        ChildList rs(this, c.node);
        for (const Child& r : rs) {
          if (r.sym == Sym::kImportPrefix) {
            // Count characters, not '.' tokens: how the dots were tokenized
            // does not matter.
            for (char ch : Text(r.node)) s->level += ch == '.';
          } else if (r.sym == Sym::kDottedName) {
            s->module = DottedName(r.node);
          }
        }
      } else if (c.field == g_.name) {
        AddImportName(c, &s->names);
      } else if (c.sym == Sym::kWildcardImport) {
        s->star = true;
      }
    }
    return s;
  }

  ABSL_ATTRIBUTE_NOINLINE StmtPtr LowerIf(TSNode n, Span span) {
    ChildList cs(this, n);
    auto top = std::make_unique<IfStmt>();
    top->span = span;
    top->test = LowerExpr(cs.Get(g_.condition), n);
    LowerBlock(cs.Get(g_.consequence), &top->body);
    IfStmt* cur = top.get();
    // Each elif nests one level deeper in the IR, so it counts as depth.
    int extra_depth = 0;
    for (const Child& c : cs) {
      if (c.field != g_.alternative) continue;
      ChildList clause(this, c.node);
      if (c.sym == Sym::kElifClause) {
        Span elif_span = SpanOfNode(c.node);
        if (depth_ + ++extra_depth > kMaxDepth) {
          cur->orelse.push_back(MakeUnsupportedStmt(elif_span, DepthNote(elif_span)));
          break;
        }
        auto elif = std::make_unique<IfStmt>();
        elif->span = elif_span;
        elif->test = LowerExpr(clause.Get(g_.condition), c.node);
        LowerBlock(clause.Get(g_.consequence), &elif->body);
        IfStmt* next = elif.get();
        cur->orelse.push_back(std::move(elif));
        cur = next;
      } else if (c.sym == Sym::kElseClause) {
        LowerBlock(clause.Get(g_.body), &cur->orelse);
      }
    }
    return top;
  }

  // LowerLoop: for and while (`async for` lowers like `for`: the IR has no
  // async iteration and the body matters more than the protocol).
  ABSL_ATTRIBUTE_NOINLINE StmtPtr LowerLoop(TSNode n, Span span) {
    ChildList cs(this, n);
    TSNode orelse = cs.Get(g_.alternative);
    TSNode orelse_body{};
    if (!ts_node_is_null(orelse)) {
      ChildList es(this, orelse);
      orelse_body = es.Get(g_.body);
    }
    if (SymOf(n) == Sym::kForStatement) {
      auto f = std::make_unique<ForStmt>();
      f->span = span;
      f->target = LowerExpr(cs.Get(g_.left), n);
      f->iter = LowerExpr(cs.Get(g_.right), n);
      LowerBlock(cs.Get(g_.body), &f->body);
      LowerBlock(orelse_body, &f->orelse);
      return f;
    }
    auto w = std::make_unique<WhileStmt>();
    w->span = span;
    w->test = LowerExpr(cs.Get(g_.condition), n);
    LowerBlock(cs.Get(g_.body), &w->body);
    LowerBlock(orelse_body, &w->orelse);
    return w;
  }

  ABSL_ATTRIBUTE_NOINLINE StmtPtr LowerTry(TSNode n, Span span) {
    auto t = std::make_unique<TryStmt>();
    t->span = span;
    ChildList cs(this, n);
    LowerBlock(cs.Get(g_.body), &t->body);
    for (const Child& c : cs) {
      switch (c.sym) {
        case Sym::kExceptClause:
        case Sym::kExceptGroupClause:
          // `except* E` lowers like `except E`: the handler binds the same
          // way and group semantics do not matter for shapes.
          t->handlers.push_back(LowerHandler(c.node));
          break;
        case Sym::kElseClause: {
          ChildList inner(this, c.node);
          LowerBlock(inner.Get(g_.body), &t->orelse);
          break;
        }
        case Sym::kFinallyClause: {
          ChildList inner(this, c.node);
          LowerBlock(inner.OfKind(Sym::kBlock), &t->finalbody);
          break;
        }
        default: break;
      }
    }
    return t;
  }

  ExceptHandler LowerHandler(TSNode clause) {
    ExceptHandler h;
    h.span = SpanOfNode(clause);
    ChildList cs(this, clause);
    for (const Child& c : cs) {
      if (!IsOperand(c) || c.sym == Sym::kBlock) continue;
      if (c.field == g_.alias || h.type != nullptr) {
        // `except E, e` (Python 2) or a second operand.
        if (c.sym == Sym::kIdentifier) h.name = std::string(Text(c.node));
      } else if (c.sym == Sym::kAsPattern) {
        LowerAsPattern(c.node, &h.type, nullptr, &h.name);
      } else {
        h.type = LowerExpr(c.node, clause);
      }
    }
    LowerBlock(cs.OfKind(Sym::kBlock), &h.body);
    return h;
  }

  // LowerAsPattern: `expr as target` (with items and except clauses). Sets
  // `target` (an expression) when asked for, `name` when the target is an
  // identifier.
  ABSL_ATTRIBUTE_NOINLINE void LowerAsPattern(TSNode n, ExprPtr* value, ExprPtr* target,
                                              std::string* name) {
    ChildList cs(this, n);
    for (const Child& c : cs) {
      if (!IsOperand(c)) continue;
      if (c.field == g_.alias) {
        TSNode t = c.sym == Sym::kAsPatternTarget ? FirstOperandOf(c.node) : c.node;
        if (target != nullptr) *target = LowerExpr(t, c.node);
        if (name != nullptr && SymOf(t) == Sym::kIdentifier) *name = std::string(Text(t));
      } else if (*value == nullptr) {
        *value = LowerExpr(c.node, n);
      }
    }
    if (*value == nullptr) *value = MakeUnsupported(SpanOfNode(n), "missing expression");
  }

  // LowerWith: `async with` lowers like `with` (see LowerLoop).
  ABSL_ATTRIBUTE_NOINLINE StmtPtr LowerWith(TSNode n, Span span) {
    auto w = std::make_unique<WithStmt>();
    w->span = span;
    ChildList cs(this, n);
    ChildList clause(this, cs.OfKind(Sym::kWithClause));
    for (const Child& i : clause) {
      if (i.sym != Sym::kWithItem) continue;
      WithItem item;
      TSNode v = FirstOperandOf(i.node);  // the `value` field, its only child
      if (SymOf(v) == Sym::kAsPattern) {
        LowerAsPattern(v, &item.context, &item.target, nullptr);
      } else {
        item.context = LowerExpr(v, i.node);
      }
      w->items.push_back(std::move(item));
    }
    LowerBlock(cs.Get(g_.body), &w->body);
    return w;
  }

  ABSL_ATTRIBUTE_NOINLINE StmtPtr LowerFunction(TSNode n, Span span,
                                                std::vector<ExprPtr> decorators) {
    auto f = std::make_unique<FunctionDef>();
    f->span = span;
    f->decorators = std::move(decorators);
    ChildList cs(this, n);
    f->name = std::string(Text(cs.Get(g_.name)));
    f->is_async = !ts_node_is_null(cs.OfKind(Sym::kTokAsync));
    LowerParams(cs.Get(g_.parameters), &f->params);
    TSNode ret = cs.Get(g_.return_type);
    if (!ts_node_is_null(ret)) f->returns = LowerExpr(ret, n);
    LowerBlock(cs.Get(g_.body), &f->body);
    return f;
  }

  ABSL_ATTRIBUTE_NOINLINE StmtPtr LowerClass(TSNode n, Span span,
                                             std::vector<ExprPtr> decorators) {
    auto k = std::make_unique<ClassDef>();
    k->span = span;
    k->decorators = std::move(decorators);
    ChildList cs(this, n);
    k->name = std::string(Text(cs.Get(g_.name)));
    TSNode supers = cs.Get(g_.superclasses);
    if (!ts_node_is_null(supers)) LowerArguments(supers, &k->bases);
    LowerBlock(cs.Get(g_.body), &k->body);
    return k;
  }

  // LowerDecorated: the definition keeps its own span (the `def`/`class`
  // line, as in Python's ast); decorators keep theirs.
  ABSL_ATTRIBUTE_NOINLINE StmtPtr LowerDecorated(TSNode n, Span span) {
    std::vector<ExprPtr> decorators;
    ChildList cs(this, n);
    for (const Child& c : cs) {
      if (c.sym == Sym::kDecorator) decorators.push_back(LowerExpr(FirstOperandOf(c.node), c.node));
    }
    TSNode def = cs.Get(g_.definition);
    switch (SymOf(def)) {
      case Sym::kFunctionDefinition:
        return LowerFunction(def, SpanOfNode(def), std::move(decorators));
      case Sym::kClassDefinition:
        return LowerClass(def, SpanOfNode(def), std::move(decorators));
      default:
        return MakeUnsupportedStmt(span, "decorated definition without a definition");
    }
  }

  // LowerParams: `parameters` or `lambda_parameters` (either may be null).
  ABSL_ATTRIBUTE_NOINLINE void LowerParams(TSNode n, Params* out) {
    ChildList cs(this, n);
    bool kw_only = false;  // after `*` or `*args`
    for (const Child& c : cs) {
      if (!IsOperand(c)) continue;
      Param p;
      p.span = SpanOfNode(c.node);
      p.kind = kw_only ? ParamKind::kKwOnly : ParamKind::kNormal;
      TSNode name_node = c.node;
      switch (c.sym) {
        case Sym::kIdentifier: break;
        case Sym::kKeywordSeparator: kw_only = true; continue;
        case Sym::kPositionalSeparator: continue;
        case Sym::kTypedParameter:
        case Sym::kDefaultParameter:
        case Sym::kTypedDefaultParameter: {
          ChildList pc(this, c.node);
          // typed_parameter has no `name` field: its name is the first
          // operand (an identifier or a splat pattern).
          name_node = c.sym == Sym::kTypedParameter ? pc.FirstOperand() : pc.Get(g_.name);
          TSNode type = pc.Get(g_.type);
          TSNode value = pc.Get(g_.value);
          if (!ts_node_is_null(type)) p.annotation = LowerExpr(type, c.node);
          if (c.sym != Sym::kTypedParameter) p.default_value = LowerExpr(value, c.node);
          break;
        }
        default: break;  // splat patterns are resolved below
      }
      Sym ns = SymOf(name_node);
      if (ns == Sym::kListSplatPattern || ns == Sym::kDictionarySplatPattern) {
        p.kind = ns == Sym::kListSplatPattern ? ParamKind::kVarArgs : ParamKind::kVarKwargs;
        if (ns == Sym::kListSplatPattern) kw_only = true;
        name_node = FirstOperandOf(name_node);
        ns = SymOf(name_node);
      }
      if (ns != Sym::kIdentifier) {
        // Python 2 tuple parameters `def f((a, b))`: no binding we model.
        module_->lowering_notes.emplace_back(p.span, "tuple parameter dropped");
        continue;
      }
      p.name = std::string(Text(name_node));
      out->params.push_back(std::move(p));
    }
  }

  // LowerArguments: an argument_list, for calls and class bases.
  ABSL_ATTRIBUTE_NOINLINE void LowerArguments(TSNode n, std::vector<Argument>* out) {
    ChildList cs(this, n);
    out->reserve(cs.size() / 2 + 1);
    for (const Child& c : cs) {
      if (!IsOperand(c)) continue;
      Argument a;
      switch (c.sym) {
        case Sym::kKeywordArgument: {
          ChildList kc(this, c.node);
          a.keyword = std::string(Text(kc.Get(g_.name)));
          a.value = LowerExpr(kc.Get(g_.value), c.node);
          break;
        }
        case Sym::kListSplat:
        case Sym::kDictionarySplat:
          a.star = c.sym == Sym::kListSplat ? 1 : 2;
          a.value = LowerExpr(FirstOperandOf(c.node), c.node);
          break;
        default:
          a.value = LowerExpr(c.node, n);
          break;
      }
      out->push_back(std::move(a));
    }
  }

  // ---- expressions ----------------------------------------------------------

  // LowerOperands: every operand child of `n`, in order (tuple, list and set
  // displays, pattern lists, expression lists).
  ABSL_ATTRIBUTE_NOINLINE void LowerOperands(TSNode n, std::vector<ExprPtr>* out) {
    ChildList cs(this, n);
    for (const Child& c : cs) {
      if (IsOperand(c)) out->push_back(LowerExpr(c.node, n));
    }
  }

  // LowerExpr: `parent` only provides a span when `n` is null (a field the
  // error-recovering parser left out). Cases that need a child list live in
  // their own non-inlined functions so that this frame, which recurses with
  // the nesting of the source, stays small.
  ExprPtr LowerExpr(TSNode n, TSNode parent) {
    if (ts_node_is_null(n)) return MakeUnsupported(SpanOfNode(parent), "missing expression");
    DepthGuard guard(&depth_);
    Span span = SpanOfNode(n);
    if (depth_ > kMaxDepth) return MakeUnsupported(span, DepthNote(span));
    if (ts_node_is_missing(n)) {
      return MakeUnsupported(span, NodeWhat("missing ", n, ""));
    }
    Sym sym = SymOf(n);
    switch (sym) {
      case Sym::kIdentifier: {
        auto e = std::make_unique<NameExpr>();
        e->span = span;
        e->id = std::string(Text(n));
        return e;
      }
      case Sym::kAttribute: return LowerAttribute(n, span);
      case Sym::kCall: return LowerCall(n, span);
      case Sym::kInteger: return LowerInt(n, span);
      case Sym::kFloat: return LowerFloat(n, span);
      case Sym::kString:
      case Sym::kConcatenatedString: return LowerString(n, span);
      case Sym::kTrue:
      case Sym::kFalse: {
        auto e = std::make_unique<BoolExpr>();
        e->span = span;
        e->value = sym == Sym::kTrue;
        return e;
      }
      case Sym::kNone: {
        auto e = std::make_unique<NoneExpr>();
        e->span = span;
        return e;
      }
      case Sym::kEllipsis: {
        auto e = std::make_unique<EllipsisExpr>();
        e->span = span;
        return e;
      }
      case Sym::kBinaryOperator:
      case Sym::kBooleanOperator:
      case Sym::kUnionType: return LowerBinary(n, sym, span);
      case Sym::kUnaryOperator:
      case Sym::kNotOperator: return LowerUnary(n, sym, span);
      case Sym::kComparisonOperator: return LowerCompare(n, span);
      case Sym::kConditionalExpression: return LowerIfExp(n, span);
      case Sym::kTuple:
      case Sym::kExpressionList:
      case Sym::kPatternList:
      case Sym::kTuplePattern:
      case Sym::kList:
      case Sym::kListPattern:
      case Sym::kSet: {
        ExprKind kind = sym == Sym::kSet                                    ? ExprKind::kSet
                        : (sym == Sym::kList || sym == Sym::kListPattern) ? ExprKind::kList
                                                                          : ExprKind::kTuple;
        auto e = std::make_unique<SequenceExpr>(kind);
        e->span = span;
        LowerOperands(n, &e->elts);
        return e;
      }
      case Sym::kDictionary: return LowerDict(n, span);
      case Sym::kSubscript: return LowerSubscript(n, span);
      case Sym::kGenericType: return LowerGenericType(n, span);
      case Sym::kMemberType: return LowerMemberType(n, span);
      case Sym::kSlice: return LowerSlice(n, span);
      case Sym::kLambda: return LowerLambda(n, span);
      case Sym::kListComprehension:
      case Sym::kSetComprehension:
      case Sym::kDictionaryComprehension:
      case Sym::kGeneratorExpression: return LowerComprehension(n, sym, span);
      // Python's ast drops parentheses; the inner node keeps its own span.
      // A `type` annotation wraps an expression (or a type-only form above).
      case Sym::kParenthesizedExpression:
      case Sym::kType: return LowerExpr(FirstOperandOf(n), n);
      case Sym::kListSplat:
      case Sym::kListSplatPattern:
      case Sym::kDictionarySplat:
      case Sym::kDictionarySplatPattern: {
        auto e = std::make_unique<StarredExpr>();
        e->span = span;
        e->double_star = sym == Sym::kDictionarySplat || sym == Sym::kDictionarySplatPattern;
        e->value = LowerExpr(FirstOperandOf(n), n);
        return e;
      }
      case Sym::kNamedExpression: return LowerNamed(n, span);
      case Sym::kAwait: return MakeUnsupported(span, "await expression");
      case Sym::kYield: return MakeUnsupported(span, "yield");
      case Sym::kAsPattern: return MakeUnsupported(span, "as pattern");
      case Sym::kError: return MakeUnsupported(span, "syntax error");
      default: return MakeUnsupported(span, NodeWhat("expression '", n, "'"));
    }
  }

  ABSL_ATTRIBUTE_NOINLINE ExprPtr LowerAttribute(TSNode n, Span span) {
    ChildList cs(this, n);
    auto e = std::make_unique<AttributeExpr>();
    e->span = span;
    e->value = LowerExpr(cs.Get(g_.object), n);
    e->attr = std::string(Text(cs.Get(g_.attribute)));
    return e;
  }

  ABSL_ATTRIBUTE_NOINLINE ExprPtr LowerCall(TSNode n, Span span) {
    ChildList cs(this, n);
    auto e = std::make_unique<CallExpr>();
    e->span = span;
    e->func = LowerExpr(cs.Get(g_.function), n);
    TSNode args = cs.Get(g_.arguments);
    if (SymOf(args) == Sym::kArgumentList) {
      LowerArguments(args, &e->args);
    } else if (!ts_node_is_null(args)) {  // f(x for x in y)
      Argument a;
      a.value = LowerExpr(args, n);
      e->args.push_back(std::move(a));
    }
    return e;
  }

  // LowerBinary: arithmetic, `and`/`or`, and `X | Y` in type positions the
  // grammar did not read as an expression (no fields there).
  ABSL_ATTRIBUTE_NOINLINE ExprPtr LowerBinary(TSNode n, Sym sym, Span span) {
    ChildList cs(this, n);
    TSNode left = cs.Get(g_.left), right = cs.Get(g_.right);
    if (sym == Sym::kUnionType) {
      int k = 0;
      for (const Child& c : cs) {
        if (IsOperand(c)) (k++ == 0 ? left : right) = c.node;
      }
    }
    TSNode op = cs.Get(g_.operator_);
    std::string_view op_text = ts_node_is_null(op) ? "" : ts_node_type(op);
    if (sym == Sym::kBooleanOperator) {
      auto e = std::make_unique<BoolOpExpr>();
      e->span = span;
      e->is_and = op_text == "and";
      e->left = LowerExpr(left, n);
      e->right = LowerExpr(right, n);
      return e;
    }
    std::optional<BinOpKind> kind =
        sym == Sym::kUnionType ? BinOpKind::kBitOr : BinOpFromToken(op_text);
    if (!kind) return MakeUnsupported(span, "binary operator");
    bool bitwise = *kind == BinOpKind::kBitAnd || *kind == BinOpKind::kBitXor;
    if (sym == Sym::kBinaryOperator && bitwise) {
      return LowerBitRegion(n, span);
    }
    auto e = std::make_unique<BinOpExpr>();
    e->span = span;
    e->op = *kind;
    e->left = LowerExpr(left, n);
    e->right = LowerExpr(right, n);
    return e;
  }

  // LowerBitRegion: tree-sitter-python 0.23 ranks `^` above `&`
  // (PREC.xor 16 > PREC.bitwise_and 15) where Python ranks `&` above `^`, so
  // `a & b ^ c` arrives as `a & (b ^ c)`. The unparenthesized run of `&` and
  // `^` under `n` is flattened and regrouped with Python's precedence (both
  // left-associative); runs of one operator come out as the grammar had them.
  ABSL_ATTRIBUTE_NOINLINE ExprPtr LowerBitRegion(TSNode n, Span span) {
    // Heap vectors: this frame recurses with the source's nesting.
    std::vector<TSNode> operands;
    std::vector<BinOpKind> ops;
    // In-order walk with an explicit stack; a null node stands for the
    // operator between the two subtrees pushed around it.
    struct Item {
      TSNode node;
      BinOpKind op;
    };
    std::vector<Item> stack = {{n, BinOpKind::kBitAnd}};
    while (!stack.empty()) {
      Item item = stack.back();
      stack.pop_back();
      if (ts_node_is_null(item.node)) {
        ops.push_back(item.op);
        continue;
      }
      std::optional<BinOpKind> kind;
      TSNode left{}, right{};
      if (SymOf(item.node) == Sym::kBinaryOperator) {
        ChildList cs(this, item.node);
        TSNode op = cs.Get(g_.operator_);
        if (!ts_node_is_null(op)) kind = BinOpFromToken(ts_node_type(op));
        left = cs.Get(g_.left);
        right = cs.Get(g_.right);
      }
      bool in_region = kind && (*kind == BinOpKind::kBitAnd || *kind == BinOpKind::kBitXor) &&
                       !ts_node_is_null(left) && !ts_node_is_null(right);
      if (!in_region) {
        operands.push_back(item.node);
        continue;
      }
      stack.push_back({right, *kind});
      stack.push_back({TSNode{}, *kind});
      stack.push_back({left, *kind});
    }
    if (depth_ + static_cast<int>(ops.size()) > kMaxDepth) {
      return MakeUnsupported(span, DepthNote(span));
    }
    auto make = [this](BinOpKind op, ExprPtr l, ExprPtr r, TSNode first, TSNode last) {
      auto e = std::make_unique<BinOpExpr>();
      e->span = SpanBetween(first, last);
      e->op = op;
      e->left = std::move(l);
      e->right = std::move(r);
      return e;
    };
    // ops[k] sits between operands[k] and operands[k + 1].
    ExprPtr result;
    size_t k = 0;
    while (true) {
      size_t first = k;
      ExprPtr term = LowerExpr(operands[k], n);
      while (k < ops.size() && ops[k] == BinOpKind::kBitAnd) {
        term = make(BinOpKind::kBitAnd, std::move(term), LowerExpr(operands[k + 1], n),
                    operands[first], operands[k + 1]);
        ++k;
      }
      result = result == nullptr ? std::move(term)
                                 : make(BinOpKind::kBitXor, std::move(result), std::move(term),
                                        operands[0], operands[k]);
      if (k >= ops.size()) break;
      ++k;  // past a `^`
    }
    return result;
  }

  ABSL_ATTRIBUTE_NOINLINE ExprPtr LowerUnary(TSNode n, Sym sym, Span span) {
    ChildList cs(this, n);
    auto e = std::make_unique<UnaryOpExpr>();
    e->span = span;
    if (sym == Sym::kNotOperator) {
      e->op = UnaryOpKind::kNot;
    } else {
      TSNode op = cs.Get(g_.operator_);
      std::string_view t = ts_node_is_null(op) ? "" : ts_node_type(op);
      if (t == "-") e->op = UnaryOpKind::kNeg;
      else if (t == "+") e->op = UnaryOpKind::kPos;
      else if (t == "~") e->op = UnaryOpKind::kInvert;
      else return MakeUnsupported(span, "unary operator");
    }
    e->operand = LowerExpr(cs.Get(g_.argument), n);
    return e;
  }

  ABSL_ATTRIBUTE_NOINLINE ExprPtr LowerLambda(TSNode n, Span span) {
    ChildList cs(this, n);
    auto e = std::make_unique<LambdaExpr>();
    e->span = span;
    LowerParams(cs.Get(g_.parameters), &e->params);
    e->body = LowerExpr(cs.Get(g_.body), n);
    return e;
  }

  ABSL_ATTRIBUTE_NOINLINE ExprPtr LowerNamed(TSNode n, Span span) {
    ChildList cs(this, n);
    auto e = std::make_unique<NamedExpr>();
    e->span = span;
    e->target = std::string(Text(cs.Get(g_.name)));
    e->value = LowerExpr(cs.Get(g_.value), n);
    return e;
  }

  ABSL_ATTRIBUTE_NOINLINE ExprPtr LowerIfExp(TSNode n, Span span) {
    auto e = std::make_unique<IfExpExpr>();
    e->span = span;
    ChildList cs(this, n);
    // `body if test else orelse`: three unlabeled operands, in order.
    ExprPtr* slots[3] = {&e->body, &e->test, &e->orelse};
    int k = 0;
    for (const Child& c : cs) {
      if (IsOperand(c) && k < 3) *slots[k++] = LowerExpr(c.node, n);
    }
    for (ExprPtr* slot : slots) {
      if (*slot == nullptr) *slot = MakeUnsupported(span, "missing expression");
    }
    return e;
  }

  ABSL_ATTRIBUTE_NOINLINE ExprPtr LowerDict(TSNode n, Span span) {
    auto e = std::make_unique<DictExpr>();
    e->span = span;
    ChildList cs(this, n);
    for (const Child& c : cs) {
      if (c.sym == Sym::kPair) {
        ChildList pc(this, c.node);
        e->keys.push_back(LowerExpr(pc.Get(g_.key), c.node));
        e->values.push_back(LowerExpr(pc.Get(g_.value), c.node));
      } else if (c.sym == Sym::kDictionarySplat) {
        e->keys.push_back(nullptr);
        e->values.push_back(LowerExpr(FirstOperandOf(c.node), c.node));
      }
    }
    return e;
  }

  // LowerGenericType: `list[int]` in a type position (identifier +
  // type_parameter), as the subscript it means.
  ABSL_ATTRIBUTE_NOINLINE ExprPtr LowerGenericType(TSNode n, Span span) {
    auto e = std::make_unique<SubscriptExpr>();
    e->span = span;
    ChildList cs(this, n);
    e->value = LowerExpr(cs.OfKind(Sym::kIdentifier), n);
    TSNode params = cs.OfKind(Sym::kTypeParameter);
    ChildList ts(this, params);
    int count = 0;
    bool comma = false;
    for (const Child& t : ts) {
      count += IsOperand(t);
      comma = comma || t.sym == Sym::kTokComma;
    }
    if (count == 1 && !comma) {
      e->index = LowerExpr(ts.FirstOperand(), params);
    } else if (count == 0) {
      e->index = MakeUnsupported(span, "missing subscript");
    } else {
      auto tuple = std::make_unique<SequenceExpr>(ExprKind::kTuple);
      tuple->span = SpanOfNode(params);
      for (const Child& t : ts) {
        if (IsOperand(t)) tuple->elts.push_back(LowerExpr(t.node, params));
      }
      e->index = std::move(tuple);
    }
    return e;
  }

  ABSL_ATTRIBUTE_NOINLINE ExprPtr LowerMemberType(TSNode n, Span span) {
    auto e = std::make_unique<AttributeExpr>();
    e->span = span;
    ChildList cs(this, n);
    e->value = LowerExpr(cs.OfKind(Sym::kType), n);
    e->attr = std::string(Text(cs.OfKind(Sym::kIdentifier)));
    return e;
  }

  // LowerSlice: which of lower/upper/step an operand is follows from the
  // colons before it.
  ABSL_ATTRIBUTE_NOINLINE ExprPtr LowerSlice(TSNode n, Span span) {
    auto e = std::make_unique<SliceExpr>();
    e->span = span;
    ChildList cs(this, n);
    int colons = 0;
    for (const Child& c : cs) {
      if (c.sym == Sym::kTokColon) {
        ++colons;
      } else if (IsOperand(c)) {
        ExprPtr& slot = colons == 0 ? e->lower : colons == 1 ? e->upper : e->step;
        slot = LowerExpr(c.node, n);
      }
    }
    return e;
  }

  ABSL_ATTRIBUTE_NOINLINE ExprPtr LowerCompare(TSNode n, Span span) {
    auto e = std::make_unique<CompareExpr>();
    e->span = span;
    ChildList cs(this, n);
    for (const Child& c : cs) {
      if (c.field == g_.operators) {
        std::optional<CmpOpKind> op = CmpOpFromToken(ts_node_type(c.node));
        if (!op) {
          return MakeUnsupported(span, NodeWhat("comparison '", c.node, "'"));
        }
        e->ops.push_back(*op);
      } else if (IsOperand(c)) {
        if (e->left == nullptr) e->left = LowerExpr(c.node, n);
        else e->comparators.push_back(LowerExpr(c.node, n));
      }
    }
    if (e->left == nullptr) e->left = MakeUnsupported(span, "missing expression");
    // Error recovery can drop an operand; keep ops.size() == comparators.size().
    while (e->comparators.size() < e->ops.size()) {
      e->comparators.push_back(MakeUnsupported(span, "missing expression"));
    }
    e->ops.resize(e->comparators.size(), CmpOpKind::kEq);
    return e;
  }

  ABSL_ATTRIBUTE_NOINLINE ExprPtr LowerSubscript(TSNode n, Span span) {
    auto e = std::make_unique<SubscriptExpr>();
    e->span = span;
    ChildList cs(this, n);
    e->value = LowerExpr(cs.Get(g_.value), n);
    size_t count = 0;
    bool comma = false;
    TSNode first{}, last{};
    for (const Child& c : cs) {
      if (c.field == g_.subscript && IsOperand(c)) {
        if (count++ == 0) first = c.node;
        last = c.node;
      } else if (c.sym == Sym::kTokComma) {
        comma = true;
      }
    }
    if (count == 0) {
      e->index = MakeUnsupported(span, "missing subscript");
    } else if (count == 1 && !comma) {
      e->index = LowerExpr(first, n);
    } else {
      // `x[a, b]` and `x[a,]` index with a tuple that has no node of its own.
      auto t = std::make_unique<SequenceExpr>(ExprKind::kTuple);
      t->span = SpanBetween(first, last);
      for (const Child& c : cs) {
        if (c.field == g_.subscript && IsOperand(c)) t->elts.push_back(LowerExpr(c.node, n));
      }
      e->index = std::move(t);
    }
    return e;
  }

  ABSL_ATTRIBUTE_NOINLINE ExprPtr LowerComprehension(TSNode n, Sym sym, Span span) {
    auto e = std::make_unique<ComprehensionExpr>();
    e->span = span;
    e->comp_kind = sym == Sym::kListComprehension         ? ComprehensionKind::kList
                   : sym == Sym::kSetComprehension        ? ComprehensionKind::kSet
                   : sym == Sym::kDictionaryComprehension ? ComprehensionKind::kDict
                                                          : ComprehensionKind::kGenerator;
    ChildList cs(this, n);
    TSNode body = cs.Get(g_.body);
    if (e->comp_kind == ComprehensionKind::kDict) {
      ChildList inner(this, body);
      TSNode where = ts_node_is_null(body) ? n : body;
      e->element = LowerExpr(inner.Get(g_.key), where);
      e->value = LowerExpr(inner.Get(g_.value), where);
    } else {
      e->element = LowerExpr(body, n);
    }
    for (const Child& c : cs) {
      if (c.sym == Sym::kForInClause) {
        e->fors.push_back(LowerFor(c.node));
      } else if (c.sym == Sym::kIfClause && !e->fors.empty()) {
        e->fors.back().ifs.push_back(LowerExpr(FirstOperandOf(c.node), c.node));
      }
    }
    return e;
  }

  ComprehensionFor LowerFor(TSNode clause) {
    ComprehensionFor f;
    ChildList cs(this, clause);
    size_t count = 0;
    TSNode first{}, last{};
    for (const Child& c : cs) {
      if (!IsOperand(c)) continue;
      if (c.field == g_.left) {
        f.target = LowerExpr(c.node, clause);
      } else if (c.field == g_.right) {
        if (count++ == 0) first = c.node;
        last = c.node;
      }
    }
    Span span = SpanOfNode(clause);
    if (f.target == nullptr) f.target = MakeUnsupported(span, "missing target");
    if (count == 1) {
      f.iter = LowerExpr(first, clause);
    } else if (count == 0) {
      f.iter = MakeUnsupported(span, "missing expression");
    } else {  // `for x in a, b`
      auto t = std::make_unique<SequenceExpr>(ExprKind::kTuple);
      t->span = SpanBetween(first, last);
      for (const Child& c : cs) {
        if (IsOperand(c) && c.field == g_.right) t->elts.push_back(LowerExpr(c.node, clause));
      }
      f.iter = std::move(t);
    }
    return f;
  }

  ABSL_ATTRIBUTE_NOINLINE ExprPtr LowerInt(TSNode n, Span span) {
    std::string_view t = Text(n);
    if (!t.empty() && (t.back() == 'j' || t.back() == 'J')) {
      return MakeUnsupported(span, "imaginary literal");
    }
    if (!t.empty() && (t.back() == 'l' || t.back() == 'L')) t.remove_suffix(1);  // Python 2
    uint64_t base = 10;
    if (t.size() >= 2 && t[0] == '0') {
      char p = t[1];
      if (p == 'x' || p == 'X') base = 16;
      else if (p == 'o' || p == 'O') base = 8;
      else if (p == 'b' || p == 'B') base = 2;
      if (base != 10) t.remove_prefix(2);
    }
    uint64_t acc = 0;
    bool overflow = false;
    constexpr uint64_t kMax = static_cast<uint64_t>(INT64_MAX);
    for (char c : t) {
      if (c == '_') continue;
      int d = HexValue(c);
      if (d < 0 || static_cast<uint64_t>(d) >= base) {
        return MakeUnsupported(span, "malformed integer");
      }
      if (!overflow && acc > (kMax - static_cast<uint64_t>(d)) / base) overflow = true;
      if (!overflow) acc = acc * base + static_cast<uint64_t>(d);
    }
    auto e = std::make_unique<IntExpr>();
    e->span = span;
    e->overflow = overflow;
    e->value = overflow ? 0 : static_cast<int64_t>(acc);
    return e;
  }

  ABSL_ATTRIBUTE_NOINLINE ExprPtr LowerFloat(TSNode n, Span span) {
    std::string_view t = Text(n);
    if (!t.empty() && (t.back() == 'j' || t.back() == 'J')) {
      return MakeUnsupported(span, "imaginary literal");
    }
    auto e = std::make_unique<FloatExpr>();
    e->span = span;
    e->text = std::string(t);
    std::string digits;
    digits.reserve(t.size());
    for (char c : t) {
      if (c != '_') digits.push_back(c);
    }
    e->value = std::strtod(digits.c_str(), nullptr);
    return e;
  }

  // LowerString: a literal or an implicit concatenation; if any part is an
  // f-string the whole becomes an FStringExpr with adjacent literal text
  // merged into one piece.
  ABSL_ATTRIBUTE_NOINLINE ExprPtr LowerString(TSNode n, Span span) {
    StringParts parts;
    if (SymOf(n) == Sym::kConcatenatedString) {
      ChildList cs(this, n);
      for (const Child& c : cs) {
        if (c.sym == Sym::kString) LowerStringPart(c.node, &parts);
      }
    } else {
      LowerStringPart(n, &parts);
    }
    if (!parts.any_f && parts.pieces.empty()) {
      auto e = std::make_unique<StringExpr>();
      e->span = span;
      e->value = std::move(parts.literal);
      e->is_bytes = parts.any_bytes;
      return e;
    }
    if (!parts.literal.empty()) {
      FStringPiece piece;
      piece.literal = std::move(parts.literal);
      parts.pieces.push_back(std::move(piece));
    }
    auto e = std::make_unique<FStringExpr>();
    e->span = span;
    e->pieces = std::move(parts.pieces);
    return e;
  }

  // StringParts: what the parts of one (concatenated) literal add up to;
  // `literal` is text not yet flushed into `pieces`.
  struct StringParts {
    bool any_f = false;
    bool any_bytes = false;
    std::string literal;
    std::vector<FStringPiece> pieces;
  };

  // LowerStringPart: one `string` node. The text between string_start,
  // interpolations and string_end is decoded from the source: escape
  // sequences are not separate nodes on every grammar path (raw strings,
  // error recovery), so the text is the reliable source.
  void LowerStringPart(TSNode p, StringParts* out) {
    ChildList cs(this, p);
    StringFlags flags;
    uint32_t pos = ts_node_start_byte(p);
    uint32_t end = ts_node_end_byte(p);
    for (const Child& c : cs) {
      if (c.sym == Sym::kStringStart) {
        flags = FlagsOf(Text(c.node));
        pos = ts_node_end_byte(c.node);
      } else if (c.sym == Sym::kInterpolation) {
        uint32_t b = ts_node_start_byte(c.node);
        if (b > pos) DecodeStringBody(text_.substr(pos, b - pos), flags, &out->literal);
        pos = std::max(pos, ts_node_end_byte(c.node));
        LowerInterpolation(c.node, &out->literal, &out->pieces);
      } else if (c.sym == Sym::kStringEnd) {
        end = ts_node_start_byte(c.node);
      }
    }
    if (end > pos && end <= text_.size()) {
      DecodeStringBody(text_.substr(pos, end - pos), flags, &out->literal);
    }
    out->any_f = out->any_f || flags.fstring;
    out->any_bytes = out->any_bytes || flags.bytes;
  }

  // LowerInterpolation: `{expr=!r:spec}`. The self-documenting `=` form is
  // expanded as Python does: the source text up to the conversion becomes
  // literal text and the value defaults to its repr.
  void LowerInterpolation(TSNode in, std::string* literal, std::vector<FStringPiece>* pieces) {
    ChildList cs(this, in);
    FStringPiece piece;
    TSNode expr{};
    bool self_doc = false;
    uint32_t doc_end = ts_node_end_byte(in);
    for (const Child& c : cs) {
      if (c.field == g_.expression) {
        expr = c.node;
      } else if (c.sym == Sym::kTokEq) {
        self_doc = true;
      } else if (c.field == g_.type_conversion) {
        std::string_view t = Text(c.node);
        if (!t.empty() && t[0] == '!') t.remove_prefix(1);
        piece.conversion = std::string(t);
        doc_end = std::min(doc_end, ts_node_start_byte(c.node));
      } else if (c.field == g_.format_specifier) {
        std::string_view t = Text(c.node);
        if (!t.empty() && t[0] == ':') t.remove_prefix(1);
        piece.format_spec = std::string(t);
        doc_end = std::min(doc_end, ts_node_start_byte(c.node));
      } else if (!c.named && c.sym != Sym::kTokLBrace) {
        doc_end = std::min(doc_end, ts_node_start_byte(c.node));  // the closing '}'
      }
    }
    if (self_doc) {
      uint32_t b = ts_node_start_byte(in) + 1;
      if (doc_end > b) literal->append(text_.substr(b, doc_end - b));
      if (piece.conversion.empty() && piece.format_spec.empty()) piece.conversion = "r";
    }
    if (!literal->empty()) {
      FStringPiece text_piece;
      text_piece.literal = std::move(*literal);
      literal->clear();
      pieces->push_back(std::move(text_piece));
    }
    piece.expr = LowerExpr(expr, in);
    pieces->push_back(std::move(piece));
  }

  const SourceFile& file_;
  std::string_view text_;
  Grammar local_grammar_;
  const Grammar& g_;
  TSTreeCursor cursor_;
  std::vector<Child> child_stack_;
  std::unique_ptr<Module> module_;
  int depth_ = 0;
  bool depth_noted_ = false;
};

}  // namespace

std::unique_ptr<Module> Lower(const syntax::ParsedFile& parsed) {
  Lowerer lowerer(parsed);
  return lowerer.Run(parsed.Root());
}

}  // namespace shapelint::ir
