// einsum.cc: torch.einsum with an explicit or implicit equation, operands as
// varargs or one list, and `...` broadcasting. torch.einsum is a Python
// function `einsum(*args)`: its only parameter holds tensors, so torch
// records no attributes (the equation is not one).
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

using interp::As;
using interp::Is;
using interp::Tri;
using interp::ValueKind;

bool IsLetter(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }

// Term: one operand's subscripts; '.' stands for the ellipsis.
struct Term {
  std::string letters;
  bool ok = true;
};

Term ParseTerm(const std::string& s) {
  Term t;
  for (size_t i = 0; i < s.size(); ++i) {
    char ch = s[i];
    if (ch == ' ') continue;
    if (ch == '.') {
      if (s.compare(i, 3, "...") != 0 || t.letters.find('.') != std::string::npos) {
        t.ok = false;
        return t;
      }
      t.letters += '.';
      i += 2;
      continue;
    }
    if (!IsLetter(ch)) {
      t.ok = false;
      return t;
    }
    t.letters += ch;
  }
  return t;
}

Finding EinsumMismatch(OpCall& c, const std::string& expected, const std::string& actual, const std::string& detail) {
  Finding f = ShapeMismatch(c, "einsum", 0, 0, detail);
  f.subject = "einsum";
  f.expected = expected;
  f.actual = actual;
  return f;
}

ValuePtr Einsum(OpCall& c) {
  ValuePtr args = c.Get("args");
  if (!interp::IsSeq(args)) return c.Finish(UnknownTensor());
  std::vector<ValuePtr> items = As<interp::SeqValue>(args)->items;
  if (items.empty()) return c.Finish(UnknownTensor());
  const std::string* eq = interp::AsStr(items[0]);
  if (!eq) return c.Finish(UnknownTensor());  // sublist format: not modeled
  std::vector<ValuePtr> operands(items.begin() + 1, items.end());
  if (operands.size() == 1 && interp::IsSeq(operands[0])) operands = As<interp::SeqValue>(operands[0])->items;
  std::vector<const TensorValue*> ts;
  for (const auto& o : operands) {
    if (!Is(o, ValueKind::kTensor) || !As<TensorValue>(o)->rank_known) return c.Finish(UnknownTensor());
    ts.push_back(As<TensorValue>(o));
  }
  std::string lhs = *eq, rhs;
  bool explicit_out = false;
  if (auto arrow = eq->find("->"); arrow != std::string::npos) {
    lhs = eq->substr(0, arrow);
    rhs = eq->substr(arrow + 2);
    explicit_out = true;
  }
  std::vector<Term> terms;
  for (absl::string_view part : absl::StrSplit(lhs, ',')) terms.push_back(ParseTerm(std::string(part)));
  if (terms.size() != ts.size()) {
    return c.Fail(EinsumMismatch(
        c, absl::StrCat(terms.size(), " operands"), absl::StrCat(ts.size(), " operands"),
        absl::StrCat("the equation '", *eq, "' has ", terms.size(), " terms but einsum got ", ts.size(), " operands")));
  }
  std::map<char, Dim> size;
  std::map<char, int> count;
  std::string order;  // letters in first appearance
  std::vector<Dim> ellipsis;
  for (size_t k = 0; k < ts.size(); ++k) {
    const Term& t = terms[k];
    const auto& dims = ts[k]->dims;
    if (!t.ok) return c.Finish(UnknownTensor());
    bool has_ell = t.letters.find('.') != std::string::npos;
    size_t named = t.letters.size() - (has_ell ? 1 : 0);
    if (has_ell ? dims.size() < named : dims.size() != named) {
      return c.Fail(EinsumMismatch(c, absl::StrCat(named, has_ell ? " or more dims" : " dims"),
                                   absl::StrCat(dims.size(), " dims"),
                                   absl::StrCat("the subscripts '", t.letters == "." ? "..." : t.letters,
                                                "' of operand ", k, " do not match its shape ", ts[k]->ShapeString())));
    }
    size_t ell_len = dims.size() - named;
    size_t di = 0;
    for (char ch : t.letters) {
      if (ch == '.') {
        std::vector<Dim> e(dims.begin() + di, dims.begin() + di + ell_len);
        ops::BroadcastResult b = ops::Broadcast(ellipsis, e);
        if (!b.ok) {
          return c.Fail(EinsumMismatch(c, ops::ShapeString(ellipsis), ops::ShapeString(e),
                                       "the dimensions covered by '...' do not broadcast"));
        }
        ellipsis = b.dims;
        di += ell_len;
        continue;
      }
      const Dim& d = dims[di++];
      ++count[ch];
      auto it = size.find(ch);
      if (it == size.end()) {
        size.emplace(ch, d);
        order += ch;
      } else if (Dim::Equal(it->second, d) == Tri::kFalse) {
        bool one_a = it->second.is_const() && it->second.value() == 1, one_b = d.is_const() && d.value() == 1;
        if (!one_a && !one_b) {
          return c.Fail(EinsumMismatch(c, it->second.ToString(), d.ToString(),
                                       absl::StrCat("subscript '", std::string(1, ch), "' has size ",
                                                    it->second.ToString(), " in one operand and ", d.ToString(),
                                                    " in operand ", k, " (shape ", ts[k]->ShapeString(), ")")));
        }
        if (one_a) it->second = d;
      }
    }
  }
  std::string out_letters;
  if (explicit_out) {
    Term t = ParseTerm(rhs);
    if (!t.ok) return c.Finish(UnknownTensor());
    out_letters = t.letters;
    for (char ch : out_letters) {
      if (ch != '.' && !size.count(ch)) {
        return c.Fail(EinsumMismatch(c, "a subscript of the inputs", std::string(1, ch),
                                     absl::StrCat("output subscript '", std::string(1, ch),
                                                  "' does not appear in the equation for any input operand")));
      }
    }
  } else {
    // Implicit output: the ellipsis, then letters seen once, alphabetically.
    bool any_ell = lhs.find("...") != std::string::npos;
    if (any_ell) out_letters += '.';
    std::string once;
    for (auto& [ch, n] : count)
      if (n == 1) once += ch;
    std::sort(once.begin(), once.end());
    out_letters += once;
  }
  std::vector<Dim> out;
  for (char ch : out_letters) {
    if (ch == '.')
      out.insert(out.end(), ellipsis.begin(), ellipsis.end());
    else
      out.push_back(size[ch]);
  }
  // A contraction over several operands is a matrix product: one multiply-add
  // per combination of every subscript (and the broadcast '...' dims).
  bool contracts = false;
  for (char ch : order) contracts |= out_letters.find(ch) == std::string::npos;
  if (contracts && ts.size() >= 2) {
    Dim macs = ops::Numel(ellipsis);
    for (char ch : order) macs = macs * size[ch];
    c.in().AddMacs(macs);
  }
  return c.Finish(MakeTensor(out, ts[0]->dtype));
}

}  // namespace

void RegisterTorchEinsum(OpRegistry& r) { r.AddOp({"torch.einsum", "*args", Einsum}); }

}  // namespace shapelint::rules
