#include "absl/strings/str_cat.h"
#include "analyzer/checks/rule_registry.h"

namespace shapelint::checks {

namespace {

std::string Message(const Finding& f, const SourceManager&) {
  std::string who = !f.callee.empty()        ? absl::StrCat("`", f.callee, "`")
                    : f.module_path.empty() ? std::string("this call")
                                            : absl::StrCat("`", f.module_path, "`");
  return absl::StrCat(who, " requires ", f.actual, " ", f.expected, " (", f.subject, "), ", f.detail);
}

}  // namespace

const Rule kInputRequirementRule = {
    FindingKind::kInputRequirement,
    "SL301",
    "input-requirement",
    Severity::kInfo,
    "a size the model needs from its input, when it holds only for some input sizes",
    R"(**What it does.** When the input's sizes are unknown (`check` analyzes a model without running
it, with an input such as `[B, 3, H, W]`), a layer's declared size may match for some inputs and not
for others: `nn.Linear(16 * 8 * 8, 10)` after two 2x poolings needs `16*(H//4)*(W//4) == 1024`. That is
not an error, it is what the model requires of its input; shapelint states it with the smallest
square example, and goes on as if it held. When no size satisfies it, the note says so.

**Why is this bad.** It is not: it documents the input size the model is built for, and tells
you which line fixes it when you change the resolution.

**Example.**
```python
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(16 * 8 * 8, 10)

    def forward(self, x):
        x = self.pool(self.pool(torch.relu(self.conv(x))))
        return self.fc(x.flatten(1))   # info[input-requirement]: `fc` requires
                                       # 16*(H//4)*(W//4) == 1024 (in_features), e.g. H = W = 32
```)",
    Message,
};

}  // namespace shapelint::checks
