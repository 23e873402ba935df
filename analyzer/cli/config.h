// config.h: the `[tool.shapelint]` table of a project's pyproject.toml.
//
//   [tool.shapelint]
//   select = ["shape-mismatch", "SL103"]   # only these rules (default: all)
//   ignore = ["unused-parameter"]          # never these (names or codes)
//   python-path = ["src"]                  # extra import roots, relative to the file
//   max-paths = 32                         # branch paths per file
//
//   [tool.shapelint.input-shapes]          # forward input per model class, for
//   Net = "Bx3x32x32"                      # models the file never calls
//   "Encoder" = ["Bx16x64", "Bx16"]        # several inputs
//
// Found by walking up from the first path checked to the nearest
// pyproject.toml that has the table (`--config FILE` names one instead).
#ifndef SHAPELINT_CLI_CONFIG_H_
#define SHAPELINT_CLI_CONFIG_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace shapelint::cli {

struct Config {
  std::string path;  // the pyproject.toml read ("" when none)
  std::vector<std::string> select, ignore;
  std::vector<std::string> python_path;  // absolute or relative to the config's folder, as resolved
  std::optional<int> max_paths;
  std::map<std::string, std::vector<std::string>> input_shapes;  // class name -> shapes
};

// LoadConfig: parses `path` (a pyproject.toml); a file without the table is an
// empty config. Errors (bad TOML, wrong types, unknown keys) name file:line.
absl::StatusOr<Config> LoadConfig(const std::string& path);
// FindConfig: the nearest pyproject.toml with a [tool.shapelint] table in the
// folders enclosing `start` (a file or folder); "" when none.
std::string FindConfig(const std::string& start);

}  // namespace shapelint::cli

#endif  // SHAPELINT_CLI_CONFIG_H_
