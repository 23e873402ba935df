// sarif.h: diagnostics as SARIF 2.1.0 (code scanning): one run, the rules
// that fired in tool.driver.rules, one result per diagnostic with its
// location, related locations (where the size was declared) and the path
// assumptions in the message.
#ifndef SHAPELINT_EMIT_SARIF_H_
#define SHAPELINT_EMIT_SARIF_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzer/checks/rule_registry.h"

namespace shapelint::emit {

nlohmann::ordered_json FormatSarif(const std::vector<checks::Diagnostic>& diags, const SourceManager& sources,
                                   const std::string& version);

}  // namespace shapelint::emit

#endif  // SHAPELINT_EMIT_SARIF_H_
