#include "analyzer/emit/sarif.h"

#include <map>

namespace shapelint::emit {

namespace {

// PathToUri: a relative or absolute path as a URI reference (RFC 3986:
// everything but unreserved characters and '/' percent-encoded).
std::string PathToUri(const std::string& path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string uri;
  for (unsigned char c : path) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || c == '/') {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 0xF];
    }
  }
  return uri;
}

using Json = nlohmann::ordered_json;

const char* Level(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "note";
  }
  return "note";
}

Json Location(const SourceManager& sources, const Span& span) {
  Json region = {{"startLine", span.line}, {"startColumn", span.col}};
  if (span.end_line >= span.line && span.end_line > 0) {
    region["endLine"] = span.end_line;
    region["endColumn"] = span.end_col;
  }
  return Json{{"physicalLocation",
               {{"artifactLocation", {{"uri", PathToUri(sources.Path(span.file))}}}, {"region", region}}}};
}

}  // namespace

Json FormatSarif(const std::vector<checks::Diagnostic>& diags, const SourceManager& sources,
                 const std::string& version) {
  std::map<std::string, size_t> rule_index;
  Json rules = Json::array();
  for (const auto& d : diags) {
    if (rule_index.count(d.name)) continue;
    const checks::Rule* r = checks::FindRule(d.name);
    rule_index[d.name] = rules.size();
    Json rule = {{"id", d.name}, {"name", d.name}};
    if (r != nullptr) {
      rule["shortDescription"] = {{"text", r->summary}};
      rule["fullDescription"] = {{"text", r->summary}};
      rule["help"] = {{"text", r->doc}, {"markdown", r->doc}};
      rule["defaultConfiguration"] = {{"level", Level(r->severity)}};
      rule["properties"] = {{"code", r->code}};
    }
    rules.push_back(rule);
  }
  Json results = Json::array();
  for (const auto& d : diags) {
    std::string text = d.message;
    if (!d.assumptions.empty()) {
      text += " (on the path where ";
      for (size_t i = 0; i < d.assumptions.size(); ++i) text += (i ? " and " : "") + d.assumptions[i];
      text += ")";
    }
    Json result = {{"ruleId", d.name},
                   {"ruleIndex", rule_index[d.name]},
                   {"level", Level(d.severity)},
                   {"message", {{"text", text}}},
                   {"locations", Json::array({Location(sources, d.span)})}};
    Json related = Json::array();
    int id = 0;
    for (const auto& n : d.notes) {
      if (!n.span.valid()) continue;
      Json loc = Location(sources, n.span);
      loc["id"] = id++;
      loc["message"] = {{"text", n.text}};
      related.push_back(loc);
    }
    if (!related.empty()) result["relatedLocations"] = related;
    if (!d.module_path.empty()) result["properties"] = {{"modulePath", d.module_path}};
    results.push_back(result);
  }
  Json driver = {{"name", "shapelint"}, {"version", version}, {"rules", rules}};
  return Json{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", Json::array({Json{{"tool", {{"driver", driver}}}, {"results", results}}})}};
}

}  // namespace shapelint::emit
