#include "rules/torch/common.h"

namespace shapelint::rules {

Span DefSpanOfCurrentLayer(ops::Bound& call) {
  interp::InstanceValue* m = call.in().CurrentModule();
  if (m == nullptr || !m->module) return Span{};
  return m->module->created_at;
}

Finding ShapeMismatch(OpCall& call, const std::string& what, const Dim& expected, const Dim& actual,
                      const std::string& detail) {
  Finding f;
  f.kind = FindingKind::kShapeMismatch;
  f.subject = what;
  f.expected = expected.ToString();
  f.actual = actual.ToString();
  f.detail = detail;
  f.def_span = DefSpanOfCurrentLayer(call);
  return f;
}

Dim FreshDim() {
  static int counter = 0;
  return Dim::Symbol("?" + std::to_string(++counter));
}

ValuePtr TupleOf(const std::vector<Dim>& dims) {
  std::vector<ValuePtr> items;
  for (const auto& d : dims) items.push_back(interp::MakeInt(d));
  return interp::MakeTuple(std::move(items));
}

ValuePtr UnknownTensor() { return MakeUnknownRankTensor(); }

ValuePtr SameAs(const TensorValue& t) {
  if (!t.rank_known) return MakeUnknownRankTensor(t.dtype);
  return MakeTensor(t.dims, t.dtype);
}

const std::vector<Dim>* DimsOf(const TensorValue* t) {
  if (t == nullptr || !t->rank_known) return nullptr;
  return &t->dims;
}

}  // namespace shapelint::rules
