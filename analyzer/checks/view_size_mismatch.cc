#include "absl/strings/str_cat.h"
#include "analyzer/checks/rule_registry.h"

namespace shapelint::checks {

namespace {

std::string Message(const Finding& f, const SourceManager&) {
  return absl::StrCat(f.subject, ": ", f.detail, " (expected ", f.expected, " elements, the input has ", f.actual,
                      ")");
}

}  // namespace

const Rule kViewSizeMismatchRule = {
    FindingKind::kViewSizeMismatch,
    "SL103",
    "view-size-mismatch",
    Severity::kError,
    "`view`/`reshape` asks for a shape whose element count differs from the input's",
    R"(**What it does.** Compares the element count of the shape passed to `Tensor.view`,
`Tensor.reshape` or `torch.reshape` with the input's, and checks that a `-1` can be inferred
(the other sizes divide the element count; at most one `-1`).

**Why is this bad.** PyTorch raises `shape '[-1, 400]' is invalid for input of size 1000`.

**Example.**
```python
x = torch.randn(2, 5, 10)
y = x.view(-1, 3)      # error[view-size-mismatch]: 100 elements are not a multiple of 3
```
Fix: compute the flattened size from the tensor (`x.flatten(1)` or `x.view(x.size(0), -1)`).)",
    Message,
};

}  // namespace shapelint::checks
