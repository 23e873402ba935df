// fixture_test.cc: the one data-driven test over fixtures/. For every .py
// fixture it checks
//   1. inline expectations: `# error: [name]`, `# warning: [name]` on the
//      line `shapelint check` must report (and no other error or warning),
//      `# info: [name]` likewise when present;
//   2. with a `<name>.torch/` golden made by real torch
//      (tools/reference/tt_reference.py): `extract` equals its
//      unique_modules.json and pytorch_ops.json (timestamps aside), or, for
//      an error.json, extract reports an error on the line torch failed on;
//   3. `# shape: 1x16x32x32` on a line: the tensor assigned there in the
//      extract run has that shape;
//   4. the full text output of `check` equals `<name>.check.snap`
//      (UPDATE_SNAPSHOTS=1 rewrites the snapshots).
// Adding a fixture needs no registration.
#include <dirent.h>
#include <sys/stat.h>

#include <fstream>
#include <regex>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "analyzer/checks/rule_registry.h"
#include "analyzer/cli/analyze.h"
#include "analyzer/emit/diagnostics_out.h"

namespace shapelint {
namespace {

using nlohmann::json;

std::string ReadFile(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool Exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

void Walk(const std::string& dir, std::vector<std::string>* out) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n[0] != '.') names.push_back(n);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    std::string p = dir + "/" + n;
    struct stat st;
    ::stat(p.c_str(), &st);
    if (S_ISDIR(st.st_mode)) {
      if (!absl::EndsWith(n, ".torch")) Walk(p, out);
    } else if (absl::EndsWith(n, ".py")) {
      out->push_back(p);
    }
  }
}

struct Expectation {
  int line;
  std::string severity;
  std::string name;
};

std::vector<Expectation> Expectations(const std::string& text, std::map<int, std::string>* shapes) {
  std::vector<Expectation> out;
  static const std::regex kDiag(R"(#\s*(error|warning|info):\s*\[([a-z\-, ]+)\])");
  static const std::regex kShape(R"(#\s*shape:\s*([0-9A-Za-z_()/+*\- x]*[0-9A-Za-z_)]|))");
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::smatch m;
    if (std::regex_search(line, m, kDiag)) {
      std::stringstream names(m[2].str());
      std::string name;
      while (std::getline(names, name, ',')) {
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        out.push_back({n, m[1].str(), name});
      }
    }
    if (std::regex_search(line, m, kShape)) (*shapes)[n] = m[1].str();
  }
  return out;
}

// Strip: what legitimately differs between the static and dynamic runs.
json Strip(json j) {
  if (j.contains("metadata")) {
    // Counts the dynamic reference does not write (the benchmark compares
    // params with torch's own count).
    for (const char* k : {"timestamp", "analyzer", "mode", "total_params", "trainable_params", "macs"})
      j["metadata"].erase(k);
  }
  return j;
}

// FirstDifference: a readable path to the first place two JSON values differ.
std::string FirstDifference(const json& a, const json& b, const std::string& path = "") {
  if (a.type() != b.type()) return path + ": " + a.dump() + " vs " + b.dump();
  if (a.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (!b.contains(it.key())) return path + "." + it.key() + ": missing in torch";
      std::string d = FirstDifference(it.value(), b[it.key()], path + "." + it.key());
      if (!d.empty()) return d;
    }
    for (auto it = b.begin(); it != b.end(); ++it)
      if (!a.contains(it.key())) return path + "." + it.key() + ": missing in shapelint";
    return "";
  }
  if (a.is_array()) {
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
      std::string d = FirstDifference(a[i], b[i], absl::StrCat(path, "[", i, "]"));
      if (!d.empty()) return d;
    }
    if (a.size() != b.size()) return absl::StrCat(path, ": ", a.size(), " items vs ", b.size());
    return "";
  }
  if (a.is_number() && b.is_number() && std::abs(a.get<double>() - b.get<double>()) < 1e-12) return "";
  return a == b ? "" : path + ": " + a.dump() + " vs " + b.dump();
}

void CheckFixture(const std::string& path) {
  std::string text = ReadFile(path);
  std::map<int, std::string> shapes;
  std::vector<Expectation> expected = Expectations(text, &shapes);
  bool checks_info = std::any_of(expected.begin(), expected.end(), [](auto& e) { return e.severity == "info"; });

  auto analyzer = cli::Analyzer::Create({});
  REQUIRE(analyzer.ok());
  auto result = (*analyzer)->Check(path);
  REQUIRE(result.ok());
  auto diags = checks::ToDiagnostics(result->findings, (*analyzer)->sources());
  // 1. Inline expectations, both ways.
  for (const auto& e : expected) {
    bool found = false;
    for (const auto& d : diags)
      found |= d.span.line == e.line && d.name == e.name && SeverityName(d.severity) == e.severity;
    INFO(path << ":" << e.line << ": expected " << e.severity << "[" << e.name << "]\n"
              << emit::FormatText(diags, (*analyzer)->sources()));
    CHECK(found);
  }
  for (const auto& d : diags) {
    if (d.severity == Severity::kInfo && !checks_info) continue;
    bool wanted = false;
    for (const auto& e : expected)
      wanted |= d.span.line == e.line && d.name == e.name && SeverityName(d.severity) == e.severity;
    INFO("unexpected diagnostic:\n" << emit::FormatText({d}, (*analyzer)->sources()));
    CHECK(wanted);
  }
  // 4. Snapshot of the whole check output.
  std::string output = emit::FormatText(diags, (*analyzer)->sources());
  std::string snap = path.substr(0, path.size() - 3) + ".check.snap";
  if (std::getenv("UPDATE_SNAPSHOTS") != nullptr) {
    std::ofstream(snap) << output;
  } else {
    INFO("snapshot " << snap << " differs (UPDATE_SNAPSHOTS=1 rewrites it); got:\n" << output);
    CHECK(Exists(snap));
    CHECK(ReadFile(snap) == output);
  }

  // 2./3. The extract run against real torch.
  std::string golden = path.substr(0, path.size() - 3) + ".torch";
  if (!Exists(golden)) {
    // No real-torch golden (Keras, or a model torch cannot build): `# shape:`
    // expectations are checked on the values `check` computed at top level.
    for (const auto& [line, shape] : shapes) {
      auto it = result->line_shapes.find(line);
      INFO(path << ":" << line << ": expected shape " << shape);
      REQUIRE(it != result->line_shapes.end());
      CHECK(it->second == shape);
    }
    return;
  }
  auto ex_analyzer = cli::Analyzer::Create({});
  REQUIRE(ex_analyzer.ok());
  cli::ExtractRequest req;
  req.model_file = path;
  req.inputs_file = path;
  auto ex = (*ex_analyzer)->Extract(req);
  INFO(path << ": extract: " << ex.status().ToString());
  REQUIRE(ex.ok());
  for (const auto& [line, shape] : shapes) {
    auto it = ex->line_shapes.find(line);
    INFO(path << ":" << line << ": expected shape " << shape);
    REQUIRE(it != ex->line_shapes.end());
    CHECK(it->second == shape);
  }
  if (Exists(golden + "/error.json")) {
    json err = json::parse(ReadFile(golden + "/error.json"));
    int line = err["line"].get<int>();
    auto ex_diags = checks::ToDiagnostics(ex->findings, (*ex_analyzer)->sources());
    bool found = false;
    for (const auto& d : ex_diags) found |= d.severity == Severity::kError && d.span.line == line;
    INFO(path << ": torch fails at line " << line << " (" << err["message"].get<std::string>()
              << "); shapelint extract said:\n" << emit::FormatText(ex_diags, (*ex_analyzer)->sources()));
    CHECK(found);
    return;
  }
  for (const char* name : {"unique_modules.json", "pytorch_ops.json"}) {
    json want = Strip(json::parse(ReadFile(golden + "/" + name)));
    json got = Strip(json::parse((std::string(name) == "unique_modules.json" ? ex->json.unique_modules
                                                                             : ex->json.pytorch_ops).dump()));
    std::string diff = FirstDifference(got, want);
    INFO(path << ": " << name << " differs from real torch at " << diff);
    CHECK(diff.empty());
  }
}

TEST_CASE("fixtures") {
  std::vector<std::string> files;
  Walk("fixtures", &files);
  REQUIRE(!files.empty());
  for (const auto& f : files) {
    DYNAMIC_SECTION(f) { CheckFixture(f); }
  }
}

}  // namespace
}  // namespace shapelint
