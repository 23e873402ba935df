#include "absl/strings/str_cat.h"
#include "analyzer/checks/rule_registry.h"

namespace shapelint::checks {

namespace {

std::string Message(const Finding& f, const SourceManager&) {
  return absl::StrCat("buffer `", f.subject, "` of ", f.module_class,
                      " is registered in __init__ but forward never reads it");
}

}  // namespace

const Rule kUnusedBufferRule = {
    FindingKind::kUnusedBuffer,
    "SL203",
    "unused-buffer",
    Severity::kWarning,
    "a buffer registered with `register_buffer` that `forward` never reads",
    R"(**What it does.** Reports a tensor registered with `self.register_buffer(name, tensor)` in user
code when no call of the module's `forward` reads it (`self.name`, `self.buffers()`), directly or
through other methods, on any analyzed path. A buffer that a method the analysis never ran mentions
is left alone.

**Why is this bad.** A buffer is state saved with the model (a mask, a positional table, running
statistics). One that is never read is either dead weight in every checkpoint or, more often, a
mask or table the computation was meant to apply.

**Example.**
```python
class CausalAttention(nn.Module):
    def __init__(self, n=16, d=32):
        super().__init__()
        self.qkv = nn.Linear(d, 3 * d)
        self.register_buffer("mask", torch.tril(torch.ones(n, n)))   # warning[unused-buffer]

    def forward(self, x):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        att = (q @ k.transpose(-2, -1)).softmax(-1)   # the mask was never applied
        return att @ v
```
Fix: apply it (`att.masked_fill(self.mask == 0, float("-inf"))` before the softmax) or delete it.)",
    Message,
};

}  // namespace shapelint::checks
