#include "analyzer/checks/rule_registry.h"

namespace shapelint::checks {

namespace {

std::string Message(const Finding& f, const SourceManager&) { return f.detail; }

}  // namespace

const Rule kSyntaxErrorRule = {
    FindingKind::kSyntaxError,
    "SL001",
    "syntax-error",
    Severity::kError,
    "the file cannot be parsed as Python (or is not UTF-8)",
    R"(**What it does.** Reports source that tree-sitter-python cannot parse, and files that are not
valid UTF-8 (Python refuses to import them). The rest of the file is still analyzed: classes and
functions outside the broken region are interpreted as usual.

**Why is this bad.** Python will not import the module at all.

**Example.**
```python
class Net(nn.Module):
    def forward(self, x)      # error[syntax-error]: missing ':'
        return x
```)",
    Message,
};

}  // namespace shapelint::checks
