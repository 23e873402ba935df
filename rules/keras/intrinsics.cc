// intrinsics.cc: the `_shapelint` module, what the Keras rules written in
// Python (rules/keras/py/) call to do what Python cannot: compare symbolic
// sizes three ways and report typed findings at the user's line, make
// symbols, and name unmodeled APIs. Also registers the bundle itself.
#include <cctype>

#include "absl/strings/str_cat.h"
#include "rules/keras/bundle.h"
#include "rules/registry.h"
#include "rules/torch/common.h"

namespace shapelint::rules {

namespace {

using interp::Args;
using interp::Dim;
using interp::Interpreter;
using interp::Tri;
using interp::ValueKind;

ValuePtr ArgAt(Args& a, size_t i) { return i < a.positional.size() ? a.positional[i] : nullptr; }

std::string TextArg(const ValuePtr& v) {
  const std::string* s = interp::AsStr(v);
  return s ? *s : "";
}

// SpanOf: a span saved by `here()` as (file, line, col, end_line, end_col).
Span SpanOf(const ValuePtr& v) {
  if (!interp::IsSeq(v)) return Span{};
  const auto& items = interp::As<interp::SeqValue>(v)->items;
  if (items.size() != 5) return Span{};
  int32_t f[5];
  for (size_t i = 0; i < 5; ++i) {
    auto d = interp::AsDim(items[i]);
    if (!d || !d->is_const()) return Span{};
    f[i] = static_cast<int32_t>(d->value());
  }
  return Span{f[0], f[1], f[2], f[3], f[4]};
}

// LayerFinding: a finding about a Keras layer (its name and class; its
// construction site as the definition).
Finding LayerFinding(Interpreter& in, FindingKind kind, const ValuePtr& layer, const std::string& what) {
  Finding f;
  f.kind = kind;
  f.span = in.UserCallSite();
  f.subject = what;
  if (interp::Is(layer, ValueKind::kInstance)) {
    f.module_class = interp::As<interp::InstanceValue>(layer)->cls->name;
    ValuePtr name = in.TryGetAttr(layer, "name", Span{});
    f.module_path = TextArg(name);
    f.def_span = SpanOf(in.TryGetAttr(layer, "_site", Span{}));
  }
  return f;
}

std::string ToText(const ValuePtr& v) {
  if (auto d = interp::AsDim(v)) return d->ToString();
  if (const std::string* s = interp::AsStr(v)) return *s;
  return interp::Repr(v);
}

std::string SnakeCase(const std::string& name) {
  // tf.keras generic_utils.to_snake_case: (.)([A-Z][a-z0-9]+) -> \1_\2, then
  // ([a-z])([A-Z]) -> \1_\2, lower-cased; a leading '_' gets "private".
  std::string a;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (i > 0 && std::isupper(static_cast<unsigned char>(c)) && i + 1 < name.size() &&
        (std::islower(static_cast<unsigned char>(name[i + 1])) || std::isdigit(static_cast<unsigned char>(name[i + 1])))) {
      a += '_';
    }
    a += c;
  }
  std::string b;
  for (size_t i = 0; i < a.size(); ++i) {
    if (i > 0 && std::isupper(static_cast<unsigned char>(a[i])) && std::islower(static_cast<unsigned char>(a[i - 1])))
      b += '_';
    b += static_cast<char>(std::tolower(static_cast<unsigned char>(a[i])));
  }
  if (!b.empty() && b[0] == '_') b = "private" + b;
  return b;
}

void Fn(OpRegistry& r, const std::string& name, interp::NativeFn fn) {
  static std::map<std::string, interp::NativeFn>* fns = new std::map<std::string, interp::NativeFn>();
  (*fns)[name] = std::move(fn);
  r.AddNative("_shapelint." + name, [](Interpreter&, const std::string& q) {
    return interp::MakeNative(q, (*fns)[q.substr(q.find('.') + 1)]);
  });
}

}  // namespace

void RegisterKeras(OpRegistry& r) {
  for (const auto& f : KerasBundle()) r.AddBundledSource(f.path, f.text);
  r.AddPackage("_shapelint");
  // check_equal(layer, what, expected, actual, detail=""): False (and a
  // shape-mismatch at the user's line) when they differ for every value of
  // the symbols; True otherwise.
  Fn(r, "check_equal", [](Interpreter& in, const ValuePtr&, Args& a) {
    auto e = interp::AsDim(ArgAt(a, 2)), g = interp::AsDim(ArgAt(a, 3));
    if (!e || !g || Dim::Equal(*e, *g) != Tri::kFalse) return interp::MakeBool(true);
    Finding f = LayerFinding(in, FindingKind::kShapeMismatch, ArgAt(a, 0), TextArg(ArgAt(a, 1)));
    f.expected = e->ToString();
    f.actual = g->ToString();
    f.detail = TextArg(ArgAt(a, 4));
    in.Report(std::move(f));
    return interp::MakeBool(false);
  });
  // fail(kind, layer, what, expected, actual, detail): a definite finding
  // ("shape" or "view") the Python rule established itself.
  Fn(r, "fail", [](Interpreter& in, const ValuePtr&, Args& a) {
    FindingKind kind = TextArg(ArgAt(a, 0)) == "view" ? FindingKind::kViewSizeMismatch : FindingKind::kShapeMismatch;
    Finding f = LayerFinding(in, kind, ArgAt(a, 1), TextArg(ArgAt(a, 2)));
    f.expected = ToText(ArgAt(a, 3));
    f.actual = ToText(ArgAt(a, 4));
    f.detail = TextArg(ArgAt(a, 5));
    in.Report(std::move(f));
    return interp::MakeNone();
  });
  // differ(a, b): True only when a != b for every value of the symbols.
  Fn(r, "differ", [](Interpreter&, const ValuePtr&, Args& a) {
    auto x = interp::AsDim(ArgAt(a, 0)), y = interp::AsDim(ArgAt(a, 1));
    return interp::MakeBool(x && y && Dim::Equal(*x, *y) == Tri::kFalse);
  });
  // same(a, b): True only when a == b for every value of the symbols.
  Fn(r, "same", [](Interpreter&, const ValuePtr&, Args& a) {
    auto x = interp::AsDim(ArgAt(a, 0)), y = interp::AsDim(ArgAt(a, 1));
    return interp::MakeBool(x && y && Dim::Equal(*x, *y) == Tri::kTrue);
  });
  // is_const(x): x is a known integer.
  Fn(r, "is_const", [](Interpreter&, const ValuePtr&, Args& a) {
    auto x = interp::AsDim(ArgAt(a, 0));
    return interp::MakeBool(x && x->is_const() && !interp::Is(ArgAt(a, 0), ValueKind::kBool));
  });
  // is_dim(x): x is an integer, known or symbolic.
  Fn(r, "is_dim", [](Interpreter&, const ValuePtr&, Args& a) {
    ValuePtr v = ArgAt(a, 0);
    return interp::MakeBool(v && v->kind == ValueKind::kInt);
  });
  // is_unknown(x): x is a value the analysis does not know (test it before
  // isinstance, whose answer on an unknown is unknown).
  Fn(r, "is_unknown", [](Interpreter&, const ValuePtr&, Args& a) {
    return interp::MakeBool(interp::IsUnknown(ArgAt(a, 0)));
  });
  // unknown_bool(): a condition user code forks on (a `training` argument
  // nobody passed).
  Fn(r, "unknown_bool", [](Interpreter&, const ValuePtr&, Args&) { return interp::MakeUnknown("training"); });
  // accepts(fn, name): the user function (or bound method) has a parameter
  // `name` or **kwargs.
  Fn(r, "accepts", [](Interpreter&, const ValuePtr&, Args& a) {
    ValuePtr fn = ArgAt(a, 0);
    if (interp::Is(fn, ValueKind::kBoundMethod)) fn = interp::As<interp::BoundMethodValue>(fn)->func;
    if (!interp::Is(fn, ValueKind::kFunction)) return interp::MakeBool(false);
    const std::string name = TextArg(ArgAt(a, 1));
    for (const auto& p : interp::As<interp::FunctionValue>(fn)->params->params)
      if (p.name == name) return interp::MakeBool(true);
    return interp::MakeBool(false);
  });
  // is_bundled(obj): obj's class is one of the bundled Keras classes (not a
  // user subclass).
  Fn(r, "is_bundled", [](Interpreter& in, const ValuePtr&, Args& a) {
    ValuePtr obj = ArgAt(a, 0);
    if (!interp::Is(obj, ValueKind::kInstance)) return interp::MakeBool(false);
    const auto& cls = interp::As<interp::InstanceValue>(obj)->cls;
    return interp::MakeBool(cls->span.valid() && in.sources().Path(cls->span.file).rfind(interp::kBundledRoot, 0) == 0);
  });
  // div_exact(a, b): a / b when b divides a for every value of the
  // symbols, else None.
  Fn(r, "div_exact", [](Interpreter&, const ValuePtr&, Args& a) {
    auto x = interp::AsDim(ArgAt(a, 0)), y = interp::AsDim(ArgAt(a, 1));
    if (!x || !y) return interp::MakeNone();
    auto q = Dim::DivExact(*x, *y);
    return q ? interp::MakeInt(*q) : interp::MakeNone();
  });
  Fn(r, "symbol", [](Interpreter&, const ValuePtr&, Args& a) { return interp::MakeInt(Dim::Symbol(TextArg(ArgAt(a, 0)))); });
  Fn(r, "fresh", [](Interpreter&, const ValuePtr&, Args&) { return interp::MakeInt(FreshDim()); });
  Fn(r, "snake_case", [](Interpreter&, const ValuePtr&, Args& a) { return interp::MakeStr(SnakeCase(TextArg(ArgAt(a, 0)))); });
  // unknown(api): an unknown value and an info note naming the API.
  Fn(r, "unknown", [](Interpreter& in, const ValuePtr&, Args& a) {
    return in.NoteUnmodeled(TextArg(ArgAt(a, 0)), in.UserCallSite());
  });
  // here(): the user's line, to keep as a layer's definition site.
  Fn(r, "here", [](Interpreter& in, const ValuePtr&, Args&) {
    Span s = in.UserCallSite();
    return interp::MakeTuple({interp::MakeInt(s.file), interp::MakeInt(s.line), interp::MakeInt(s.col),
                              interp::MakeInt(s.end_line), interp::MakeInt(s.end_col)});
  });
  // shape_string(shape, batch): "Bx28x28x32", the batch symbol replaced by
  // `batch` when it is an int.
  Fn(r, "shape_string", [](Interpreter&, const ValuePtr&, Args& a) {
    std::vector<Dim> dims;
    ValuePtr shape = ArgAt(a, 0);
    if (!interp::IsSeq(shape)) return interp::MakeStr("?");
    auto batch = interp::AsDim(ArgAt(a, 1));
    for (const auto& item : interp::As<interp::SeqValue>(shape)->items) {
      auto d = interp::AsDim(item);
      if (!d) return interp::MakeStr("?");
      dims.push_back(batch && batch->is_const() ? d->Substitute({{"B", batch->value()}}) : *d);
    }
    return interp::MakeStr(ops::ShapeString(dims));
  });
  // attrs(obj): an instance's attributes in assignment order, as (name, value).
  Fn(r, "attrs", [](Interpreter&, const ValuePtr&, Args& a) {
    std::vector<ValuePtr> out;
    ValuePtr obj = ArgAt(a, 0);
    if (interp::Is(obj, ValueKind::kInstance))
      for (const auto& [n, v] : interp::As<interp::InstanceValue>(obj)->attrs.items())
        out.push_back(interp::MakeTuple({interp::MakeStr(n), v}));
    return interp::MakeList(std::move(out));
  });
  // member(layer, owner, attr, used): a layer assigned in a subclass's
  // __init__, after the model's call: reported unused-submodule (at the
  // layer's construction) unless some path's call used it.
  Fn(r, "member", [](Interpreter& in, const ValuePtr&, Args& a) {
    Finding f;
    f.kind = FindingKind::kUnusedSubmodule;
    f.span = SpanOf(in.TryGetAttr(ArgAt(a, 0), "_site", Span{}));
    if (!f.span.valid() || !in.IsUserFile(f.span.file)) return interp::MakeNone();
    f.subject = TextArg(ArgAt(a, 2));
    f.module_class = TextArg(ArgAt(a, 1));
    f.detail = "call";
    if (interp::Truthy(ArgAt(a, 3)) == Tri::kTrue) {
      in.NoteReached(std::move(f));
    } else {
      in.Report(std::move(f));
    }
    return interp::MakeNone();
  });
}

}  // namespace shapelint::rules
