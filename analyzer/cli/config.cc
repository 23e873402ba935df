#include "analyzer/cli/config.h"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>
#include <toml++/toml.h>

#include "absl/strings/str_cat.h"

namespace shapelint::cli {

namespace {

std::string Where(const std::string& path, const toml::node& n) {
  return absl::StrCat(path, ":", n.source().begin.line);
}

// Strings: a string or an array of strings.
absl::Status Strings(const std::string& path, const std::string& key, const toml::node& n,
                     std::vector<std::string>* out) {
  if (auto s = n.value<std::string>()) {
    out->push_back(*s);
    return absl::OkStatus();
  }
  const toml::array* a = n.as_array();
  if (a == nullptr) return absl::InvalidArgumentError(absl::StrCat(Where(path, n), ": ", key, " must be a string or a list of strings"));
  for (const auto& item : *a) {
    auto s = item.value<std::string>();
    if (!s) return absl::InvalidArgumentError(absl::StrCat(Where(path, item), ": ", key, " must hold strings"));
    out->push_back(*s);
  }
  return absl::OkStatus();
}

std::string DirOf(const std::string& p) {
  size_t slash = p.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : p.substr(0, slash);
}

bool Exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

}  // namespace

absl::StatusOr<Config> LoadConfig(const std::string& path) {
  Config c;
  c.path = path;
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return absl::InvalidArgumentError(absl::StrCat(path, ":", e.source().begin.line, ":", e.source().begin.column,
                                                   ": invalid TOML: ", std::string(e.description())));
  }
  const toml::table* tool = doc["tool"].as_table();
  const toml::table* t = tool ? (*tool)["shapelint"].as_table() : nullptr;
  if (t == nullptr) return c;
  for (const auto& [key, node] : *t) {
    std::string k(key.str());
    absl::Status s;
    if (k == "select") {
      s = Strings(path, k, node, &c.select);
    } else if (k == "ignore") {
      s = Strings(path, k, node, &c.ignore);
    } else if (k == "python-path") {
      std::vector<std::string> dirs;
      s = Strings(path, k, node, &dirs);
      for (auto& d : dirs) c.python_path.push_back(!d.empty() && d[0] == '/' ? d : DirOf(path) + "/" + d);
    } else if (k == "max-paths") {
      auto n = node.value<int64_t>();
      if (!n || *n < 1 || *n > 100000)
        return absl::InvalidArgumentError(absl::StrCat(Where(path, node), ": max-paths must be an integer >= 1"));
      c.max_paths = static_cast<int>(*n);
    } else if (k == "input-shapes") {
      const toml::table* shapes = node.as_table();
      if (shapes == nullptr)
        return absl::InvalidArgumentError(absl::StrCat(Where(path, node), ": input-shapes must be a table"));
      for (const auto& [cls, v] : *shapes) {
        s = Strings(path, "input-shapes." + std::string(cls.str()), v, &c.input_shapes[std::string(cls.str())]);
        if (!s.ok()) return s;
      }
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          Where(path, node), ": unknown key '", k,
          "' in [tool.shapelint] (known: select, ignore, python-path, max-paths, input-shapes)"));
    }
    if (!s.ok()) return s;
  }
  return c;
}

std::string FindConfig(const std::string& start) {
  char buf[PATH_MAX];
  if (::realpath(start.c_str(), buf) == nullptr) return "";
  std::string dir = buf;
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) dir = DirOf(dir);
  while (true) {
    std::string candidate = dir == "/" ? "/pyproject.toml" : dir + "/pyproject.toml";
    if (Exists(candidate)) {
      try {
        toml::table doc = toml::parse_file(candidate);
        if (doc["tool"]["shapelint"].as_table() != nullptr) return candidate;
      } catch (const toml::parse_error&) {
        return candidate;  // LoadConfig reports it
      }
    }
    if (dir == "/" || dir.empty()) return "";
    dir = DirOf(dir);
  }
}

}  // namespace shapelint::cli
