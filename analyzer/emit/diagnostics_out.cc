#include "analyzer/emit/diagnostics_out.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace shapelint::emit {

std::string FormatText(const std::vector<checks::Diagnostic>& diags, const SourceManager& sources,
                       bool show_source) {
  std::string out;
  for (const auto& d : diags) {
    absl::StrAppend(&out, sources.Format(d.span), ": ", SeverityName(d.severity), "[", d.name, "]: ", d.message);
    if (!d.module_path.empty()) absl::StrAppend(&out, " [in ", d.module_path, "]");
    out += "\n";
    const SourceFile* f = sources.Get(d.span.file);
    if (show_source && f != nullptr && d.span.line > 0) {
      std::string_view line = f->Line(d.span.line);
      absl::StrAppend(&out, "  ", d.span.line, " | ", absl::string_view(line.data(), line.size()), "\n");
      std::string pad(std::to_string(d.span.line).size(), ' ');
      std::string caret(static_cast<size_t>(std::max(0, d.span.col - 1)), ' ');
      for (size_t i = 0; i < caret.size() && i < line.size(); ++i)
        if (line[i] == '\t') caret[i] = '\t';
      int width = (d.span.end_line == d.span.line && d.span.end_col > d.span.col) ? d.span.end_col - d.span.col : 1;
      width = std::max(1, std::min({width, static_cast<int>(line.size()) - d.span.col + 1, 80}));
      absl::StrAppend(&out, "  ", pad, " | ", caret, std::string(static_cast<size_t>(width), '^'), "\n");
    }
    for (const auto& n : d.notes) {
      if (n.span.valid()) absl::StrAppend(&out, "  note: ", sources.Format(n.span), ": ", n.text, "\n");
      else absl::StrAppend(&out, "  note: ", n.text, "\n");
    }
  }
  return out;
}

nlohmann::ordered_json FormatJson(const std::vector<checks::Diagnostic>& diags, const SourceManager& sources) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& d : diags) {
    nlohmann::ordered_json j;
    j["file"] = sources.Path(d.span.file);
    j["line"] = d.span.line;
    j["column"] = d.span.col;
    j["end_line"] = d.span.end_line;
    j["end_column"] = d.span.end_col;
    j["severity"] = SeverityName(d.severity);
    j["code"] = d.code;
    j["name"] = d.name;
    j["message"] = d.message;
    j["module_path"] = d.module_path;
    j["assumptions"] = d.assumptions;
    nlohmann::ordered_json notes = nlohmann::ordered_json::array();
    for (const auto& n : d.notes) {
      nlohmann::ordered_json nj;
      if (n.span.valid()) {
        nj["file"] = sources.Path(n.span.file);
        nj["line"] = n.span.line;
        nj["column"] = n.span.col;
      }
      nj["message"] = n.text;
      notes.push_back(nj);
    }
    j["notes"] = notes;
    arr.push_back(j);
  }
  return arr;
}

}  // namespace shapelint::emit
