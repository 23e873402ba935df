// host.h: what the interpreter asks of the layers to its right. The
// interpreter knows Python; the ops layer knows torch. At startup the CLI
// hands the interpreter an ApiProvider (ops::OpRegistry) that turns qualified
// names of modeled packages ("torch.nn.Linear", "torch.cat", "math.ceil") into
// values. Nothing in interp/ names a torch API except the few intrinsic tensor
// properties (shape, dtype, ndim) that are part of the tensor value itself.
#ifndef SHAPELINT_INTERP_HOST_H_
#define SHAPELINT_INTERP_HOST_H_

#include <string>
#include <string_view>

#include "analyzer/interp/value.h"

namespace shapelint::interp {

class ApiProvider {
 public:
  virtual ~ApiProvider() = default;
  // IsModeledPackage: true for packages answered by Resolve rather than read
  // from source ("torch", "torch.nn", "torch.nn.functional", "math", ...).
  virtual bool IsModeledPackage(std::string_view name) const = 0;
  // OwnsNamespace: true when `dotted` lies in a package that is modeled as
  // a whole (torch, numpy): never read from source, unmodeled names unknown.
  virtual bool OwnsNamespace(std::string_view dotted) const = 0;
  // Resolve: the value of a modeled qualified name, or null when unmodeled.
  virtual ValuePtr Resolve(Interpreter& interp, std::string_view qualname) = 0;
  // BundledSource: Python source the provider bundles (API semantics written
  // in Python against the `_shapelint` intrinsics, as Keras is), by path
  // relative to the bundle root ("keras/layers.py"); null when absent.
  // Bundled modules are found before any import root and are never user code.
  virtual const std::string* BundledSource(std::string_view) const { return nullptr; }
};

// kBundledRoot: the path prefix of bundled files ("<shapelint>/keras/layers.py").
inline constexpr std::string_view kBundledRoot = "<shapelint>/";

}  // namespace shapelint::interp

#endif  // SHAPELINT_INTERP_HOST_H_
