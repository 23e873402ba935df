#include "analyzer/checks/rule_registry.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace shapelint::checks {

const std::vector<Rule>& AllRules() {
  static const std::vector<Rule> kRules = {
      kSyntaxErrorRule,
      kShapeMismatchRule,
      kViewSizeMismatchRule,
      kUnusedParameterRule,
      kUnusedSubmoduleRule,
      kUnusedBufferRule,
      kInputRequirementRule,
      kAnalysisIncompleteRule,
  };
  return kRules;
}

const Rule* FindRule(const std::string& code_or_name) {
  for (const Rule& r : AllRules())
    if (code_or_name == r.code || code_or_name == r.name) return &r;
  return nullptr;
}

const Rule& RuleFor(FindingKind kind) {
  for (const Rule& r : AllRules())
    if (r.kind == kind) return r;
  return AllRules().back();
}

// Suppressed: the reported line carries `# shapelint: ignore` (every rule)
// or `# shapelint: ignore[name, SL102, ...]` naming this rule.
bool Suppressed(const Finding& f, const Rule& r, const SourceManager& sources) {
  const SourceFile* file = sources.Get(f.span.file);
  if (file == nullptr) return false;
  std::string_view line = file->Line(f.span.line);
  size_t at = line.find("# shapelint: ignore");
  if (at == std::string_view::npos) return false;
  std::string_view rest = line.substr(at + 19);
  if (rest.empty() || rest[0] != '[') return true;
  size_t close = rest.find(']');
  std::string_view names = rest.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
  for (absl::string_view name : absl::StrSplit(absl::string_view(names.data(), names.size()), ',')) {
    name = absl::StripAsciiWhitespace(name);
    if (name == r.name || name == r.code) return true;
  }
  return false;
}

std::vector<Diagnostic> ToDiagnostics(const std::vector<Finding>& findings, const SourceManager& sources) {
  std::vector<Diagnostic> out;
  for (const Finding& f : findings) {
    const Rule& r = RuleFor(f.kind);
    if (Suppressed(f, r, sources)) continue;
    Diagnostic d;
    d.severity = r.severity;
    d.code = r.code;
    d.name = r.name;
    d.span = f.span;
    d.message = r.message(f, sources);
    d.module_path = f.module_path;
    d.assumptions = f.assumptions;
    if (f.def_span.valid() && (f.def_span.line != f.span.line || f.def_span.file != f.span.file)) {
      std::string what = f.module_path.empty() ? "the layer" : absl::StrCat("`", f.module_path, "`");
      d.notes.push_back({f.def_span, absl::StrCat(what, " is defined here")});
    }
    if (!f.assumptions.empty()) {
      std::string text = "on the path where ";
      for (size_t i = 0; i < f.assumptions.size(); ++i) {
        if (i) text += " and ";
        text += f.assumptions[i];
      }
      d.notes.push_back({Span{}, text});
    }
    out.push_back(std::move(d));
  }
  std::stable_sort(out.begin(), out.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    const std::string& pa = sources.Path(a.span.file);
    const std::string& pb = sources.Path(b.span.file);
    if (pa != pb) return pa < pb;
    if (a.span.line != b.span.line) return a.span.line < b.span.line;
    return a.span.col < b.span.col;
  });
  return out;
}

std::string RulesMarkdown() {
  std::string out =
      "# Diagnostics\n\n"
      "Generated from the rule registry (`analyzer/checks/`); `shapelint --explain CODE` prints the same text.\n"
      "A test keeps this file in sync: run `shapelint --rules-markdown > docs/rules.md` after changing a rule.\n\n"
      "A finding is suppressed by a comment on the line it is reported at: `# shapelint: ignore[unused-parameter]`\n"
      "(names or codes, comma-separated) or `# shapelint: ignore` (every rule).\n\n"
      "| code | name | severity | summary |\n|---|---|---|---|\n";
  for (const Rule& r : AllRules()) {
    absl::StrAppend(&out, "| ", r.code, " | `", r.name, "` | ", SeverityName(r.severity), " | ", r.summary, " |\n");
  }
  for (const Rule& r : AllRules()) {
    absl::StrAppend(&out, "\n## ", r.code, " `", r.name, "` (", SeverityName(r.severity), ")\n\n", r.doc, "\n");
  }
  return out;
}

}  // namespace shapelint::checks
