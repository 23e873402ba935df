#include "rules/torch/common.h"

#include <cmath>
#include <functional>

namespace shapelint::rules {

void AddFunctionAndMethod(OpRegistry& r, const std::string& name, const std::string& rest, ops::OpFn fn) {
  std::string tail = rest.empty() ? "" : ", " + rest;
  r.AddOp({"torch." + name, "input: Tensor" + tail, fn});
  r.AddOp({"torch.Tensor." + name, "self: Tensor" + tail, fn});
}

TensorValue* SelfOrInput(OpCall& c) {
  TensorValue* t = c.Tensor("input");
  return t != nullptr ? t : c.Tensor("self");
}

Span DefSpanOfCurrentLayer(ops::Bound& call) {
  interp::InstanceValue* m = call.in().CurrentModule();
  // Only a modeled layer's construction sets sizes; a user module's is not
  // where an op inside its forward got them.
  if (m == nullptr || !m->module || !m->cls->is_native) return Span{};
  return m->module->created_at;
}

std::string OpDisplayName(OpCall& call) {
  std::string op = call.spec().name;
  return op.rfind("torch.", 0) == 0 ? op.substr(6) : op;
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
  if (!f.def_span.valid()) f.callee = OpDisplayName(call);
  return f;
}

namespace {

// InputSymbols: the symbols of `d` when all of them are names a user can
// give a value to (no `?N` fresh sizes from unknown ops); empty otherwise.
std::vector<std::string> InputSymbols(const Dim& d) {
  std::vector<std::string> out = d.Symbols();
  for (const auto& s : out)
    if (s.empty() || s[0] == '?') return {};
  return out;
}

// Example: the smallest size s (every symbol but the batch set to s, the
// batch to 1) for which `holds` is true, as "H = W = 32"; "" when none up to
// 4096.
std::string Example(const std::vector<std::string>& symbols, const std::function<bool(const Dim&)>& holds,
                    const Dim& subject) {
  bool has_other = false;
  for (const auto& s : symbols) has_other |= s != "B";
  for (int64_t v = 1; v <= 4096; ++v) {
    std::vector<std::pair<std::string, int64_t>> values;
    std::string names;
    for (const auto& s : symbols) {
      bool batch = s == "B" && has_other;
      values.emplace_back(s, batch ? 1 : v);
      if (!batch) absl::StrAppend(&names, names.empty() ? "" : " = ", s);
    }
    if (holds(subject.Substitute(values))) return absl::StrCat("e.g. ", names, " = ", v);
  }
  return "";
}

void ReportRequirement(OpCall& call, const std::string& what, const std::string& relation, const Dim& actual,
                       const std::string& example) {
  Finding f;
  f.kind = FindingKind::kInputRequirement;
  f.subject = what;
  f.expected = relation;
  f.actual = actual.ToString();
  f.detail = example.empty() ? "no input size up to 4096 satisfies it" : example;
  f.def_span = DefSpanOfCurrentLayer(call);
  if (!f.def_span.valid()) f.callee = OpDisplayName(call);
  call.in().Report(std::move(f));
}

}  // namespace

interp::Tri CheckEqual(OpCall& call, const std::string& what, const Dim& expected, const Dim& actual) {
  interp::Tri t = Dim::Equal(expected, actual);
  if (t != interp::Tri::kUnknown) return t;
  Dim diff = actual - expected;
  std::vector<std::string> symbols = InputSymbols(diff);
  if (symbols.empty()) return t;
  std::string example = Example(symbols, [](const Dim& d) { return d.is_const() && d.value() == 0; }, diff);
  ReportRequirement(call, what, "== " + expected.ToString(), actual, example);
  return t;
}

void CheckMultiple(OpCall& call, const std::string& what, const Dim& factor, const Dim& numel) {
  if (!factor.is_const() || factor.value() <= 0 || Dim::DivExact(numel, factor)) return;
  std::vector<std::string> symbols = InputSymbols(numel);
  if (symbols.empty()) return;
  int64_t k = factor.value();
  std::string example = Example(
      symbols, [k](const Dim& d) { return d.is_const() && d.value() > 0 && d.value() % k == 0; }, numel);
  ReportRequirement(call, what, "to be a multiple of " + factor.ToString(), numel, example);
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

const std::vector<double>* DataOf(const TensorValue* t) {
  return t != nullptr && t->data ? t->data.get() : nullptr;
}

bool IsIntegerDType(interp::DType d) {
  using D = interp::DType;
  return d == D::kInt64 || d == D::kInt32 || d == D::kInt16 || d == D::kInt8 || d == D::kUInt8 || d == D::kBool;
}

std::optional<interp::DType> DTypeArg(const ValuePtr& v) {
  using interp::DType;
  const std::string* s = interp::AsStr(v);
  if (s == nullptr) return std::nullopt;
  static const std::pair<const char*, DType> kNames[] = {
      {"torch.float32", DType::kFloat32},   {"torch.float64", DType::kFloat64}, {"torch.float16", DType::kFloat16},
      {"torch.bfloat16", DType::kBFloat16}, {"torch.int64", DType::kInt64},     {"torch.int32", DType::kInt32},
      {"torch.int16", DType::kInt16},       {"torch.int8", DType::kInt8},       {"torch.uint8", DType::kUInt8},
      {"torch.bool", DType::kBool}};
  for (const auto& [n, d] : kNames)
    if (*s == n) return d;
  return std::nullopt;
}

ValuePtr WithData(std::vector<Dim> dims, interp::DType dtype, std::vector<double> data) {
  auto t = MakeTensor(std::move(dims), dtype);
  if (IsIntegerDType(dtype))
    for (double& v : data) v = std::trunc(v);
  t->data = std::make_shared<const std::vector<double>>(std::move(data));
  return t;
}

std::optional<std::vector<double>> FoldBinary(const std::string& op, const TensorValue& x, const ValuePtr& other,
                                              double alpha) {
  const auto* a = DataOf(&x);
  if (a == nullptr) return std::nullopt;
  std::vector<double> b;
  if (auto n = interp::AsNumber(other)) {
    b = {*n};
  } else if (interp::Is(other, interp::ValueKind::kTensor) && DataOf(interp::As<TensorValue>(other))) {
    b = *DataOf(interp::As<TensorValue>(other));
  } else {
    return std::nullopt;
  }
  if (b.size() != 1 && b.size() != a->size()) return std::nullopt;
  std::vector<double> out(a->size());
  for (size_t i = 0; i < a->size(); ++i) {
    double x0 = (*a)[i], y = b.size() == 1 ? b[0] : b[i];
    if (op == "add") out[i] = x0 + alpha * y;
    else if (op == "sub") out[i] = x0 - alpha * y;
    else if (op == "mul") out[i] = x0 * y;
    else if (op == "div" || op == "divide" || op == "true_divide") out[i] = x0 / y;
    else if (op == "floor_divide") out[i] = std::floor(x0 / y);
    else if (op == "remainder") out[i] = x0 - std::floor(x0 / y) * y;
    else if (op == "pow") out[i] = std::pow(x0, y);
    else if (op == "rpow") out[i] = std::pow(y, x0);
    else if (op == "maximum") out[i] = std::max(x0, y);
    else if (op == "minimum") out[i] = std::min(x0, y);
    else return std::nullopt;
  }
  return out;
}

std::optional<std::vector<double>> FoldUnary(const std::string& op, const TensorValue& x) {
  const auto* a = DataOf(&x);
  if (a == nullptr) return std::nullopt;
  std::vector<double> out(a->size());
  for (size_t i = 0; i < a->size(); ++i) {
    double v = (*a)[i];
    if (op == "log") out[i] = std::log(v);
    else if (op == "exp") out[i] = std::exp(v);
    else if (op == "sqrt") out[i] = std::sqrt(v);
    else if (op == "abs") out[i] = std::fabs(v);
    else if (op == "neg") out[i] = -v;
    else if (op == "round") out[i] = std::nearbyint(v);  // half to even, as torch
    else if (op == "floor") out[i] = std::floor(v);
    else if (op == "ceil") out[i] = std::ceil(v);
    else if (op == "relu") out[i] = std::max(0.0, v);
    else return std::nullopt;
  }
  return out;
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
