#include "absl/strings/str_cat.h"
#include "analyzer/checks/rule_registry.h"

namespace shapelint::checks {

namespace {

std::string Message(const Finding& f, const SourceManager&) {
  return absl::StrCat("parameter `self.", f.subject, "` of ", f.module_class,
                      " is created in __init__ but never used by forward");
}

}  // namespace

const Rule kUnusedParameterRule = {
    FindingKind::kUnusedParameter,
    "SL201",
    "unused-parameter",
    Severity::kWarning,
    "an `nn.Parameter` created in `__init__` that `forward` never reads",
    R"(**What it does.** Reports an `nn.Parameter` assigned to `self` (or registered with
`register_parameter`) in user code when no call of the module's `forward` reads it, directly or
through other methods, on the analyzed path.

**Why is this bad.** The parameter is counted, saved and handed to the optimizer, but it never
influences the output: usually a term that was meant to be in the computation and was forgotten.

**Example.**
```python
class CustomLayer(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(size))   # warning[unused-parameter]
        self.bias = nn.Parameter(torch.zeros(size))

    def forward(self, x):
        return x + self.bias
```
Fix: use it (`x * self.weight + self.bias`) or delete it.)",
    Message,
};

}  // namespace shapelint::checks
