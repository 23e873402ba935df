// diagnostics_out.h: diagnostics as text (file:line:col: severity[name]:
// message, the source line and a caret, notes) and as JSON.
#ifndef SHAPELINT_EMIT_DIAGNOSTICS_OUT_H_
#define SHAPELINT_EMIT_DIAGNOSTICS_OUT_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzer/checks/rule_registry.h"

namespace shapelint::emit {

std::string FormatText(const std::vector<checks::Diagnostic>& diags, const SourceManager& sources,
                       bool show_source = true);
nlohmann::ordered_json FormatJson(const std::vector<checks::Diagnostic>& diags, const SourceManager& sources);

}  // namespace shapelint::emit

#endif  // SHAPELINT_EMIT_DIAGNOSTICS_OUT_H_
