#include "analyzer/base/finding.h"

namespace shapelint {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo: return "info";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "error";
}

void FindingSink::Report(Finding f) {
  for (const Finding& g : findings_) {
    if (g.kind == f.kind && g.span.file == f.span.file && g.span.line == f.span.line &&
        g.span.col == f.span.col && g.subject == f.subject && g.expected == f.expected &&
        g.actual == f.actual && g.module_path == f.module_path) {
      return;
    }
  }
  findings_.push_back(std::move(f));
}

}  // namespace shapelint
