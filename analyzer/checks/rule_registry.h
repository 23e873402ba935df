// rule_registry.h: diagnostic rules. A rule turns one kind of typed finding
// into words: a code (SL…), a kebab-case name that names the problem, a
// severity, its documentation (What it does / Why is this bad / Example; the
// text `--explain` prints and docs/rules.md is generated from), and a message
// function. One file per rule; the list is in rule_registry.cc.
#ifndef SHAPELINT_CHECKS_RULE_REGISTRY_H_
#define SHAPELINT_CHECKS_RULE_REGISTRY_H_

#include <set>
#include <string>
#include <vector>

#include "analyzer/base/finding.h"
#include "analyzer/base/source.h"
#include "analyzer/interp/interpreter.h"

namespace shapelint::checks {

struct Note {
  Span span;
  std::string text;
};

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string code;  // "SL102"
  std::string name;  // "shape-mismatch"
  Span span;
  std::string message;
  std::vector<Note> notes;
  std::string module_path;
  std::vector<std::string> assumptions;
};

struct Rule {
  FindingKind kind;
  const char* code;
  const char* name;
  Severity severity;
  const char* summary;
  const char* doc;  // markdown: What it does / Why is this bad / Example
  std::string (*message)(const Finding& f, const SourceManager& sources);
};

const std::vector<Rule>& AllRules();
const Rule* FindRule(const std::string& code_or_name);
const Rule& RuleFor(FindingKind kind);

// ToDiagnostics: words for findings, sorted by file, line, column.
std::vector<Diagnostic> ToDiagnostics(const std::vector<Finding>& findings, const SourceManager& sources);

// CheckUnusedMembers (unused.cc): parameters, buffers and submodules that
// user code gave a module in __init__ and that no forward reached, for every
// module whose forward ran (a module never called says nothing about its
// members). A member that a method which never ran mentions (`self.name` in a
// `loss` or `reset` method) is left alone. `used` collects a key per member
// that was reached, so that the driver reports a member only when it is
// unused on every path (UnusedKey).
void CheckUnusedMembers(interp::Interpreter& in, FindingSink& sink, std::set<std::string>* used = nullptr);
std::string UnusedKey(const Finding& f);
bool IsUnusedKind(FindingKind k);

// RulesMarkdown: docs/rules.md.
std::string RulesMarkdown();

// Rule descriptors (one file each).
extern const Rule kSyntaxErrorRule;
extern const Rule kShapeMismatchRule;
extern const Rule kViewSizeMismatchRule;
extern const Rule kUnusedParameterRule;
extern const Rule kUnusedSubmoduleRule;
extern const Rule kUnusedBufferRule;
extern const Rule kInputRequirementRule;
extern const Rule kAnalysisIncompleteRule;

}  // namespace shapelint::checks

#endif  // SHAPELINT_CHECKS_RULE_REGISTRY_H_
