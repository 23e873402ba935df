#include "absl/strings/str_cat.h"
#include "analyzer/checks/rule_registry.h"

namespace shapelint::checks {

namespace {

std::string Message(const Finding& f, const SourceManager&) {
  std::string detail = f.detail.empty() ? "" : absl::StrCat(": ", f.detail);
  // An op (torch.cat, a broadcast, a matmul) in some module's forward.
  if (!f.callee.empty() || f.module_path.empty() || f.module_path == "(root)") {
    return absl::StrCat(f.subject, ": expected ", f.expected, ", got ", f.actual, detail);
  }
  // A modeled layer against its declared sizes.
  return absl::StrCat("`", f.module_path, "` (", f.module_class, ") expects ", f.subject, " = ", f.expected,
                      " but gets ", f.actual, f.detail.empty() ? "" : absl::StrCat(" (", f.detail, ")"));
}

}  // namespace

const Rule kShapeMismatchRule = {
    FindingKind::kShapeMismatch,
    "SL102",
    "shape-mismatch",
    Severity::kError,
    "a layer or op receives a tensor whose size contradicts what it declares",
    R"(**What it does.** Checks every layer and tensor operation against the shapes flowing into it:
`nn.Linear(in_features)` against the last dimension of its input, `nn.Conv*d(in_channels)` and
`nn.BatchNorm*d(num_features)` against the channel dimension, `LayerNorm(normalized_shape)`, matrix
products' inner dimensions, `torch.cat` sizes, broadcasting, and kernels larger than their input.
For Keras models the same checks apply to layers: `Concatenate`/`Add`/merge inputs, a built
layer (or a built model's first layer) called on a different size, a declared `input_shape` that
the layer does not receive, conv/pool windows larger than their input, wrong input ranks.
It reports only when the sizes differ for every value of the unknown dimensions.

**Why is this bad.** PyTorch raises at run time (`mat1 and mat2 shapes cannot be multiplied`,
`expected input[1, 32, 8, 8] to have 16 channels`), usually after a long data-loading start, or in
production on the first batch.

**Example.**
```python
self.pool = nn.MaxPool2d(2, 2)
self.fc1 = nn.Linear(16 * 28 * 28, 128)   # sized for 28x28 maps
...
x = self.pool(self.conv1(x))              # [1, 16, 16, 16] for a 32x32 input
x = x.view(-1, 16 * 16 * 16)
x = self.fc1(x)                           # error[shape-mismatch]: expects in_features = 12544 but gets 4096
```
Fix: size the layer from the actual feature map (`nn.Linear(16 * 16 * 16, 128)`), or use
`nn.LazyLinear`/`nn.AdaptiveAvgPool2d` so the size no longer depends on the input resolution.)",
    Message,
};

}  // namespace shapelint::checks
