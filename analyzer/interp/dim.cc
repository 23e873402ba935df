// dim.cc: the canonical polynomial behind a symbolic Dim (see dim.h).
//
// A Poly is a list of terms coef * monomial in canonical order; a monomial is
// a sorted list of atoms, repeated for powers. Every atom carries a key string
// computed once when it is made; the key both orders atoms and decides their
// identity, so the canonical order (and so the printed form) never depends on
// the order in which values happened to be built. Terms are ordered by degree,
// highest first, then by their atoms' keys, which puts the constant last.
//
// Constants never reach the allocating paths here: Dim keeps them inline and
// every operator tries the constant case first.
//
// Overflow: coefficient arithmetic is checked with __builtin_*_overflow. On
// int64 overflow the whole result becomes a fresh opaque symbol printed
// `?overflow`, distinct from every other Dim, so a wrapped value can produce
// neither a false "equal" nor a false "different"; Substitute never replaces
// it and Symbols does not list it.
//
// `p % c` has no atom of its own: it is built as p - c*(p//c), so a value
// reached through % and the same value reached through // share one form.
#include "analyzer/interp/dim.h"

#include <algorithm>
#include <atomic>
#include <iterator>
#include <limits>
#include <numeric>
#include <utility>

namespace shapelint::interp {

class Poly {
 public:
  struct Atom;
  using AtomPtr = std::shared_ptr<const Atom>;
  // Sorted by Atom::key; a power repeats its atom.
  using Monomial = std::vector<AtomPtr>;
  struct Term {
    int64_t coef;
    Monomial mono;  // empty for the constant term
  };

  // Callers pass terms already in canonical order with nonzero coefficients.
  explicit Poly(std::vector<Term> terms) : terms_(std::move(terms)) {}
  const std::vector<Term>& terms() const { return terms_; }

 private:
  std::vector<Term> terms_;
};

struct Poly::Atom {
  enum class Kind { kSymbol, kFloorDiv };
  Kind kind = Kind::kSymbol;
  // kSymbol.
  std::string name;
  bool opaque = false;  // a fresh `?overflow`: equal only to itself
  // kFloorDiv: inner // divisor, where inner is a canonical remainder (every
  // coefficient and the constant in [0, divisor), not a constant) and
  // divisor >= 2.
  std::shared_ptr<const Poly> inner;
  int64_t divisor = 0;
  // Canonical key: symbols `1<name>\0`, floor divisions `2<poly key>/<c>;`,
  // opaque symbols `3<name>\0<serial>;`. The encoding is prefix-free, so equal
  // keys mean equal atoms; the leading digit sorts symbols before floor
  // divisions, which prints `H + H//2`.
  std::string key;
};

namespace {

using Atom = Poly::Atom;
using AtomPtr = Poly::AtomPtr;
using Monomial = Poly::Monomial;
using Term = Poly::Term;
using Terms = std::vector<Term>;

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

// Opaque symbols need identities that no two overflows share; a process-wide
// counter gives them without any registry.
std::atomic<uint64_t> next_opaque_serial{1};

bool AtomLess(const AtomPtr& a, const AtomPtr& b) {
  return a != b && a->key < b->key;
}

// CompareMonomials: negative when a comes first in canonical order.
int CompareMonomials(const Monomial& a, const Monomial& b) {
  if (a.size() != b.size()) return a.size() > b.size() ? -1 : 1;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) continue;
    int c = a[i]->key.compare(b[i]->key);
    if (c != 0) return c;
  }
  return 0;
}

Dim DimOfTerms(Terms terms) {
  if (terms.empty()) return Dim(0);
  return Dim::FromPoly(std::make_shared<const Poly>(std::move(terms)));
}

Dim DimOfAtom(AtomPtr atom) {
  Terms terms;
  terms.push_back(Term{1, Monomial{std::move(atom)}});
  return DimOfTerms(std::move(terms));
}

Dim Overflow() {
  auto atom = std::make_shared<Atom>();
  atom->name = "?overflow";
  atom->opaque = true;
  atom->key = "3" + atom->name;
  atom->key.push_back('\0');
  atom->key += std::to_string(next_opaque_serial.fetch_add(1, std::memory_order_relaxed));
  atom->key.push_back(';');
  return DimOfAtom(std::move(atom));
}

// The terms of a Dim; a constant is materialized into *scratch.
const Terms& TermsOf(const Dim& d, Terms* scratch) {
  if (!d.is_const()) return d.poly()->terms();
  scratch->clear();
  if (d.value() != 0) scratch->push_back(Term{d.value(), {}});
  return *scratch;
}

// Python's // and % for constants; b != 0. False on overflow (kMin // -1).
// b == -1 is special-cased because kMin % -1 traps on x86.
bool PyFloorDiv(int64_t a, int64_t b, int64_t* q) {
  if (b == -1) return !__builtin_sub_overflow(int64_t{0}, a, q);
  int64_t r = a % b;
  *q = a / b;
  if (r != 0 && ((r < 0) != (b < 0))) --*q;
  return true;
}

int64_t PyMod(int64_t a, int64_t b) {
  if (b == -1) return 0;
  int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}

enum class Quotient { kExact, kInexact, kOverflow };

// ExactQuotient: a / b when b divides a; b != 0.
Quotient ExactQuotient(int64_t a, int64_t b, int64_t* q) {
  if (b == -1) {
    return __builtin_sub_overflow(int64_t{0}, a, q) ? Quotient::kOverflow : Quotient::kExact;
  }
  if (a % b != 0) return Quotient::kInexact;
  *q = a / b;
  return Quotient::kExact;
}

// Normalize: sorts terms into canonical order, merges equal monomials and
// drops zero coefficients. False on overflow.
bool Normalize(Terms* terms) {
  std::sort(terms->begin(), terms->end(), [](const Term& a, const Term& b) {
    return CompareMonomials(a.mono, b.mono) < 0;
  });
  Terms out;
  out.reserve(terms->size());
  for (Term& t : *terms) {
    if (!out.empty() && CompareMonomials(out.back().mono, t.mono) == 0) {
      if (__builtin_add_overflow(out.back().coef, t.coef, &out.back().coef)) return false;
    } else {
      out.push_back(std::move(t));
    }
  }
  out.erase(std::remove_if(out.begin(), out.end(), [](const Term& t) { return t.coef == 0; }),
            out.end());
  *terms = std::move(out);
  return true;
}

// AddTerms: a + b, or a - b when negate_b; both inputs are canonical, so a
// merge keeps the order. False on overflow.
bool AddTerms(const Terms& a, const Terms& b, bool negate_b, Terms* out) {
  out->reserve(a.size() + b.size());
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    int cmp = i == a.size() ? 1 : j == b.size() ? -1 : CompareMonomials(a[i].mono, b[j].mono);
    if (cmp < 0) {
      out->push_back(a[i++]);
      continue;
    }
    int64_t bc = b[j].coef;
    if (negate_b && __builtin_sub_overflow(int64_t{0}, bc, &bc)) return false;
    if (cmp > 0) {
      out->push_back(Term{bc, b[j++].mono});
      continue;
    }
    int64_t sum;
    if (__builtin_add_overflow(a[i].coef, bc, &sum)) return false;
    if (sum != 0) out->push_back(Term{sum, a[i].mono});
    ++i;
    ++j;
  }
  return true;
}

// ScaleTerms: k * a for a nonzero constant k; the order is unchanged.
bool ScaleTerms(const Terms& a, int64_t k, Terms* out) {
  out->reserve(a.size());
  for (const Term& t : a) {
    int64_t c;
    if (__builtin_mul_overflow(t.coef, k, &c)) return false;
    out->push_back(Term{c, t.mono});
  }
  return true;
}

bool MulTerms(const Terms& a, const Terms& b, Terms* out) {
  out->reserve(a.size() * b.size());
  for (const Term& x : a) {
    for (const Term& y : b) {
      Term t;
      if (__builtin_mul_overflow(x.coef, y.coef, &t.coef)) return false;
      t.mono.reserve(x.mono.size() + y.mono.size());
      std::merge(x.mono.begin(), x.mono.end(), y.mono.begin(), y.mono.end(),
                 std::back_inserter(t.mono), AtomLess);
      out->push_back(std::move(t));
    }
  }
  return Normalize(out);
}

// RemoveMonomial: mono with the multiset sub taken out; false when sub is not
// contained in mono.
bool RemoveMonomial(const Monomial& mono, const Monomial& sub, Monomial* rest) {
  size_t i = 0;
  for (const AtomPtr& s : sub) {
    while (i < mono.size() && AtomLess(mono[i], s)) rest->push_back(mono[i++]);
    if (i == mono.size() || AtomLess(s, mono[i])) return false;
    ++i;
  }
  rest->insert(rest->end(), mono.begin() + i, mono.end());
  return true;
}

void AppendPolyKey(const Poly& p, std::string* out) {
  for (const Term& t : p.terms()) {
    *out += std::to_string(t.coef);
    out->push_back(':');
    for (const AtomPtr& a : t.mono) *out += a->key;
    out->push_back(',');
  }
}

AtomPtr MakeFloorDivAtom(Terms inner, int64_t divisor) {
  auto atom = std::make_shared<Atom>();
  atom->kind = Atom::Kind::kFloorDiv;
  atom->inner = std::make_shared<const Poly>(std::move(inner));
  atom->divisor = divisor;
  atom->key = "2";
  AppendPolyKey(*atom->inner, &atom->key);
  atom->key.push_back('/');
  atom->key += std::to_string(divisor);
  atom->key.push_back(';');
  return atom;
}

// FloorDivPositive: canonical a // c for c >= 1 (see the rules in dim.h).
Dim FloorDivPositive(const Dim& a, int64_t c) {
  if (c == 1) return a;
  if (a.is_const()) {
    int64_t q = 0;
    PyFloorDiv(a.value(), c, &q);  // cannot overflow: c >= 2
    return Dim(q);
  }
  // Split every coefficient k into c*floor(k/c) + (k mod c): the first part
  // leaves the division exactly, the second stays inside it.
  Terms quotient, rest;
  int64_t rest_const = 0;
  for (const Term& t : a.poly()->terms()) {
    int64_t q = 0;
    PyFloorDiv(t.coef, c, &q);
    int64_t r = PyMod(t.coef, c);
    if (q != 0) quotient.push_back(Term{q, t.mono});
    if (t.mono.empty()) {
      rest_const = r;
    } else if (r != 0) {
      rest.push_back(Term{r, t.mono});
    }
  }
  Dim result = DimOfTerms(std::move(quotient));
  // A remainder that is a constant in [0, c) divides to 0.
  if (rest.empty()) return result;

  // (g*S + r0)//(g*c') == (S + r0//g)//c' for integer S, so a common factor
  // of the coefficients and c comes out: (2*H + 2)//4 == (H + 1)//2.
  int64_t g = c;
  for (const Term& t : rest) g = std::gcd(g, t.coef);
  if (g > 1) {
    c /= g;
    for (Term& t : rest) t.coef /= g;
    rest_const /= g;
  }

  // (p//a + k)//c == (p + k*a)//(a*c): nested divisions flatten, so
  // (H//2)//2 == H//4. k < c keeps k*a below a*c.
  if (rest.size() == 1 && rest[0].coef == 1 && rest[0].mono.size() == 1 &&
      rest[0].mono[0]->kind == Atom::Kind::kFloorDiv) {
    const Atom& inner_atom = *rest[0].mono[0];
    int64_t ac;
    if (!__builtin_mul_overflow(inner_atom.divisor, c, &ac)) {
      Dim inner = Dim::FromPoly(inner_atom.inner) + rest_const * inner_atom.divisor;
      return result + FloorDivPositive(inner, ac);
    }
  }

  if (rest_const != 0) rest.push_back(Term{rest_const, {}});
  return result + DimOfAtom(MakeFloorDivAtom(std::move(rest), c));
}

// Printing. Python precedence decides the parentheses: `//` binds tighter
// than binary +/- but looser than unary minus, so `-(H//2)` needs them and
// `W - H//2` does not; in a product they keep `16*(H//2)` from reading as
// `(16*H)//2`.
void AppendPoly(const Poly& p, std::string* out);

void AppendAtom(const Atom& atom, bool parenthesize, std::string* out) {
  if (atom.kind == Atom::Kind::kSymbol) {
    *out += atom.name;
    return;
  }
  if (parenthesize) out->push_back('(');
  const Terms& inner = atom.inner->terms();
  if (inner.size() == 1 && inner[0].coef == 1 && inner[0].mono.size() == 1 &&
      inner[0].mono[0]->kind == Atom::Kind::kSymbol) {
    *out += inner[0].mono[0]->name;
  } else {
    out->push_back('(');
    AppendPoly(*atom.inner, out);
    out->push_back(')');
  }
  *out += "//";
  *out += std::to_string(atom.divisor);
  if (parenthesize) out->push_back(')');
}

void AppendPoly(const Poly& p, std::string* out) {
  bool first = true;
  for (const Term& t : p.terms()) {
    bool negative = t.coef < 0;
    // Through uint64_t so that kMin prints without negating it.
    uint64_t magnitude = static_cast<uint64_t>(t.coef);
    if (negative) magnitude = 0 - magnitude;
    if (first) {
      if (negative) out->push_back('-');
    } else {
      *out += negative ? " - " : " + ";
    }
    if (t.mono.empty()) {
      *out += std::to_string(magnitude);
    } else {
      bool product = magnitude != 1 || t.mono.size() > 1 || (first && negative);
      if (magnitude != 1) {
        *out += std::to_string(magnitude);
        out->push_back('*');
      }
      for (size_t i = 0; i < t.mono.size(); ++i) {
        if (i > 0) out->push_back('*');
        AppendAtom(*t.mono[i], product, out);
      }
    }
    first = false;
  }
}

void CollectSymbols(const Poly& p, std::vector<std::string>* out) {
  for (const Term& t : p.terms()) {
    for (const AtomPtr& a : t.mono) {
      if (a->kind == Atom::Kind::kFloorDiv) {
        CollectSymbols(*a->inner, out);
      } else if (!a->opaque) {
        out->push_back(a->name);
      }
    }
  }
}

using Values = std::vector<std::pair<std::string, int64_t>>;

Dim SubstitutePoly(const Poly& p, const Values& values);

Dim SubstituteAtom(const AtomPtr& atom, const Values& values) {
  if (atom->kind == Atom::Kind::kFloorDiv) {
    return FloorDivPositive(SubstitutePoly(*atom->inner, values), atom->divisor);
  }
  if (!atom->opaque) {
    for (const auto& [name, value] : values) {
      if (name == atom->name) return Dim(value);
    }
  }
  return DimOfAtom(atom);
}

// Rebuilt through the Dim operators so the result is canonical again (a
// substituted atom can fold into constants or other terms).
Dim SubstitutePoly(const Poly& p, const Values& values) {
  Dim sum;
  for (const Term& t : p.terms()) {
    Dim product(t.coef);
    for (const AtomPtr& a : t.mono) product = product * SubstituteAtom(a, values);
    sum = sum + product;
  }
  return sum;
}

}  // namespace

Dim Dim::Symbol(const std::string& name) {
  auto atom = std::make_shared<Atom>();
  atom->name = name;
  atom->key = "1" + name;
  atom->key.push_back('\0');
  return DimOfAtom(std::move(atom));
}

Dim Dim::FromPoly(std::shared_ptr<const Poly> p) {
  if (p == nullptr || p->terms().empty()) return Dim(0);
  if (p->terms().size() == 1 && p->terms()[0].mono.empty()) return Dim(p->terms()[0].coef);
  Dim d;
  d.p_ = std::move(p);
  return d;
}

Dim operator+(const Dim& a, const Dim& b) {
  if (a.is_const() && b.is_const()) {
    int64_t r;
    if (__builtin_add_overflow(a.c_, b.c_, &r)) return Overflow();
    return Dim(r);
  }
  if (b.is_const() && b.c_ == 0) return a;
  if (a.is_const() && a.c_ == 0) return b;
  Terms sa, sb, out;
  if (!AddTerms(TermsOf(a, &sa), TermsOf(b, &sb), /*negate_b=*/false, &out)) return Overflow();
  return DimOfTerms(std::move(out));
}

Dim operator-(const Dim& a, const Dim& b) {
  if (a.is_const() && b.is_const()) {
    int64_t r;
    if (__builtin_sub_overflow(a.c_, b.c_, &r)) return Overflow();
    return Dim(r);
  }
  if (b.is_const() && b.c_ == 0) return a;
  if (a.p_ == b.p_) return Dim(0);
  Terms sa, sb, out;
  if (!AddTerms(TermsOf(a, &sa), TermsOf(b, &sb), /*negate_b=*/true, &out)) return Overflow();
  return DimOfTerms(std::move(out));
}

Dim operator*(const Dim& a, const Dim& b) {
  if (a.is_const() && b.is_const()) {
    int64_t r;
    if (__builtin_mul_overflow(a.c_, b.c_, &r)) return Overflow();
    return Dim(r);
  }
  if (a.is_const() || b.is_const()) {
    const Dim& k = a.is_const() ? a : b;
    const Dim& p = a.is_const() ? b : a;
    if (k.c_ == 0) return Dim(0);
    if (k.c_ == 1) return p;
    Terms out;
    if (!ScaleTerms(p.p_->terms(), k.c_, &out)) return Overflow();
    return DimOfTerms(std::move(out));
  }
  Terms out;
  if (!MulTerms(a.p_->terms(), b.p_->terms(), &out)) return Overflow();
  return DimOfTerms(std::move(out));
}

Dim Dim::operator-() const {
  if (is_const()) {
    int64_t r;
    if (__builtin_sub_overflow(int64_t{0}, c_, &r)) return Overflow();
    return Dim(r);
  }
  Terms out;
  if (!ScaleTerms(p_->terms(), -1, &out)) return Overflow();
  return DimOfTerms(std::move(out));
}

std::optional<Dim> Dim::FloorDiv(const Dim& a, const Dim& b) {
  if (!b.is_const()) return DivExact(a, b);
  int64_t c = b.c_;
  if (c == 0) return std::nullopt;
  if (a.is_const()) {
    int64_t q;
    if (!PyFloorDiv(a.c_, c, &q)) return Overflow();
    return Dim(q);
  }
  if (c > 0) return FloorDivPositive(a, c);
  // p // -c == (-p) // c: the same rational, so the same floor.
  if (c == kMin) return std::nullopt;
  return FloorDivPositive(-a, -c);
}

std::optional<Dim> Dim::Mod(const Dim& a, const Dim& b) {
  if (!b.is_const()) {
    if (DivExact(a, b).has_value()) return Dim(0);
    return std::nullopt;
  }
  if (b.c_ == 0) return std::nullopt;
  if (a.is_const()) return Dim(PyMod(a.c_, b.c_));
  std::optional<Dim> q = FloorDiv(a, b);
  if (!q.has_value()) return std::nullopt;
  return a - b * *q;
}

std::optional<Dim> Dim::DivExact(const Dim& a, const Dim& b) {
  if (b.is_const()) {
    int64_t c = b.c_;
    if (c == 0) return std::nullopt;
    if (c == 1) return a;
    if (a.is_const()) {
      int64_t q;
      switch (ExactQuotient(a.c_, c, &q)) {
        case Quotient::kExact: return Dim(q);
        case Quotient::kInexact: return std::nullopt;
        case Quotient::kOverflow: return Overflow();
      }
    }
    Terms out;
    out.reserve(a.p_->terms().size());
    for (const Term& t : a.p_->terms()) {
      int64_t q;
      switch (ExactQuotient(t.coef, c, &q)) {
        case Quotient::kExact: break;
        case Quotient::kInexact: return std::nullopt;
        case Quotient::kOverflow: return Overflow();
      }
      out.push_back(Term{q, t.mono});
    }
    return DimOfTerms(std::move(out));
  }

  // b is symbolic: a nonzero constant a can never be a multiple of it.
  if (a.is_const()) {
    if (a.c_ == 0) return Dim(0);
    return std::nullopt;
  }
  const Terms& bt = b.p_->terms();
  const Terms& at = a.p_->terms();
  if (bt.size() == 1) {
    const Term& d = bt[0];
    Terms out;
    out.reserve(at.size());
    for (const Term& t : at) {
      Term q;
      switch (ExactQuotient(t.coef, d.coef, &q.coef)) {
        case Quotient::kExact: break;
        case Quotient::kInexact: return std::nullopt;
        case Quotient::kOverflow: return Overflow();
      }
      if (!RemoveMonomial(t.mono, d.mono, &q.mono)) return std::nullopt;
      out.push_back(std::move(q));
    }
    // Taking the same atoms out of every monomial can reorder them.
    if (!Normalize(&out)) return Overflow();
    return DimOfTerms(std::move(out));
  }
  // A sum divides a only as a constant multiple here: a == k*b, with k read
  // off the leading terms.
  if (CompareMonomials(at[0].mono, bt[0].mono) != 0) return std::nullopt;
  int64_t k;
  if (ExactQuotient(at[0].coef, bt[0].coef, &k) != Quotient::kExact) return std::nullopt;
  Dim diff = a - b * k;
  if (diff.is_const() && diff.c_ == 0) return Dim(k);
  return std::nullopt;
}

Tri Dim::Equal(const Dim& a, const Dim& b) {
  if (a.is_const() && b.is_const()) return a.c_ == b.c_ ? Tri::kTrue : Tri::kFalse;
  if (a.p_ == b.p_) return Tri::kTrue;
  Dim d = a - b;
  if (!d.is_const()) {
    // Every atom takes integer values, so a - b is a multiple of the gcd g of
    // its non-constant coefficients plus its constant c: never 0 when g does
    // not divide c (16*(H//4)*(W//4) == 1000 holds for no H, W).
    int64_t g = 0, c = 0;
    for (const auto& t : d.p_->terms()) {
      if (t.mono.empty()) {
        c = t.coef;
      } else {
        g = std::gcd(g, t.coef < 0 ? -t.coef : t.coef);
      }
    }
    if (g > 1 && c % g != 0) return Tri::kFalse;
    return Tri::kUnknown;
  }
  return d.c_ == 0 ? Tri::kTrue : Tri::kFalse;
}

std::string Dim::ToString() const {
  if (is_const()) return std::to_string(c_);
  std::string out;
  AppendPoly(*p_, &out);
  return out;
}

std::string Dim::ToShapeString() const {
  if (is_const()) return std::to_string(c_);
  const Terms& t = p_->terms();
  if (t.size() == 1 && t[0].coef == 1 && t[0].mono.size() == 1) {
    std::string out;
    AppendAtom(*t[0].mono[0], /*parenthesize=*/true, &out);
    return out;
  }
  return "(" + ToString() + ")";
}

std::vector<std::string> Dim::Symbols() const {
  std::vector<std::string> names;
  if (is_const()) return names;
  CollectSymbols(*p_, &names);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

Dim Dim::Substitute(const std::vector<std::pair<std::string, int64_t>>& values) const {
  if (is_const() || values.empty()) return *this;
  return SubstitutePoly(*p_, values);
}

}  // namespace shapelint::interp
