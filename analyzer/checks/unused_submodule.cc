#include "absl/strings/str_cat.h"
#include "analyzer/checks/rule_registry.h"

namespace shapelint::checks {

namespace {

std::string Message(const Finding& f, const SourceManager&) {
  // detail names the method that runs the model: "call" for Keras.
  return absl::StrCat(f.detail.empty() ? "submodule" : "layer", " `self.", f.subject, "` of ", f.module_class,
                      " is created in __init__ but ", f.detail.empty() ? "forward" : f.detail, " never uses it");
}

}  // namespace

const Rule kUnusedSubmoduleRule = {
    FindingKind::kUnusedSubmodule,
    "SL202",
    "unused-submodule",
    Severity::kWarning,
    "a layer assigned to `self` in `__init__` that `forward` never reaches",
    R"(**What it does.** Reports a submodule (`self.drop = nn.Dropout(0.1)`, `self.norm = nn.LayerNorm(d)`)
assigned in user code when no call of the module's `forward` calls it or reads it, directly or through
other methods, on any analyzed path. A layer used only under `self.training` or only under a
constructor flag counts as used when that path exists; a layer mentioned by a method that the
analysis never ran (a `loss` or `reset` method) is left alone.

**Why is this bad.** Its parameters are counted, saved and optimized without influencing the output,
and a layer that was meant to be applied is not: a forgotten dropout or normalization changes the
model silently.

**Example.**
```python
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 64)
        self.drop = nn.Dropout(0.1)   # warning[unused-submodule]

    def forward(self, x):
        return torch.relu(self.fc(x))
```
Fix: apply it (`self.drop(torch.relu(self.fc(x)))`) or delete it.)",
    Message,
};

}  // namespace shapelint::checks
