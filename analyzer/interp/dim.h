// dim.h: symbolic integers for tensor sizes. A Dim is a constant or a
// polynomial with integer coefficients over atoms; an atom is a named symbol
// (`B`, `H`) or a floor division `(p)//c` of a polynomial by a constant c >= 2.
// The form is canonical, so `16*(H//2)*(W//2)` equals itself however it was
// built, and equality is decided by subtraction:
//   a - b == 0            -> kTrue   (equal for every value of the symbols)
//   a - b == nonzero const -> kFalse (different for every value)
//   otherwise             -> kUnknown.
// Canonical floor division by a constant c pulls out every term whose
// coefficient c divides (exact because the symbols are integers):
//   (c*q + r)//c == q + r//c,   and the remainder's constant is reduced into
//   [0, c) and its coefficients into [0, c), so (H - 1)//2 + 1 == (H + 1)//2.
// A factor common to those coefficients and c cancels ((2*H + 2)//4 ==
// (H + 1)//2) and nested divisions flatten ((H//2 + 1)//2 == (H + 2)//4).
// A remainder `p % c` is kept as p - c*(p//c), not as an atom of its own, so a
// value has one form whether it was reached through % or through //.
// Arithmetic never wraps: when a coefficient would overflow int64, the result
// is a fresh opaque symbol printed `?overflow`, equal only to itself (so it
// can never make two sizes look equal or different), never substituted and
// not listed by Symbols().
#ifndef SHAPELINT_INTERP_DIM_H_
#define SHAPELINT_INTERP_DIM_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace shapelint::interp {

enum class Tri { kFalse, kTrue, kUnknown };

class Poly;  // dim.cc

class Dim {
 public:
  Dim() = default;                       // 0
  Dim(int64_t c) : c_(c) {}              // NOLINT: implicit from constants
  static Dim Symbol(const std::string& name);

  bool is_const() const { return p_ == nullptr; }
  int64_t value() const { return c_; }   // only when is_const()
  std::optional<int64_t> as_const() const {
    if (is_const()) return c_;
    return std::nullopt;
  }

  // ToString: `16*(H//2)*(W//2)`, `B`, `H + 2`, `(H + 1)//2`, `-3`.
  std::string ToString() const;
  // ToShapeString: as ToString, parenthesized unless a constant or a single
  // symbol/atom, for joining with 'x': `Bx16x(H//2)x(W//2)`, `Bx(H + 2)`.
  std::string ToShapeString() const;

  friend Dim operator+(const Dim& a, const Dim& b);
  friend Dim operator-(const Dim& a, const Dim& b);
  friend Dim operator*(const Dim& a, const Dim& b);
  Dim operator-() const;

  // FloorDiv / Mod: Python semantics (floor toward -inf). nullopt when the
  // divisor is zero or not a positive constant and the quotient is not exact.
  static std::optional<Dim> FloorDiv(const Dim& a, const Dim& b);
  static std::optional<Dim> Mod(const Dim& a, const Dim& b);
  // DivExact: a / b when b divides a for every value of the symbols (b a
  // nonzero constant dividing every coefficient, or a monomial contained in
  // every term of a); nullopt otherwise.
  static std::optional<Dim> DivExact(const Dim& a, const Dim& b);

  static Tri Equal(const Dim& a, const Dim& b);
  // Identical: canonical forms are the same (Equal(a, b) == kTrue).
  bool Identical(const Dim& other) const { return Equal(*this, other) == Tri::kTrue; }

  // Symbols: names of the symbols this Dim mentions, sorted and unique
  // (`?overflow` is not a name the user can give a value to, so it is left out).
  std::vector<std::string> Symbols() const;
  // Substitute: replaces symbols by constants (for "e.g. H = W = 32" hints).
  Dim Substitute(const std::vector<std::pair<std::string, int64_t>>& values) const;

  // Internal: wraps a canonical polynomial (constant polynomials fold to c_).
  static Dim FromPoly(std::shared_ptr<const Poly> p);
  const std::shared_ptr<const Poly>& poly() const { return p_; }

 private:
  int64_t c_ = 0;
  std::shared_ptr<const Poly> p_;  // null => constant c_
};

}  // namespace shapelint::interp

#endif  // SHAPELINT_INTERP_DIM_H_
