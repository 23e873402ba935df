// dim_test.cc: the symbolic size algebra. Fixed identities and printed forms
// first, then brute-force checks: the conv output formula over H in [1, 200],
// and random expressions whose canonical forms must agree, after Substitute,
// with Python integer semantics computed directly.
#include "analyzer/interp/dim.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace shapelint::interp {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

Dim FD(const Dim& a, const Dim& b) {
  std::optional<Dim> r = Dim::FloorDiv(a, b);
  REQUIRE(r.has_value());
  return *r;
}

Dim Md(const Dim& a, const Dim& b) {
  std::optional<Dim> r = Dim::Mod(a, b);
  REQUIRE(r.has_value());
  return *r;
}

Dim DE(const Dim& a, const Dim& b) {
  std::optional<Dim> r = Dim::DivExact(a, b);
  REQUIRE(r.has_value());
  return *r;
}

// Python's // and % on small values (the tests keep them far from overflow).
int64_t PyDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if (a % b != 0 && ((a % b < 0) != (b < 0))) --q;
  return q;
}

int64_t PyMod(int64_t a, int64_t b) { return a - b * PyDiv(a, b); }

// Same: both canonical forms and printed forms agree.
void RequireSame(const Dim& a, const Dim& b) {
  INFO(a.ToString() << " vs " << b.ToString());
  REQUIRE(a.Identical(b));
  REQUIRE(a.ToString() == b.ToString());
}

TEST_CASE("Dim constants fold without a polynomial", "[dim]") {
  Dim a = 6, b = 4;
  REQUIRE((a + b).as_const() == 10);
  REQUIRE((a - b).as_const() == 2);
  REQUIRE((a * b).as_const() == 24);
  REQUIRE((-a).as_const() == -6);
  REQUIRE(FD(7, 2).as_const() == 3);
  REQUIRE(FD(-7, 2).as_const() == -4);
  REQUIRE(FD(7, -2).as_const() == -4);
  REQUIRE(FD(-7, -2).as_const() == 3);
  REQUIRE(Md(-7, 2).as_const() == 1);
  REQUIRE(Md(7, -2).as_const() == -1);
  REQUIRE(Md(-7, -2).as_const() == -1);
  REQUIRE(DE(12, -4).as_const() == -3);
  REQUIRE_FALSE(Dim::DivExact(12, 5).has_value());
  REQUIRE_FALSE(Dim::FloorDiv(3, 0).has_value());
  REQUIRE_FALSE(Dim::Mod(3, 0).has_value());
  REQUIRE_FALSE(Dim::DivExact(3, 0).has_value());
  REQUIRE(Dim().is_const());
  REQUIRE(Dim().value() == 0);
  REQUIRE(Dim(-3).ToString() == "-3");
  REQUIRE(Dim(-3).ToShapeString() == "-3");
}

TEST_CASE("Dim polynomials that cancel fold back to constants", "[dim]") {
  Dim h = Dim::Symbol("H");
  Dim w = Dim::Symbol("W");
  REQUIRE((h - h).is_const());
  REQUIRE((h + 3 - h).as_const() == 3);
  REQUIRE(((h + w) * (h - w) - h * h + w * w).as_const() == 0);
  REQUIRE((h * 0).as_const() == 0);
  REQUIRE(Dim::FromPoly(nullptr).as_const() == 0);
  // A symbol made twice is the same symbol.
  RequireSame(Dim::Symbol("H") + 1, h + 1);
}

TEST_CASE("Dim floor division identities", "[dim]") {
  Dim h = Dim::Symbol("H");
  Dim w = Dim::Symbol("W");
  RequireSame(FD(h - 1, 2) + 1, FD(h + 1, 2));
  RequireSame(FD(4 * h + 2, 2), 2 * h + 1);
  RequireSame(FD(3 * h, 2), h + FD(h, 2));
  RequireSame(FD(FD(h, 2), 2), FD(h, 4));
  RequireSame(FD(h + 2 * 1 - 1 * (3 - 1) - 1, 1) + 1, h);
  RequireSame(FD(2 * h + 2, 4), FD(h + 1, 2));
  RequireSame(FD(FD(h, 2) + 1, 2), FD(h + 2, 4));
  RequireSame(FD(h, -2), FD(-h, 2));
  RequireSame(FD(h + 5, 5), FD(h, 5) + 1);
  RequireSame(FD(-h, 1), -h);
  RequireSame(Md(h, 2), h - 2 * FD(h, 2));
  RequireSame(Md(2 * h + 1, 2), Dim(1));
  RequireSame(Md(h + 2, 2), Md(h, 2));
  REQUIRE(Md(4 * h * w, 2).as_const() == 0);
  // Symbolic divisors: exact quotients only.
  RequireSame(FD(h * w, h), w);
  REQUIRE(Md(h * w, w).as_const() == 0);
  REQUIRE_FALSE(Dim::FloorDiv(h + 1, h).has_value());
  REQUIRE_FALSE(Dim::Mod(h + 1, h).has_value());
}

TEST_CASE("Dim DivExact", "[dim]") {
  Dim b = Dim::Symbol("B");
  Dim h = Dim::Symbol("H");
  Dim w = Dim::Symbol("W");
  REQUIRE(DE(b * 16 * 26 * 26, b).as_const() == 10816);
  RequireSame(DE(b * 4096, 4096), b);
  RequireSame(DE(16 * FD(h, 2) * FD(w, 2) * b, b * 16), FD(h, 2) * FD(w, 2));
  RequireSame(DE(6 * h * h + 4 * h, 2 * h), 3 * h + 2);
  RequireSame(DE(2 * h + 2, h + 1), Dim(2));
  RequireSame(DE(-h, -1), h);
  REQUIRE(DE(0, h).as_const() == 0);
  REQUIRE_FALSE(Dim::DivExact(b * 6, 4).has_value());
  REQUIRE_FALSE(Dim::DivExact(b * h + 1, b).has_value());
  REQUIRE_FALSE(Dim::DivExact(b * 6, 4 * b).has_value());
  REQUIRE_FALSE(Dim::DivExact(7, b).has_value());
  REQUIRE_FALSE(Dim::DivExact(h * h, h + 1).has_value());
}

TEST_CASE("Dim Equal is three-valued", "[dim]") {
  Dim h = Dim::Symbol("H");
  Dim w = Dim::Symbol("W");
  REQUIRE(Dim::Equal(3, 3) == Tri::kTrue);
  REQUIRE(Dim::Equal(3, 4) == Tri::kFalse);
  REQUIRE(Dim::Equal(h + 1, 1 + h) == Tri::kTrue);
  REQUIRE(Dim::Equal(h + 1, h) == Tri::kFalse);
  REQUIRE(Dim::Equal(h, w) == Tri::kUnknown);
  REQUIRE(Dim::Equal(h, 4) == Tri::kUnknown);
  REQUIRE(Dim::Equal(2 * FD(h, 2), h) == Tri::kUnknown);
  REQUIRE(Dim::Equal(FD(h, 2) * FD(w, 2) * 16, 16 * FD(w, 2) * FD(h, 2)) == Tri::kTrue);
  // Integer atoms: a multiple of 16 is never 1000, but may be 1024.
  REQUIRE(Dim::Equal(16 * FD(h, 4) * FD(w, 4), 1000) == Tri::kFalse);
  REQUIRE(Dim::Equal(16 * FD(h, 4) * FD(w, 4), 1024) == Tri::kUnknown);
  REQUIRE(Dim::Equal(6 * h + 4 * w, 9) == Tri::kFalse);
  REQUIRE(Dim::Equal(6 * h + 4 * w, 10) == Tri::kUnknown);
}

TEST_CASE("Dim printing", "[dim]") {
  Dim b = Dim::Symbol("B");
  Dim h = Dim::Symbol("H");
  Dim w = Dim::Symbol("W");
  Dim h2 = FD(h, 2), w2 = FD(w, 2);

  REQUIRE(b.ToString() == "B");
  REQUIRE((h + 2).ToString() == "H + 2");
  REQUIRE((h - 1).ToString() == "H - 1");
  REQUIRE((2 - h).ToString() == "-H + 2");
  REQUIRE((-h).ToString() == "-H");
  REQUIRE((16 * b).ToString() == "16*B");
  REQUIRE((b * 16).ToString() == "16*B");
  REQUIRE((-3 * h).ToString() == "-3*H");
  REQUIRE((w * h).ToString() == "H*W");
  REQUIRE((h * h * 3).ToString() == "3*H*H");
  REQUIRE((h * w + w + h + 1).ToString() == "H*W + H + W + 1");
  REQUIRE(h2.ToString() == "H//2");
  REQUIRE(FD(h + 1, 2).ToString() == "(H + 1)//2");
  REQUIRE(FD(2 * h, 3).ToString() == "(2*H)//3");
  REQUIRE(FD(h * w, 2).ToString() == "(H*W)//2");
  REQUIRE((16 * h2 * w2).ToString() == "16*(H//2)*(W//2)");
  REQUIRE((h2 * w2).ToString() == "(H//2)*(W//2)");
  REQUIRE((b * h2).ToString() == "B*(H//2)");
  REQUIRE(FD(3 * h, 2).ToString() == "H + H//2");
  REQUIRE((-h2).ToString() == "-(H//2)");
  REQUIRE((w - h2).ToString() == "W - H//2");
  REQUIRE(Md(h, 2).ToString() == "H - 2*(H//2)");
  REQUIRE(FD(FD(h, 2) * w + 1, 3).ToString() == "(W*(H//2) + 1)//3");

  REQUIRE(b.ToShapeString() == "B");
  REQUIRE(h2.ToShapeString() == "(H//2)");
  REQUIRE(FD(h + 1, 2).ToShapeString() == "((H + 1)//2)");
  REQUIRE((16 * b).ToShapeString() == "(16*B)");
  REQUIRE((h + 2).ToShapeString() == "(H + 2)");
  REQUIRE(Dim(16).ToShapeString() == "16");
  std::string shape = b.ToShapeString() + "x" + Dim(16).ToShapeString() + "x" +
                      h2.ToShapeString() + "x" + w2.ToShapeString();
  REQUIRE(shape == "Bx16x(H//2)x(W//2)");
}

TEST_CASE("Dim Symbols and Substitute", "[dim]") {
  Dim b = Dim::Symbol("B");
  Dim h = Dim::Symbol("H");
  Dim w = Dim::Symbol("W");
  Dim d = 16 * b * FD(h + 1, 2) * FD(w, 2) + h;
  REQUIRE(d.Symbols() == std::vector<std::string>{"B", "H", "W"});
  REQUIRE(Dim(3).Symbols().empty());
  REQUIRE(d.Substitute({{"B", 2}, {"H", 31}, {"W", 32}}).as_const() == 16 * 2 * 16 * 16 + 31);
  // Partial substitution keeps the rest canonical.
  RequireSame(d.Substitute({{"H", 31}, {"W", 32}}), 16 * 16 * 16 * b + 31);
  RequireSame(d.Substitute({{"B", 1}}), 16 * FD(h + 1, 2) * FD(w, 2) + h);
  RequireSame(d.Substitute({}), d);
  RequireSame(d.Substitute({{"X", 1}}), d);
}

TEST_CASE("Dim conv output size agrees with brute force", "[dim]") {
  Dim h = Dim::Symbol("H");
  for (int64_t k : {1, 2, 3, 5, 7, 11}) {
    for (int64_t s : {1, 2, 3, 4}) {
      for (int64_t p : {0, 1, 2, 3, 5}) {
        for (int64_t d : {1, 2, 3}) {
          Dim out = FD(h + 2 * p - d * (k - 1) - 1, s) + 1;
          INFO("k=" << k << " s=" << s << " p=" << p << " d=" << d << " out=" << out.ToString());
          if (s == 1) RequireSame(out, h + 2 * p - d * (k - 1));
          for (int64_t hv = 1; hv <= 200; ++hv) {
            Dim v = out.Substitute({{"H", hv}});
            REQUIRE(v.is_const());
            REQUIRE(v.value() == PyDiv(hv + 2 * p - d * (k - 1) - 1, s) + 1);
          }
        }
      }
    }
  }
  // The usual "same" padding and stride-2 downsampling forms.
  RequireSame(FD(h + 2 * 1 - 1 * (3 - 1) - 1, 1) + 1, h);
  RequireSame(FD(h + 2 * 1 - 1 * (3 - 1) - 1, 2) + 1, FD(h + 1, 2));
  RequireSame(FD(h - 2, 2) + 1, FD(h, 2));
}

TEST_CASE("Dim arithmetic overflow becomes an opaque symbol", "[dim]") {
  Dim h = Dim::Symbol("H");
  std::vector<Dim> overflows = {
      Dim(kMax) + 1,
      Dim(kMin) - 1,
      Dim(kMax) * 2,
      Dim(kMin) * -1,
      -Dim(kMin),
      FD(kMin, -1),
      DE(kMin, -1),
      h * kMax + h * kMax,
      h * kMin - h,
      -(h * kMin),
      (h + kMax) * (h + kMax),
      h * kMax * 2,
      FD(h * kMin, -1),
      DE(h * kMin, -h),
  };
  for (const Dim& d : overflows) {
    INFO(d.ToString());
    REQUIRE_FALSE(d.is_const());
    REQUIRE(d.ToString() == "?overflow");
    REQUIRE(d.Symbols().empty());
    REQUIRE(d.Identical(d));
    REQUIRE(d.Substitute({{"?overflow", 1}, {"H", 1}}).Identical(d));
  }
  // Two overflows are never known equal, nor known different.
  REQUIRE(Dim::Equal(overflows[0], overflows[1]) == Tri::kUnknown);
  REQUIRE(Dim::Equal(overflows[0], overflows[0] + 1) == Tri::kFalse);
  REQUIRE(Md(kMin, -1).as_const() == 0);
  REQUIRE(FD(kMin, 1).as_const() == kMin);
  // Large but representable values stay exact.
  REQUIRE((Dim(kMax) - 1 + 1).as_const() == kMax);
  REQUIRE(FD(h * kMin + kMax, 3).Substitute({{"H", 0}}).as_const() == kMax / 3);
  REQUIRE(FD(h * kMin, 3).Substitute({{"H", 1}}).as_const() == PyDiv(kMin, 3));
  REQUIRE(Md(h * kMax + 5, 7).as_const() == 5);  // 7 divides kMax
  REQUIRE((h * kMin).ToString() == "-9223372036854775808*H");
  REQUIRE_FALSE(Dim::FloorDiv(h, kMin).has_value());
}

// Random expressions: a tree evaluated two ways, symbolically through Dim and
// numerically with Python semantics. Leaves are within 14 of zero and a
// product of two trees has at most 16 leaves, so 14^16 < 2^63 keeps both
// sides (and every expanded term) clear of overflow.
struct Expr {
  enum Kind { kConst, kSym, kAdd, kSub, kMul, kNeg, kFloorDiv, kMod, kDivExact } kind;
  int64_t value = 0;  // kConst
  std::string name;   // kSym
  std::shared_ptr<Expr> a, b;
  Dim dim;
};
using ExprPtr = std::shared_ptr<Expr>;
using Env = std::vector<std::pair<std::string, int64_t>>;

const char* const kNames[] = {"B", "H", "W"};

// Eval: the Python value, or nullopt where Python would raise (a zero
// divisor inside an exact division by a symbolic divisor).
std::optional<int64_t> Eval(const Expr& e, const Env& env) {
  switch (e.kind) {
    case Expr::kConst: return e.value;
    case Expr::kSym:
      for (const auto& [n, v] : env) {
        if (n == e.name) return v;
      }
      return std::nullopt;
    default: break;
  }
  std::optional<int64_t> x = Eval(*e.a, env);
  if (!x.has_value()) return std::nullopt;
  if (e.kind == Expr::kNeg) return -*x;
  std::optional<int64_t> y = Eval(*e.b, env);
  if (!y.has_value()) return std::nullopt;
  switch (e.kind) {
    case Expr::kAdd: return *x + *y;
    case Expr::kSub: return *x - *y;
    case Expr::kMul: return *x * *y;
    case Expr::kFloorDiv:
      if (*y == 0) return std::nullopt;
      return PyDiv(*x, *y);
    case Expr::kMod:
      if (*y == 0) return std::nullopt;
      return PyMod(*x, *y);
    case Expr::kDivExact:
      if (*y == 0) return std::nullopt;
      if (*x % *y != 0) FAIL("DivExact claimed an inexact quotient");
      return *x / *y;
    default: return std::nullopt;
  }
}

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}

  int64_t Int(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }

  ExprPtr Leaf() {
    auto e = std::make_shared<Expr>();
    if (Int(0, 2) == 0) {
      e->kind = Expr::kConst;
      e->value = Int(-5, 5);
      e->dim = e->value;
    } else {
      e->kind = Expr::kSym;
      e->name = kNames[Int(0, 2)];
      e->dim = Dim::Symbol(e->name);
    }
    return e;
  }

  ExprPtr Make(int depth) {
    if (depth == 0 || Int(0, 3) == 0) return Leaf();
    auto e = std::make_shared<Expr>();
    e->kind = static_cast<Expr::Kind>(Int(Expr::kAdd, Expr::kDivExact));
    e->a = Make(depth - 1);
    const Dim& x = e->a->dim;
    switch (e->kind) {
      case Expr::kAdd:
      case Expr::kSub:
      case Expr::kMul:
        e->b = Make(depth - 1);
        e->dim = e->kind == Expr::kAdd ? x + e->b->dim
                 : e->kind == Expr::kSub ? x - e->b->dim
                                         : x * e->b->dim;
        break;
      case Expr::kNeg: e->dim = -x; break;
      case Expr::kFloorDiv:
      case Expr::kMod: {
        // Mostly constant divisors of either sign; sometimes a symbolic one,
        // which must give an exact quotient or nothing.
        if (Int(0, 4) == 0) {
          e->b = Make(depth - 1);
        } else {
          e->b = std::make_shared<Expr>();
          e->b->kind = Expr::kConst;
          do e->b->value = Int(-7, 7); while (e->b->value == 0);
          e->b->dim = e->b->value;
        }
        std::optional<Dim> r = e->kind == Expr::kFloorDiv ? Dim::FloorDiv(x, e->b->dim)
                                                           : Dim::Mod(x, e->b->dim);
        if (e->b->dim.is_const() && e->b->dim.value() != 0) REQUIRE(r.has_value());
        if (!r.has_value()) return e->a;
        e->dim = *r;
        break;
      }
      case Expr::kDivExact: {
        // Build a multiple half the time, so the exact path is exercised.
        e->b = Make(depth - 1);
        Dim num = Int(0, 1) == 0 ? x * e->b->dim : x;
        if (!num.Identical(x)) {
          auto m = std::make_shared<Expr>();
          m->kind = Expr::kMul;
          m->a = e->a;
          m->b = e->b;
          m->dim = num;
          e->a = m;
        }
        std::optional<Dim> r = Dim::DivExact(num, e->b->dim);
        if (!r.has_value()) return e->a;
        e->dim = *r;
        // A claimed quotient times the divisor gives back the dividend.
        REQUIRE((*r * e->b->dim).Identical(num));
        break;
      }
      default: break;
    }
    return e;
  }

  Env RandomEnv() {
    Env env;
    for (const char* n : kNames) env.emplace_back(n, Int(-9, 9));
    return env;
  }

 private:
  std::mt19937 rng_;
};

TEST_CASE("Dim random expressions agree with Python semantics", "[dim][property]") {
  Gen gen(12345);
  for (int iter = 0; iter < 3000; ++iter) {
    ExprPtr e = gen.Make(3);
    ExprPtr f = gen.Make(3);
    const Dim& de = e->dim;
    const Dim& df = f->dim;
    INFO("e = " << de.ToString() << "; f = " << df.ToString());
    REQUIRE(de.ToString() != "?overflow");

    // The canonical form does not depend on operand order.
    RequireSame(de + df, df + de);
    RequireSame(de * df, df * de);
    RequireSame((de - df) + df, de);
    Tri eq = Dim::Equal(de, df);
    std::optional<Dim> fd_const = Dim::FloorDiv(de, 3);
    std::optional<Dim> md_neg = Dim::Mod(de, -4);
    std::optional<Dim> q = Dim::DivExact(de, df);
    std::optional<Dim> fd_sym = Dim::FloorDiv(de, df);
    REQUIRE(fd_const.has_value());
    REQUIRE(md_neg.has_value());
    // Mod keeps the identity a == b*(a//b) + a%b.
    RequireSame(3 * *fd_const + *Dim::Mod(de, 3), de);

    for (int sample = 0; sample < 12; ++sample) {
      Env env = gen.RandomEnv();
      std::optional<int64_t> ve = Eval(*e, env);
      std::optional<int64_t> vf = Eval(*f, env);
      Dim se = de.Substitute(env);
      Dim sf = df.Substitute(env);
      REQUIRE(se.is_const());
      REQUIRE(sf.is_const());
      if (ve.has_value()) REQUIRE(se.value() == *ve);
      if (vf.has_value()) REQUIRE(sf.value() == *vf);
      int64_t x = se.value(), y = sf.value();
      if (eq == Tri::kTrue) REQUIRE(x == y);
      if (eq == Tri::kFalse) REQUIRE(x != y);
      REQUIRE((de + df).Substitute(env).as_const() == x + y);
      REQUIRE((de - df).Substitute(env).as_const() == x - y);
      REQUIRE((de * df).Substitute(env).as_const() == x * y);
      REQUIRE((-de).Substitute(env).as_const() == -x);
      REQUIRE(fd_const->Substitute(env).as_const() == PyDiv(x, 3));
      REQUIRE(md_neg->Substitute(env).as_const() == PyMod(x, -4));
      for (int64_t c : {-7, -2, -1, 1, 2, 5, 6}) {
        REQUIRE(FD(de, c).Substitute(env).as_const() == PyDiv(x, c));
        REQUIRE(Md(de, c).Substitute(env).as_const() == PyMod(x, c));
        REQUIRE(FD(de + c * df, c).Substitute(env).as_const() == PyDiv(x + c * y, c));
      }
      if (y != 0) {
        if (q.has_value()) {
          REQUIRE(x % y == 0);
          REQUIRE(q->Substitute(env).as_const() == x / y);
        }
        if (fd_sym.has_value()) REQUIRE(fd_sym->Substitute(env).as_const() == PyDiv(x, y));
      }
    }
  }
}

TEST_CASE("Dim nested floor divisions agree with brute force", "[dim][property]") {
  Dim h = Dim::Symbol("H");
  Dim w = Dim::Symbol("W");
  for (int64_t a = 1; a <= 6; ++a) {
    for (int64_t b = 1; b <= 6; ++b) {
      for (int64_t k = -3; k <= 3; ++k) {
        for (int64_t m = 1; m <= 3; ++m) {
          Dim d = FD(m * FD(h + k, a) + w + k, b);
          Dim flat = FD(FD(m * h + k, a) + k, b);
          for (int64_t hv = -15; hv <= 15; ++hv) {
            int64_t wv = hv * 3 % 7;
            Env env = {{"H", hv}, {"W", wv}};
            REQUIRE(d.Substitute(env).as_const() == PyDiv(m * PyDiv(hv + k, a) + wv + k, b));
            REQUIRE(flat.Substitute(env).as_const() == PyDiv(PyDiv(m * hv + k, a) + k, b));
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace shapelint::interp
