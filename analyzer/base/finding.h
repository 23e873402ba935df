// finding.h: what the analysis layers observe, before any wording. Ops and
// the interpreter report typed findings (which rule, the sizes involved, the
// spans of the failing call and of the definition that set the size, the
// module path); checks/ turns each into a user-facing Diagnostic.
#ifndef SHAPELINT_BASE_FINDING_H_
#define SHAPELINT_BASE_FINDING_H_

#include <string>
#include <vector>

#include "analyzer/base/source.h"

namespace shapelint {

enum class Severity { kInfo, kWarning, kError };
const char* SeverityName(Severity s);

// FindingKind: one per diagnostic rule (checks/ has the wording).
enum class FindingKind {
  kSyntaxError,
  kShapeMismatch,
  kViewSizeMismatch,
  kUnusedParameter,
  kUnusedSubmodule,
  kUnusedBuffer,
  kInputRequirement,
  kAnalysisIncomplete,
};

struct Finding {
  FindingKind kind;
  Span span;               // where it fails (the call in user code)
  Span def_span;           // where the size was declared (layer construction), if known
  std::string module_path; // dotted module path of the layer involved, "" if none
  std::string module_class;
  std::string callee;      // the op a finding is about when no layer is ("Tensor.view")
  std::string subject;     // what is compared: "in_features", "view", "torch.cat", API name...
  std::string expected;    // e.g. "12544"
  std::string actual;      // e.g. "4096"
  std::string detail;      // free text: the tensor shapes involved, the reason
  std::vector<std::string> assumptions;  // the branch decisions of this path
};

// FindingSink: collects findings of one analysis; de-duplicates identical
// findings (same kind, span and sizes) that several paths or calls produce.
class FindingSink {
 public:
  void Report(Finding f);
  const std::vector<Finding>& findings() const { return findings_; }
  std::vector<Finding>& mutable_findings() { return findings_; }

 private:
  std::vector<Finding> findings_;
};

}  // namespace shapelint

#endif  // SHAPELINT_BASE_FINDING_H_
