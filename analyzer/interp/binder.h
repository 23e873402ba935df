// binder.h: the one argument binder. User functions, classes and modeled
// torch APIs (whose signatures are written as Python text and lowered like
// user code) all bind their arguments here: positional, keyword, defaults,
// `*args`, `**kwargs`, keyword-only.
#ifndef SHAPELINT_INTERP_BINDER_H_
#define SHAPELINT_INTERP_BINDER_H_

#include <string>
#include <vector>

#include "analyzer/interp/value.h"
#include "analyzer/ir/ir.h"

namespace shapelint::interp {

struct BindResult {
  bool ok = true;
  std::string error;            // "missing argument 'x'", "unexpected keyword 'y'"
  std::vector<ValuePtr> slots;  // parallel to params.params
};

// BindArgs: binds `args` to `params`; `defaults` is parallel to the params
// (null where a parameter has no default). A missing argument binds Unknown
// and sets `error` (the caller decides whether that is worth a note).
BindResult BindArgs(const ir::Params& params, const std::vector<ValuePtr>& defaults, const Args& args);

}  // namespace shapelint::interp

#endif  // SHAPELINT_INTERP_BINDER_H_
