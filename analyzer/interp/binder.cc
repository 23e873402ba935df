#include "analyzer/interp/binder.h"

#include "absl/strings/str_cat.h"

namespace shapelint::interp {

BindResult BindArgs(const ir::Params& params, const std::vector<ValuePtr>& defaults, const Args& args) {
  BindResult r;
  const auto& ps = params.params;
  r.slots.assign(ps.size(), nullptr);
  int varargs = -1, varkw = -1;
  for (size_t i = 0; i < ps.size(); ++i) {
    if (ps[i].kind == ir::ParamKind::kVarArgs) varargs = static_cast<int>(i);
    if (ps[i].kind == ir::ParamKind::kVarKwargs) varkw = static_cast<int>(i);
  }
  // Positional arguments fill normal parameters in order, the rest go to *args.
  size_t npos = 0;
  while (npos < ps.size() && ps[npos].kind == ir::ParamKind::kNormal) ++npos;
  std::vector<ValuePtr> extra;
  for (size_t i = 0; i < args.positional.size(); ++i) {
    if (i < npos) {
      r.slots[i] = args.positional[i];
    } else if (varargs >= 0) {
      extra.push_back(args.positional[i]);
    } else {
      r.ok = false;
      r.error = absl::StrCat("too many positional arguments (", args.positional.size(), ")");
    }
  }
  if (varargs >= 0) r.slots[varargs] = MakeTuple(std::move(extra));
  std::shared_ptr<DictValue> kw;
  if (varkw >= 0) {
    kw = std::make_shared<DictValue>();
    r.slots[varkw] = kw;
  }
  for (const auto& [name, v] : args.keywords) {
    bool bound = false;
    for (size_t i = 0; i < ps.size(); ++i) {
      if ((ps[i].kind == ir::ParamKind::kNormal || ps[i].kind == ir::ParamKind::kKwOnly) &&
          ps[i].name == name) {
        if (r.slots[i] != nullptr) {
          r.ok = false;
          r.error = absl::StrCat("multiple values for argument '", name, "'");
        }
        r.slots[i] = v;
        bound = true;
        break;
      }
    }
    if (bound) continue;
    if (kw) {
      kw->entries.emplace_back(MakeStr(name), v);
    } else {
      r.ok = false;
      r.error = absl::StrCat("unexpected keyword argument '", name, "'");
    }
  }
  for (size_t i = 0; i < ps.size(); ++i) {
    if (r.slots[i] != nullptr) continue;
    if (i < defaults.size() && defaults[i] != nullptr) {
      r.slots[i] = defaults[i];
    } else {
      r.slots[i] = MakeUnknown(absl::StrCat("missing argument '", ps[i].name, "'"));
      if (r.ok) {
        r.ok = false;
        r.error = absl::StrCat("missing argument '", ps[i].name, "'");
      }
    }
  }
  return r;
}

}  // namespace shapelint::interp
