// lower_test.cc: CST -> IR lowering (ir/lower.cc) and its dump (ir/dump.cc).
// Most cases compare Dump() output, which shows every field; spans and
// decoded literal values are checked on the nodes themselves.
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "analyzer/ir/dump.h"
#include "analyzer/ir/ir.h"
#include "analyzer/ir/lower.h"
#include "analyzer/syntax/parse.h"

namespace shapelint::ir {
namespace {

// Lowered: everything a lowered Module points into, kept alive together.
struct Lowered {
  SourceManager sources;
  std::unique_ptr<syntax::ParsedFile> parsed;
  std::unique_ptr<Module> module;
};

std::unique_ptr<Lowered> LowerText(std::string text) {
  auto out = std::make_unique<Lowered>();
  const SourceFile& file = out->sources.Add("test.py", std::move(text));
  out->parsed = syntax::Parse(file);
  out->module = Lower(*out->parsed);
  return out;
}

std::string DumpOf(std::string text) { return Dump(*LowerText(std::move(text))->module); }

// FirstExpr: the value of the first statement, which must be an expression
// statement.
const Expr& FirstExpr(const Lowered& l) {
  REQUIRE(!l.module->body.empty());
  REQUIRE(l.module->body[0]->kind == StmtKind::kExpr);
  return *static_cast<const ExprStmt&>(*l.module->body[0]).value;
}

std::string ExprDump(std::string text) { return DumpExpr(FirstExpr(*LowerText(std::move(text)))); }

// StringValue: the decoded value of a single string literal statement.
std::string StringValue(std::string text) {
  auto l = LowerText(std::move(text));
  const Expr& e = FirstExpr(*l);
  REQUIRE(e.kind == ExprKind::kString);
  return static_cast<const StringExpr&>(e).value;
}

const IntExpr& AsInt(const Expr& e) {
  REQUIRE(e.kind == ExprKind::kInt);
  return static_cast<const IntExpr&>(e);
}

// ---- basics ------------------------------------------------------------------

TEST_CASE("empty file lowers to an empty body", "[lower]") {
  auto l = LowerText("");
  CHECK(l->module->body.empty());
  CHECK(l->module->lowering_notes.empty());
  CHECK(l->module->file == &l->parsed->file());
  CHECK(Dump(*l->module).empty());
  CHECK(LowerText("# only a comment\n\n")->module->body.empty());
}

TEST_CASE("the dump example from the design notes", "[lower][dump]") {
  CHECK(DumpOf("class M(nn.Module):\n"
               "  def __init__(self):\n"
               "    self.fc1 = nn.Linear(10, 20)\n") ==
        "(class 1:1 M (bases (attr (name nn) Module))\n"
        "  (def 2:3 __init__ (params self)\n"
        "    (assign 3:5 (attr (name self) fc1) (call (attr (name nn) Linear) (int 10) (int 20)))))\n");
}

TEST_CASE("comments are skipped everywhere", "[lower]") {
  CHECK(DumpOf("# head\n"
               "x = f(a,  # first\n"
               "      b)  # second\n"
               "if x:  # cond\n"
               "    # inside\n"
               "    pass\n") ==
        "(assign 2:1 (name x) (call (name f) (name a) (name b)))\n"
        "(if 4:1 (name x)\n"
        "  (pass 6:5))\n");
}

// ---- statements ------------------------------------------------------------------

TEST_CASE("if / elif / else nest through orelse", "[lower][stmt]") {
  std::string src =
      "if a:\n"
      "    x = 1\n"
      "elif b:\n"
      "    x = 2\n"
      "elif c:\n"
      "    pass\n"
      "else:\n"
      "    x = 3\n";
  CHECK(DumpOf(src) ==
        "(if 1:1 (name a)\n"
        "  (assign 2:5 (name x) (int 1))\n"
        "  (else\n"
        "    (if 3:1 (name b)\n"
        "      (assign 4:5 (name x) (int 2))\n"
        "      (else\n"
        "        (if 5:1 (name c)\n"
        "          (pass 6:5)\n"
        "          (else\n"
        "            (assign 8:5 (name x) (int 3))))))))\n");
  auto l = LowerText(src);
  const auto& top = static_cast<const IfStmt&>(*l->module->body[0]);
  REQUIRE(top.orelse.size() == 1);
  CHECK(top.orelse[0]->kind == StmtKind::kIf);
}

TEST_CASE("for and while with else, break and continue", "[lower][stmt]") {
  CHECK(DumpOf("for i, (a, b) in zip(x, y):\n"
               "    continue\n"
               "else:\n"
               "    pass\n"
               "while n > 0:\n"
               "    break\n"
               "else:\n"
               "    n = 1\n"
               "for [p, *q] in r: pass\n") ==
        "(for 1:1 (tuple (name i) (tuple (name a) (name b))) (call (name zip) (name x) (name y))\n"
        "  (continue 2:5)\n"
        "  (else\n"
        "    (pass 4:5)))\n"
        "(while 5:1 (compare (name n) > (int 0))\n"
        "  (break 6:5)\n"
        "  (else\n"
        "    (assign 8:5 (name n) (int 1))))\n"
        "(for 9:1 (list (name p) (* (name q))) (name r)\n"
        "  (pass 9:19))\n");
  CHECK(DumpOf("for x in a, b:\n  pass\n") ==
        "(for 1:1 (name x) (tuple (name a) (name b))\n  (pass 2:3))\n");
}

TEST_CASE("try / except / else / finally", "[lower][stmt]") {
  std::string src =
      "try:\n"
      "    f()\n"
      "except (A, B) as e:\n"
      "    g(e)\n"
      "except C as err:\n"
      "    pass\n"
      "except D:\n"
      "    pass\n"
      "except:\n"
      "    raise\n"
      "else:\n"
      "    h()\n"
      "finally:\n"
      "    k()\n";
  CHECK(DumpOf(src) ==
        "(try 1:1\n"
        "  (expr 2:5 (call (name f)))\n"
        "  (except 3:1 (tuple (name A) (name B)) as e\n"
        "    (expr 4:5 (call (name g) (name e))))\n"
        "  (except 5:1 (name C) as err\n"
        "    (pass 6:5))\n"
        "  (except 7:1 (name D)\n"
        "    (pass 8:5))\n"
        "  (except 9:1\n"
        "    (raise 10:5))\n"
        "  (else\n"
        "    (expr 12:5 (call (name h))))\n"
        "  (finally\n"
        "    (expr 14:5 (call (name k)))))\n");
  auto l = LowerText(src);
  const auto& t = static_cast<const TryStmt&>(*l->module->body[0]);
  REQUIRE(t.handlers.size() == 4);
  CHECK(t.handlers[0].name == "e");
  CHECK(t.handlers[3].type == nullptr);
  CHECK(t.handlers[3].name.empty());
  CHECK(DumpOf("try:\n  pass\nfinally:\n  pass\n") ==
        "(try 1:1\n  (pass 2:3)\n  (finally\n    (pass 4:3)))\n");
  CHECK(DumpOf("try:\n  pass\nexcept* E as eg:\n  pass\n") ==
        "(try 1:1\n  (pass 2:3)\n  (except 3:1 (name E) as eg\n    (pass 4:3)))\n");
}

TEST_CASE("with items, targets and async with", "[lower][stmt]") {
  CHECK(DumpOf("with open(p) as f, lock, ctx() as (a, b):\n"
               "    pass\n"
               "async def g():\n"
               "    async with s as t:\n"
               "        pass\n") ==
        "(with 1:1 (item (call (name open) (name p)) (name f)) (item (name lock)) "
        "(item (call (name ctx)) (tuple (name a) (name b)))\n"
        "  (pass 2:5))\n"
        "(def 3:1 g async (params)\n"
        "  (with 4:5 (item (name s) (name t))\n"
        "    (pass 5:9)))\n");
  CHECK(DumpOf("with (open(a) as f, open(b) as g):\n    pass\n") ==
        "(with 1:1 (item (call (name open) (name a)) (name f)) (item (call (name open) (name b)) (name g))\n"
        "  (pass 2:5))\n");
}

TEST_CASE("function definitions: parameters, decorators, async, returns", "[lower][stmt]") {
  std::string src =
      "@torch.no_grad()\n"
      "@staticmethod\n"
      "async def f(a, b: int, c=1, d: int = 2, /, e=3, *args: int, f, g=4, **kw) -> Tensor:\n"
      "    return a\n";
  CHECK(DumpOf(src) ==
        "(def 3:1 f async (decorators (call (attr (name torch) no_grad)) (name staticmethod)) "
        "(params a (b :ann (name int)) (c :default (int 1)) (d :ann (name int) :default (int 2)) "
        "(e :default (int 3)) (*args :ann (name int)) kw:f (kw:g :default (int 4)) **kw) "
        "(returns (name Tensor))\n"
        "  (return 4:5 (name a)))\n");
  auto l = LowerText(src);
  const auto& f = static_cast<const FunctionDef&>(*l->module->body[0]);
  CHECK(f.is_async);
  CHECK(f.span.line == 3);  // the def line, as in Python's ast
  CHECK(f.decorators[0]->span.line == 1);
  CHECK(f.decorators[0]->span.col == 2);
  REQUIRE(f.params.params.size() == 9);
  CHECK(f.params.params[0].kind == ParamKind::kNormal);
  CHECK(f.params.params[4].kind == ParamKind::kNormal);  // after `/`: still positional
  CHECK(f.params.params[5].kind == ParamKind::kVarArgs);
  CHECK(f.params.params[6].kind == ParamKind::kKwOnly);
  CHECK(f.params.params[7].kind == ParamKind::kKwOnly);
  CHECK(f.params.params[8].kind == ParamKind::kVarKwargs);
  CHECK(f.params.params[1].span.line == 3);
  CHECK(f.params.params[1].span.col == 16);

  CHECK(DumpOf("def g(self, *, x, y=None):\n    pass\n") ==
        "(def 1:1 g (params self kw:x (kw:y :default None))\n  (pass 2:5))\n");
  CHECK(DumpOf("def h(**kwargs: Any): ...\n") ==
        "(def 1:1 h (params (**kwargs :ann (name Any)))\n  (expr 1:23 ...))\n");
  CHECK(!static_cast<const FunctionDef&>(*LowerText("def k(): pass\n")->module->body[0]).is_async);
}

TEST_CASE("lambda", "[lower][expr]") {
  CHECK(ExprDump("lambda: 0\n") == "(lambda (params) (int 0))");
  CHECK(ExprDump("lambda x, y=2, *a, k, **kw: x + y\n") ==
        "(lambda (params x (y :default (int 2)) *a kw:k **kw) (binop + (name x) (name y)))");
  CHECK(ExprDump("[f for f in (lambda: 1, lambda: 2)]\n") ==
        "(listcomp (name f) (for (name f) (tuple (lambda (params) (int 1)) (lambda (params) (int 2)))))");
}

TEST_CASE("class definitions: bases, keywords, decorators", "[lower][stmt]") {
  std::string src =
      "@dataclass\n"
      "class A(B, nn.Module, metaclass=Meta, **extra):\n"
      "    x: int = 3\n"
      "    def forward(self, x):\n"
      "        return x\n"
      "class C: pass\n";
  CHECK(DumpOf(src) ==
        "(class 2:1 A (decorators (name dataclass)) (bases (name B) (attr (name nn) Module) "
        "(kw metaclass (name Meta)) (** (name extra)))\n"
        "  (annassign 3:5 (name x) (name int) (int 3))\n"
        "  (def 4:5 forward (params self x)\n"
        "    (return 5:9 (name x))))\n"
        "(class 6:1 C\n"
        "  (pass 6:10))\n");
  auto l = LowerText(src);
  const auto& c = static_cast<const ClassDef&>(*l->module->body[0]);
  REQUIRE(c.bases.size() == 4);
  CHECK(c.bases[2].keyword == "metaclass");
  CHECK(c.bases[3].star == 2);
}

TEST_CASE("imports: aliases, relative levels, star, __future__", "[lower][stmt]") {
  std::string src =
      "import torch\n"
      "import torch.nn as nn, numpy as np\n"
      "from torch import nn, Tensor as T\n"
      "from . import utils\n"
      "from ..ops.misc import (Conv2dNormActivation,\n"
      "                        SqueezeExcitation as SE,)\n"
      "from ...a import *\n"
      "from __future__ import annotations\n";
  CHECK(DumpOf(src) ==
        "(import 1:1 torch)\n"
        "(import 2:1 (torch.nn as nn) (numpy as np))\n"
        "(from 3:1 torch nn (Tensor as T))\n"
        "(from 4:1 . utils)\n"
        "(from 5:1 ..ops.misc Conv2dNormActivation (SqueezeExcitation as SE))\n"
        "(from 7:1 ...a *)\n"
        "(from 8:1 __future__ annotations)\n");
  auto l = LowerText(src);
  const auto& rel = static_cast<const ImportFromStmt&>(*l->module->body[4]);
  CHECK(rel.level == 2);
  CHECK(rel.module == "ops.misc");
  REQUIRE(rel.names.size() == 2);
  CHECK(rel.names[1].name == "SqueezeExcitation");
  CHECK(rel.names[1].asname == "SE");
  CHECK(rel.names[1].span.line == 6);
  CHECK(rel.names[1].span.col == 25);
  const auto& here = static_cast<const ImportFromStmt&>(*l->module->body[3]);
  CHECK(here.level == 1);
  CHECK(here.module.empty());
  const auto& star = static_cast<const ImportFromStmt&>(*l->module->body[5]);
  CHECK(star.star);
  CHECK(star.level == 3);
  CHECK(star.names.empty());
}

TEST_CASE("simple statements", "[lower][stmt]") {
  CHECK(DumpOf("def f():\n"
               "    global a, b\n"
               "    nonlocal c\n"
               "    del a, b[0], c.d\n"
               "    assert x > 0, 'msg'\n"
               "    assert y\n"
               "    raise ValueError('bad') from err\n"
               "    raise E\n"
               "    return\n"
               "    return a, b\n"
               "    pass\n") ==
        "(def 1:1 f (params)\n"
        "  (global 2:5 a b)\n"
        "  (nonlocal 3:5 c)\n"
        "  (del 4:5 (name a) (subscript (name b) (int 0)) (attr (name c) d))\n"
        "  (assert 5:5 (compare (name x) > (int 0)) (str \"msg\"))\n"
        "  (assert 6:5 (name y))\n"
        "  (raise 7:5 (call (name ValueError) (str \"bad\")) (from (name err)))\n"
        "  (raise 8:5 (name E))\n"
        "  (return 9:5)\n"
        "  (return 10:5 (tuple (name a) (name b)))\n"
        "  (pass 11:5))\n");
}

TEST_CASE("assignments: chains, unpacking, starred, annotated", "[lower][stmt]") {
  CHECK(DumpOf("a = b = c = 0\n"
               "x, y = y, x\n"
               "(p, q), [r, *s] = t\n"
               "first, *rest = items\n"
               "self.w[0], v.attr = 1, 2\n"
               "n: int\n"
               "m: Optional[int] = None\n"
               "self.k: list[int] = []\n") ==
        "(assign 1:1 (name a) (name b) (name c) (int 0))\n"
        "(assign 2:1 (tuple (name x) (name y)) (tuple (name y) (name x)))\n"
        "(assign 3:1 (tuple (tuple (name p) (name q)) (list (name r) (* (name s)))) (name t))\n"
        "(assign 4:1 (tuple (name first) (* (name rest))) (name items))\n"
        "(assign 5:1 (tuple (subscript (attr (name self) w) (int 0)) (attr (name v) attr)) (tuple (int 1) (int 2)))\n"
        "(annassign 6:1 (name n) (name int))\n"
        "(annassign 7:1 (name m) (subscript (name Optional) (name int)) None)\n"
        "(annassign 8:1 (attr (name self) k) (subscript (name list) (name int)) (list))\n");
  auto l = LowerText("a = b = c\n");
  const auto& a = static_cast<const AssignStmt&>(*l->module->body[0]);
  REQUIRE(a.targets.size() == 2);
  CHECK(a.value->kind == ExprKind::kName);
  CHECK(a.value->span.col == 9);
  CHECK(DumpOf("x: int | None = None\n") ==
        "(annassign 1:1 (name x) (binop | (name int) None) None)\n");
}

TEST_CASE("augmented assignment covers every operator", "[lower][stmt]") {
  CHECK(DumpOf("x += 1\nx -= 1\nx *= 1\nx /= 1\nx //= 1\nx %= 1\nx **= 1\nx @= w\n"
               "x <<= 1\nx >>= 1\nx &= 1\nx |= 1\nx ^= 1\nself.n[i] += y\n") ==
        "(augassign 1:1 (name x) += (int 1))\n"
        "(augassign 2:1 (name x) -= (int 1))\n"
        "(augassign 3:1 (name x) *= (int 1))\n"
        "(augassign 4:1 (name x) /= (int 1))\n"
        "(augassign 5:1 (name x) //= (int 1))\n"
        "(augassign 6:1 (name x) %= (int 1))\n"
        "(augassign 7:1 (name x) **= (int 1))\n"
        "(augassign 8:1 (name x) @= (name w))\n"
        "(augassign 9:1 (name x) <<= (int 1))\n"
        "(augassign 10:1 (name x) >>= (int 1))\n"
        "(augassign 11:1 (name x) &= (int 1))\n"
        "(augassign 12:1 (name x) |= (int 1))\n"
        "(augassign 13:1 (name x) ^= (int 1))\n"
        "(augassign 14:1 (subscript (attr (name self) n) (name i)) += (name y))\n");
}

TEST_CASE("expression statements and semicolons", "[lower][stmt]") {
  CHECK(DumpOf("f(x); g()\na, b\n\"\"\"doc\"\"\"\n") ==
        "(expr 1:1 (call (name f) (name x)))\n"
        "(expr 1:7 (call (name g)))\n"
        "(expr 2:1 (tuple (name a) (name b)))\n"
        "(expr 3:1 (str \"doc\"))\n");
}

TEST_CASE("unmodeled statements become UnsupportedStmt", "[lower][stmt]") {
  CHECK(DumpOf("match cmd:\n"
               "    case 1:\n"
               "        pass\n"
               "print 'hello'\n"
               "exec 'code'\n"
               "type Alias = int\n") ==
        "(unsupported 1:1 \"match statement\")\n"
        "(unsupported 4:1 \"print statement\")\n"
        "(unsupported 5:1 \"exec statement\")\n"
        "(unsupported 6:1 \"type alias statement\")\n");
  // Soft keywords used as names stay names.
  CHECK(DumpOf("print(x)\nmatch = 1\ntype = 2\n") ==
        "(expr 1:1 (call (name print) (name x)))\n"
        "(assign 2:1 (name match) (int 1))\n"
        "(assign 3:1 (name type) (int 2))\n");
}

// ---- expressions ----------------------------------------------------------------

TEST_CASE("names, attributes and calls", "[lower][expr]") {
  CHECK(ExprDump("a.b.c\n") == "(attr (attr (name a) b) c)");
  CHECK(ExprDump("f(a, *args, key=1, **kw)\n") ==
        "(call (name f) (name a) (* (name args)) (kw key (int 1)) (** (name kw)))");
  CHECK(ExprDump("f(x for x in y)\n") == "(call (name f) (genexp (name x) (for (name x) (name y))))");
  CHECK(ExprDump("f(a,)\n") == "(call (name f) (name a))");
  CHECK(ExprDump("super().__init__()\n") == "(call (attr (call (name super)) __init__))");
  auto l = LowerText("f(a, *b, c=1, **d)\n");
  const auto& c = static_cast<const CallExpr&>(FirstExpr(*l));
  REQUIRE(c.args.size() == 4);
  CHECK(c.args[0].star == 0);
  CHECK(c.args[0].keyword.empty());
  CHECK(c.args[1].star == 1);
  CHECK(c.args[2].keyword == "c");
  CHECK(c.args[3].star == 2);
  CHECK(c.args[3].keyword.empty());
}

TEST_CASE("integer literals in every base, with separators and overflow", "[lower][expr]") {
  auto value = [](const char* src) { return AsInt(FirstExpr(*LowerText(src))).value; };
  CHECK(value("0\n") == 0);
  CHECK(value("42\n") == 42);
  CHECK(value("1_000_000\n") == 1000000);
  CHECK(value("0xff\n") == 255);
  CHECK(value("0XFF\n") == 255);
  CHECK(value("0x_dead_beef\n") == 0xdeadbeef);
  CHECK(value("0o17\n") == 15);
  CHECK(value("0O7_7\n") == 63);
  CHECK(value("0b1010\n") == 10);
  CHECK(value("0B_1111_0000\n") == 240);
  CHECK(value("9223372036854775807\n") == INT64_MAX);
  CHECK(!AsInt(FirstExpr(*LowerText("9223372036854775807\n"))).overflow);
  CHECK(AsInt(FirstExpr(*LowerText("9223372036854775808\n"))).overflow);
  CHECK(AsInt(FirstExpr(*LowerText("0xffffffffffffffffff\n"))).overflow);
  CHECK(AsInt(FirstExpr(*LowerText("123456789012345678901234567890\n"))).overflow);
  CHECK(ExprDump("99999999999999999999\n") == "(int overflow)");
  CHECK(ExprDump("-1\n") == "(unop - (int 1))");
}

TEST_CASE("float and imaginary literals", "[lower][expr]") {
  auto l = LowerText("1.5e-3\n");
  const Expr& e = FirstExpr(*l);
  REQUIRE(e.kind == ExprKind::kFloat);
  CHECK(static_cast<const FloatExpr&>(e).value == Approx(0.0015));
  CHECK(static_cast<const FloatExpr&>(e).text == "1.5e-3");
  CHECK(ExprDump("1_000.000_1\n") == "(float 1_000.000_1)");
  CHECK(static_cast<const FloatExpr&>(FirstExpr(*LowerText("1_000.5\n"))).value == 1000.5);
  CHECK(ExprDump(".5\n") == "(float .5)");
  CHECK(ExprDump("1e10\n") == "(float 1e10)");
  CHECK(ExprDump("2j\n") == "(unsupported \"imaginary literal\")");
  CHECK(ExprDump("1.5J\n") == "(unsupported \"imaginary literal\")");
}

TEST_CASE("string escapes are decoded", "[lower][expr][string]") {
  CHECK(StringValue(R"("a\nb\tc\\d\'e\"f"
)") == "a\nb\tc\\d'e\"f");
  CHECK(StringValue(R"('\x41\x62')"
                    "\n") == "Ab");
  CHECK(StringValue(R"('\u00e9\U0001F600')"
                    "\n") == "\xc3\xa9\xf0\x9f\x98\x80");
  CHECK(StringValue(R"('\101\0')"
                    "\n") == std::string("A\0", 2));
  CHECK(StringValue(R"('\a\b\f\v\r')"
                    "\n") == "\a\b\f\v\r");
  // Unknown escapes keep their backslash, as in Python.
  CHECK(StringValue(R"('\d\q')"
                    "\n") == "\\d\\q");
  CHECK(StringValue("'line\\\ncontinued'\n") == "linecontinued");
  CHECK(StringValue("'caf\xc3\xa9'\n") == "caf\xc3\xa9");
}

TEST_CASE("string prefixes, triple quotes and implicit concatenation", "[lower][expr][string]") {
  CHECK(StringValue("r'\\n\\d'\n") == "\\n\\d");
  CHECK(StringValue("R\"\\t\"\n") == "\\t");
  CHECK(StringValue("u'\\n'\n") == "\n");
  CHECK(StringValue("'''a\nb \"q\" 'x' '''\n") == "a\nb \"q\" 'x' ");
  CHECK(StringValue("\"\"\"doc\\n\n  more\"\"\"\n") == "doc\n\n  more");
  CHECK(StringValue("'a' \"b\" '''c'''\n") == "abc");
  CHECK(StringValue("('multi '\n 'line')\n") == "multi line");
  CHECK(StringValue("'{not} {{fmt}}'\n") == "{not} {{fmt}}");

  auto bytes = LowerText("b'\\xff\\n\\u00e9'\n");
  const auto& b = static_cast<const StringExpr&>(FirstExpr(*bytes));
  CHECK(b.is_bytes);
  CHECK(b.value == "\xff\n\\u00e9");  // \u is not an escape in bytes
  CHECK(ExprDump("b'\\xff'\n") == "(bytes \"\\xff\")");
  for (const char* src : {"rb'\\n'\n", "Rb'\\n'\n", "bR'\\n'\n", "BR'\\n'\n"}) {
    auto l = LowerText(src);
    const auto& s = static_cast<const StringExpr&>(FirstExpr(*l));
    CHECK(s.is_bytes);
    CHECK(s.value == "\\n");
  }
  CHECK(!static_cast<const StringExpr&>(FirstExpr(*LowerText("'x'\n"))).is_bytes);
  CHECK(ExprDump("'tab\\there \"q\"'\n") == "(str \"tab\\there \\\"q\\\"\")");
}

TEST_CASE("f-strings lower to pieces with lowered expressions", "[lower][expr][string]") {
  CHECK(ExprDump("f'x={x} y={self.y!r:>10} {{lit}} {a + 1:.{p}f}'\n") ==
        "(fstring \"x=\" (fmt (name x)) \" y=\" (fmt (attr (name self) y) !r :\">10\") "
        "\" {lit} \" (fmt (binop + (name a) (int 1)) :\".{p}f\"))");
  CHECK(ExprDump("f'{x=}'\n") == "(fstring \"x=\" (fmt (name x) !r))");
  CHECK(ExprDump("f'{x = :>4}'\n") == "(fstring \"x = \" (fmt (name x) :\">4\"))");
  CHECK(ExprDump("f'plain\\n'\n") == "(fstring \"plain\\n\")");
  CHECK(ExprDump("rf'\\n{x}'\n") == "(fstring \"\\\\n\" (fmt (name x)))");
  CHECK(ExprDump("f'{a}' 'mid' f'{b!s}'\n") ==
        "(fstring (fmt (name a)) \"mid\" (fmt (name b) !s))");
  CHECK(ExprDump("'pre ' f'{a}'\n") == "(fstring \"pre \" (fmt (name a)))");
  CHECK(ExprDump("f'''{\n  x\n}'''\n") == "(fstring (fmt (name x)))");
  CHECK(ExprDump("f'{a, b}'\n") == "(fstring (fmt (tuple (name a) (name b))))");

  auto l = LowerText("f'shape {t.shape} of {name!r}'\n");
  const Expr& e = FirstExpr(*l);
  REQUIRE(e.kind == ExprKind::kFString);
  const auto& f = static_cast<const FStringExpr&>(e);
  REQUIRE(f.pieces.size() == 4);
  CHECK(f.pieces[0].literal == "shape ");
  CHECK(f.pieces[0].expr == nullptr);
  REQUIRE(f.pieces[1].expr != nullptr);
  CHECK(f.pieces[1].expr->span.col == 10);
  CHECK(f.pieces[3].conversion == "r");
}

TEST_CASE("constants", "[lower][expr]") {
  CHECK(ExprDump("(True, False, None, ...)\n") == "(tuple True False None ...)");
  auto l = LowerText("True\n");
  REQUIRE(FirstExpr(*l).kind == ExprKind::kBool);
  CHECK(static_cast<const BoolExpr&>(FirstExpr(*l)).value);
  CHECK(FirstExpr(*LowerText("None\n")).kind == ExprKind::kNone);
  CHECK(FirstExpr(*LowerText("...\n")).kind == ExprKind::kEllipsis);
}

TEST_CASE("operators: binary, unary, boolean, comparison chains", "[lower][expr]") {
  CHECK(ExprDump("a + b * c ** -d @ e // f % g / h\n") ==
        "(binop + (name a) (binop / (binop % (binop // (binop @ (binop * (name b) "
        "(binop ** (name c) (unop - (name d)))) (name e)) (name f)) (name g)) (name h)))");
  CHECK(ExprDump("a << 1 | b >> 2 & c ^ d\n") ==
        "(binop | (binop << (name a) (int 1)) (binop ^ (binop & (binop >> (name b) (int 2)) (name c)) (name d)))");
  // tree-sitter-python ranks `^` above `&`; the lowering restores Python's
  // `&` > `^` > `|`.
  CHECK(ExprDump("a & b ^ c & d\n") ==
        "(binop ^ (binop & (name a) (name b)) (binop & (name c) (name d)))");
  CHECK(ExprDump("a ^ b & c\n") == "(binop ^ (name a) (binop & (name b) (name c)))");
  CHECK(ExprDump("a & b & c ^ d ^ e\n") ==
        "(binop ^ (binop ^ (binop & (binop & (name a) (name b)) (name c)) (name d)) (name e))");
  CHECK(ExprDump("a & (b ^ c)\n") == "(binop & (name a) (binop ^ (name b) (name c)))");
  CHECK(ExprDump("a ^ b ^ c\n") == "(binop ^ (binop ^ (name a) (name b)) (name c))");
  {
    auto l = LowerText("x = m & k ^ z\n");
    const auto& a = static_cast<const AssignStmt&>(*l->module->body[0]);
    const auto& x = static_cast<const BinOpExpr&>(*a.value);
    CHECK(x.op == BinOpKind::kBitXor);
    CHECK(x.span.col == 5);
    CHECK(x.span.end_col == 14);
    CHECK(x.left->span.col == 5);
    CHECK(x.left->span.end_col == 10);
  }
  CHECK(ExprDump("not a and b or ~c\n") ==
        "(or (and (unop not (name a)) (name b)) (unop ~ (name c)))");
  CHECK(ExprDump("+x\n") == "(unop + (name x))");
  CHECK(ExprDump("a < b <= c == d != e > f >= g\n") ==
        "(compare (name a) < (name b) <= (name c) == (name d) != (name e) > (name f) >= (name g))");
  CHECK(ExprDump("a in b not in c is d is not e\n") ==
        "(compare (name a) in (name b) not-in (name c) is (name d) is-not (name e))");
  auto l = LowerText("0 <= i < n\n");
  const auto& c = static_cast<const CompareExpr&>(FirstExpr(*l));
  REQUIRE(c.ops.size() == 2);
  CHECK(c.comparators.size() == 2);
  CHECK(c.ops[0] == CmpOpKind::kLtE);
  CHECK(c.ops[1] == CmpOpKind::kLt);
}

TEST_CASE("conditional expressions and walrus", "[lower][expr]") {
  CHECK(ExprDump("a if cond else b\n") == "(ifexp (name cond) (name a) (name b))");
  CHECK(ExprDump("(n := len(x))\n") == "(walrus n (call (name len) (name x)))");
  CHECK(DumpOf("if (m := f()) is not None:\n    pass\n") ==
        "(if 1:1 (compare (walrus m (call (name f))) is-not None)\n  (pass 2:5))\n");
}

TEST_CASE("displays: tuples, lists, dicts, sets, starred", "[lower][expr]") {
  CHECK(ExprDump("()\n") == "(tuple)");
  CHECK(ExprDump("(1,)\n") == "(tuple (int 1))");
  CHECK(ExprDump("(1, 2)\n") == "(tuple (int 1) (int 2))");
  CHECK(ExprDump("[]\n") == "(list)");
  CHECK(ExprDump("[1, *rest, 2]\n") == "(list (int 1) (* (name rest)) (int 2))");
  CHECK(ExprDump("{}\n") == "(dict)");
  CHECK(ExprDump("{'a': 1, **base, b: 2}\n") ==
        "(dict (pair (str \"a\") (int 1)) (** (name base)) (pair (name b) (int 2)))");
  CHECK(ExprDump("{1, *s}\n") == "(set (int 1) (* (name s)))");
  auto l = LowerText("{**d}\n");
  const auto& d = static_cast<const DictExpr&>(FirstExpr(*l));
  REQUIRE(d.keys.size() == 1);
  CHECK(d.keys[0] == nullptr);
  CHECK(d.values[0]->kind == ExprKind::kName);
}

TEST_CASE("parentheses are unwrapped", "[lower][expr]") {
  auto l = LowerText("((x))\n");
  const Expr& e = FirstExpr(*l);
  CHECK(DumpExpr(e) == "(name x)");
  CHECK(e.span.col == 3);
  CHECK(ExprDump("(a + b) * c\n") == "(binop * (binop + (name a) (name b)) (name c))");
}

TEST_CASE("subscripts, slices and multiple indices", "[lower][expr]") {
  CHECK(ExprDump("x[0]\n") == "(subscript (name x) (int 0))");
  CHECK(ExprDump("x[1:2]\n") == "(subscript (name x) (slice (int 1) (int 2) _))");
  CHECK(ExprDump("x[::2]\n") == "(subscript (name x) (slice _ _ (int 2)))");
  CHECK(ExprDump("x[a:]\n") == "(subscript (name x) (slice (name a) _ _))");
  CHECK(ExprDump("x[:b]\n") == "(subscript (name x) (slice _ (name b) _))");
  CHECK(ExprDump("x[:, 0]\n") == "(subscript (name x) (tuple (slice _ _ _) (int 0)))");
  CHECK(ExprDump("x[..., None]\n") == "(subscript (name x) (tuple ... None))");
  CHECK(ExprDump("x[0,]\n") == "(subscript (name x) (tuple (int 0)))");
  CHECK(ExprDump("x[i, j:k:-1, ...]\n") ==
        "(subscript (name x) (tuple (name i) (slice (name j) (name k) (unop - (int 1))) ...))");
  CHECK(ExprDump("x[(1, 2)]\n") == "(subscript (name x) (tuple (int 1) (int 2)))");

  auto l = LowerText("y = x[:, 0]\n");
  const auto& a = static_cast<const AssignStmt&>(*l->module->body[0]);
  const auto& s = static_cast<const SubscriptExpr&>(*a.value);
  REQUIRE(s.index->kind == ExprKind::kTuple);
  const auto& t = static_cast<const SequenceExpr&>(*s.index);
  REQUIRE(t.elts.size() == 2);
  CHECK(t.elts[0]->kind == ExprKind::kSlice);
  CHECK(t.elts[1]->kind == ExprKind::kInt);
  CHECK(t.span.line == 1);
  CHECK(t.span.col == 7);
  CHECK(t.span.end_col == 11);
}

TEST_CASE("comprehensions with several for / if clauses", "[lower][expr]") {
  CHECK(ExprDump("[x * y for x in a if x for y in b if y if x != y]\n") ==
        "(listcomp (binop * (name x) (name y)) (for (name x) (name a) (if (name x))) "
        "(for (name y) (name b) (if (name y)) (if (compare (name x) != (name y)))))");
  CHECK(ExprDump("{k: v for k, v in d.items()}\n") ==
        "(dictcomp (name k) (name v) (for (tuple (name k) (name v)) (call (attr (name d) items))))");
  CHECK(ExprDump("{s for s in t}\n") == "(setcomp (name s) (for (name s) (name t)))");
  CHECK(ExprDump("(i for i in range(3))\n") ==
        "(genexp (name i) (for (name i) (call (name range) (int 3))))");
  auto l = LowerText("[a for a in b for c in d]\n");
  const auto& c = static_cast<const ComprehensionExpr&>(FirstExpr(*l));
  CHECK(c.comp_kind == ComprehensionKind::kList);
  CHECK(c.fors.size() == 2);
}

TEST_CASE("await and yield are unsupported expressions", "[lower][expr]") {
  CHECK(DumpOf("async def f():\n"
               "    x = await g()\n"
               "    yield x\n"
               "    y = yield\n"
               "    yield from z\n") ==
        "(def 1:1 f async (params)\n"
        "  (assign 2:5 (name x) (unsupported \"await expression\"))\n"
        "  (expr 3:5 (unsupported \"yield\"))\n"
        "  (assign 4:5 (name y) (unsupported \"yield\"))\n"
        "  (expr 5:5 (unsupported \"yield\")))\n");
}

// ---- spans ------------------------------------------------------------------------

TEST_CASE("spans are 1-based lines and byte columns", "[lower][span]") {
  auto l = LowerText("import torch\n"
                     "\n"
                     "class Net:\n"
                     "    def forward(self, x):\n"
                     "        y = self.fc(x) + 1\n"
                     "        return y\n");
  REQUIRE(l->module->body.size() == 2);
  const Stmt& imp = *l->module->body[0];
  CHECK(imp.span.file == l->parsed->file().id);
  CHECK(imp.span.line == 1);
  CHECK(imp.span.col == 1);
  CHECK(imp.span.end_line == 1);
  CHECK(imp.span.end_col == 13);
  const auto& cls = static_cast<const ClassDef&>(*l->module->body[1]);
  CHECK(cls.span.line == 3);
  CHECK(cls.span.end_line == 6);
  const auto& fn = static_cast<const FunctionDef&>(*cls.body[0]);
  CHECK(fn.span.line == 4);
  CHECK(fn.span.col == 5);
  const auto& assign = static_cast<const AssignStmt&>(*fn.body[0]);
  CHECK(assign.span.line == 5);
  CHECK(assign.span.col == 9);
  CHECK(assign.span.end_col == 27);
  const auto& add = static_cast<const BinOpExpr&>(*assign.value);
  CHECK(add.span.col == 13);
  CHECK(add.span.end_col == 27);
  const auto& call = static_cast<const CallExpr&>(*add.left);
  CHECK(call.span.col == 13);
  CHECK(call.span.end_col == 23);
  const auto& fc = static_cast<const AttributeExpr&>(*call.func);
  CHECK(fc.span.col == 13);
  CHECK(fc.span.end_col == 20);
  CHECK(call.args[0].value->span.col == 21);
  CHECK(add.right->span.col == 26);
  const auto& ret = *fn.body[1];
  CHECK(ret.span.line == 6);
  CHECK(ret.span.col == 9);
}

TEST_CASE("multi-byte characters count as bytes in columns", "[lower][span]") {
  auto l = LowerText("s = '\xc3\xa9'; t = 1\n");
  REQUIRE(l->module->body.size() == 2);
  CHECK(l->module->body[1]->span.col == 11);
}

// ---- robustness -----------------------------------------------------------------

TEST_CASE("a file with a syntax error still lowers its intact statements", "[lower][error]") {
  auto l = LowerText("import torch\n"
                     "class A:\n"
                     "    def f(self):\n"
                     "        x = (1 +\n"
                     "    y = 2\n"
                     "z = 3\n");
  CHECK(!l->parsed->errors().empty());
  std::string dump = Dump(*l->module);
  CHECK(dump.find("(import 1:1 torch)") != std::string::npos);
  CHECK(dump.find("(assign 5:5 (name y) (int 2))") != std::string::npos);
  CHECK(dump.find("(assign 6:1 (name z) (int 3))") != std::string::npos);

  auto l2 = LowerText("a = 1\n"
                      "b = = 2\n"
                      "c = 3\n");
  CHECK(!l2->parsed->errors().empty());
  std::string dump2 = Dump(*l2->module);
  CHECK(dump2.find("(assign 1:1 (name a) (int 1))") != std::string::npos);
  CHECK(dump2.find("(assign 3:1 (name c) (int 3))") != std::string::npos);
}

TEST_CASE("missing nodes lower what remains", "[lower][error]") {
  auto l = LowerText("x = f(1, 2\n");
  CHECK(!l->parsed->errors().empty());
  auto l2 = LowerText("def f(:\n    return\n");
  CHECK(!l2->parsed->errors().empty());
  auto l3 = LowerText("x = [1, 2\ny = 3\n");
  CHECK(!l3->parsed->errors().empty());
  // Each lowered without crashing; the dumps are well formed.
  for (const auto* m : {l->module.get(), l2->module.get(), l3->module.get()}) {
    std::string d = Dump(*m);
    int balance = 0;
    bool in_string = false;
    for (size_t i = 0; i < d.size(); ++i) {
      if (in_string) {
        if (d[i] == '\\') ++i;
        else if (d[i] == '"') in_string = false;
      } else if (d[i] == '"') {
        in_string = true;
      } else {
        balance += d[i] == '(' ? 1 : d[i] == ')' ? -1 : 0;
      }
    }
    CHECK(balance == 0);
  }
}

TEST_CASE("every prefix of a file lowers without crashing", "[lower][error]") {
  // Truncating at every byte produces most shapes of broken tree (MISSING
  // nodes, ERROR nodes, absent fields) the lowering has to survive.
  const std::string src =
      "from ..ops import misc as m, Conv as C\n"
      "@dec(1)\n"
      "class Net(nn.Module, metaclass=M):\n"
      "    def __init__(self, a: int = 1, *args, k, **kw) -> None:\n"
      "        super().__init__()\n"
      "        self.fc = nn.Linear(a, 10)  # comment\n"
      "        x, *y = [i ** 2 for i in range(a) if i], {**kw}\n"
      "        s = f'{a!r:>{w}} {{}}' 'x' b'\\x00'\n"
      "    async def forward(self, x):\n"
      "        try:\n"
      "            with ctx() as (p, q):\n"
      "                return x[:, 0, ..., None] if x is not None else -x\n"
      "        except (A, B) as e:\n"
      "            raise E from e\n"
      "        finally:\n"
      "            del x\n"
      "        lambda q, *r: (q := 1)\n"
      "        while not x: x += 0x_ff; break\n";
  for (size_t n = 0; n <= src.size(); ++n) {
    auto l = LowerText(src.substr(0, n));
    REQUIRE(l->module != nullptr);
    CHECK(Dump(*l->module).size() < 100000);
  }
}

TEST_CASE("deep nesting is cut with one note instead of crashing", "[lower][depth]") {
  SECTION("5000 nested parentheses") {
    std::string src = std::string(5000, '(') + "x" + std::string(5000, ')') + "\n";
    auto l = LowerText(src);
    REQUIRE(l->module->body.size() == 1);
    REQUIRE(l->module->lowering_notes.size() == 1);
    CHECK(l->module->lowering_notes[0].second == "nesting deeper than 400 levels");
    const Expr& e = FirstExpr(*l);
    REQUIRE(e.kind == ExprKind::kUnsupported);
    CHECK(static_cast<const UnsupportedExpr&>(e).what == "nesting deeper than 400 levels");
    CHECK(Dump(*l->module).find("(note 1:") != std::string::npos);
  }
  SECTION("3000 nested lists") {
    std::string src = "y = " + std::string(3000, '[') + "1" + std::string(3000, ']') + "\n";
    auto l = LowerText(src);
    REQUIRE(l->module->body.size() == 1);
    REQUIRE(l->module->lowering_notes.size() == 1);
    // The outer levels are kept; the cut happens below kMaxDepth.
    const auto& a = static_cast<const AssignStmt&>(*l->module->body[0]);
    REQUIRE(a.value->kind == ExprKind::kList);
    std::string d = Dump(*l->module);
    CHECK(d.find("(unsupported \"nesting deeper than 400 levels\")") != std::string::npos);
  }
  SECTION("deep binary chains and calls") {
    std::string chain = "x = 1";
    for (int i = 0; i < 3000; ++i) chain += " + 1";
    auto l = LowerText(chain + "\n");
    CHECK(l->module->lowering_notes.size() == 1);
    std::string calls = "y = ";
    for (int i = 0; i < 2000; ++i) calls += "f(";
    calls += std::string(2000, ')') + "\n";
    CHECK(LowerText(calls)->module->lowering_notes.size() == 1);
  }
  SECTION("a long elif chain") {
    std::string src = "if a:\n    pass\n";
    for (int i = 0; i < 1000; ++i) src += "elif b:\n    pass\n";
    auto l = LowerText(src);
    CHECK(l->module->lowering_notes.size() == 1);
    CHECK(!Dump(*l->module).empty());
  }
  SECTION("moderate nesting is kept whole") {
    std::string src = std::string(100, '[') + "1" + std::string(100, ']') + "\n";
    auto l = LowerText(src);
    CHECK(l->module->lowering_notes.empty());
  }
}

TEST_CASE("long flat constructs do not count as depth", "[lower][depth]") {
  std::string chain = "a";
  for (int i = 0; i < 2000; ++i) chain += " = a";
  auto l = LowerText(chain + " = 0\n");
  CHECK(l->module->lowering_notes.empty());
  REQUIRE(l->module->body.size() == 1);
  CHECK(static_cast<const AssignStmt&>(*l->module->body[0]).targets.size() == 2001);

  std::string args = "f(";
  for (int i = 0; i < 5000; ++i) args += "x, ";
  args += ")\n";
  auto l2 = LowerText(args);
  CHECK(l2->module->lowering_notes.empty());
  CHECK(static_cast<const CallExpr&>(FirstExpr(*l2)).args.size() == 5000);

  std::string strings;
  for (int i = 0; i < 3000; ++i) strings += "'ab' ";
  CHECK(StringValue(strings + "\n").size() == 6000);
}

}  // namespace
}  // namespace shapelint::ir
