// unused.cc: members a module was given in __init__ and its forward never
// reached (unused-parameter, unused-buffer, unused-submodule).
#include <regex>

#include "absl/strings/str_cat.h"
#include "analyzer/checks/rule_registry.h"

namespace shapelint::checks {

namespace {

using interp::ClassValue;
using interp::FunctionValue;
using interp::InstanceValue;

// MentionedOutsideForward: `self.<name>` (or the quoted name) appears in a
// method of the module's user classes that never ran, other than __init__:
// the member serves that method (a loss, a reset, an export helper).
bool MentionedOutsideForward(interp::Interpreter& in, const InstanceValue& m, const std::string& name) {
  const std::regex pattern("\\bself\\s*\\.\\s*" + name + "\\b|[\"']" + name + "[\"']");
  for (const auto& cls : m.cls->mro) {
    if (cls->is_native) continue;
    for (const auto& [attr, v] : cls->attrs.items()) {
      if (!interp::Is(v, interp::ValueKind::kFunction)) continue;
      const auto* fn = interp::As<FunctionValue>(v);
      if (attr == "__init__" || fn->body == nullptr || in.Executed(fn->body)) continue;
      const SourceFile* file = in.sources().Get(fn->span.file);
      if (file == nullptr) continue;
      for (int line = fn->span.line; line <= fn->span.end_line; ++line) {
        std::string_view text = file->Line(line);
        if (std::regex_search(text.begin(), text.end(), pattern)) return true;
      }
    }
  }
  return false;
}

std::string Key(FindingKind kind, const Span& span, const std::string& name) {
  return absl::StrCat(static_cast<int>(kind), ":", span.file, ":", span.line, ":", span.col, ":", name);
}

}  // namespace

bool IsUnusedKind(FindingKind k) {
  return k == FindingKind::kUnusedParameter || k == FindingKind::kUnusedBuffer ||
         k == FindingKind::kUnusedSubmodule;
}

std::string UnusedKey(const Finding& f) { return Key(f.kind, f.span, f.subject); }

void CheckUnusedMembers(interp::Interpreter& in, FindingSink& sink, std::set<std::string>* used) {
  if (in.aborted()) return;
  for (const auto& v : in.modules_created()) {
    auto* m = interp::As<InstanceValue>(v);
    if (!m->module->completed) continue;
    auto consider = [&](FindingKind kind, const Span& at, const std::string& name, bool reached) {
      if (!at.valid() || !in.IsUserFile(at.file)) return;
      if (reached) {
        if (used != nullptr) used->insert(Key(kind, at, name));
        return;
      }
      if (MentionedOutsideForward(in, *m, name)) return;
      Finding f;
      f.kind = kind;
      f.span = at;
      f.subject = name;
      f.module_class = m->cls->name;
      sink.Report(std::move(f));
    };
    for (const auto& p : m->module->params) {
      if (p.user_created) consider(FindingKind::kUnusedParameter, p.created_at, p.name, p.read_in_forward);
    }
    for (const auto& b : m->module->buffers) {
      if (b.user_created && interp::Is(b.value, interp::ValueKind::kTensor))
        consider(FindingKind::kUnusedBuffer, b.created_at, b.name, b.read_in_forward);
    }
    for (const auto& [name, child] : m->module->children) {
      auto it = m->module->child_use.find(name);
      if (it == m->module->child_use.end() || !interp::IsModuleInstance(child)) continue;
      bool reached = it->second.read_in_forward || interp::As<InstanceValue>(child)->module->called;
      consider(FindingKind::kUnusedSubmodule, it->second.assigned_at, name, reached);
    }
  }
}

}  // namespace shapelint::checks
