#include "absl/strings/str_cat.h"
#include "analyzer/checks/rule_registry.h"

namespace shapelint::checks {

namespace {

std::string Message(const Finding& f, const SourceManager&) {
  if (f.subject == "budget" || f.subject == "syntax") return f.detail;
  return absl::StrCat("`", f.subject, "` is ", f.detail);
}

}  // namespace

const Rule kAnalysisIncompleteRule = {
    FindingKind::kAnalysisIncomplete,
    "SL900",
    "analysis-incomplete",
    Severity::kInfo,
    "an API or construct the analyzer does not model; values it produces are unknown",
    R"(**What it does.** Names each API (or Python construct) that shapelint does not model, once per
file. Its result becomes an unknown value, and nothing computed from that value is ever reported as
an error: shapelint prefers silence to a false alarm. Also reports when an analysis budget (steps,
call depth, explored paths) was reached.

**Why is this bad.** It is not: it tells you where the analysis could not see, so that a clean
result is read with that in mind.

**Example.**
```python
x = torchvision.ops.roi_align(x, boxes, 7)   # info[analysis-incomplete]: `torchvision.ops.roi_align` is not modeled
```)",
    Message,
};

}  // namespace shapelint::checks
