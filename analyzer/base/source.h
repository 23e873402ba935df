// source.h: source files of one run and positions in them. A Span names a
// file by id so that values and IR nodes stay small; the SourceManager owns
// the text (for carets) and the paths.
#ifndef SHAPELINT_BASE_SOURCE_H_
#define SHAPELINT_BASE_SOURCE_H_

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace shapelint {

// Span: a 1-based line and column (in bytes) of a source file; file < 0 is
// "no location" (native code, synthesized values).
struct Span {
  int32_t file = -1;
  int32_t line = 0;
  int32_t col = 0;
  int32_t end_line = 0;
  int32_t end_col = 0;
  bool valid() const { return file >= 0; }
};

struct SourceFile {
  int32_t id = -1;
  std::string path;     // as given by the user or found on the search path
  std::string text;     // whole file
  std::vector<uint32_t> line_starts;
  std::string_view Line(int line) const;  // 1-based, without newline
};

// SourceManager: owns every file read during one run; ids are stable.
class SourceManager {
 public:
  SourceFile& Add(std::string path, std::string text);
  const SourceFile* Get(int32_t id) const;
  const std::string& Path(int32_t id) const;
  std::string Format(const Span& span) const;  // "path:line:col"

 private:
  std::deque<SourceFile> files_;
};

// IsValidUtf8: true when `text` is well-formed UTF-8; otherwise sets
// `bad_offset` to the first offending byte.
bool IsValidUtf8(std::string_view text, size_t* bad_offset);

}  // namespace shapelint

#endif  // SHAPELINT_BASE_SOURCE_H_
