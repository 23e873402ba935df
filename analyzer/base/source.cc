#include "analyzer/base/source.h"

#include "absl/strings/str_cat.h"

namespace shapelint {

std::string_view SourceFile::Line(int line) const {
  if (line < 1 || line > static_cast<int>(line_starts.size())) return {};
  size_t begin = line_starts[line - 1];
  size_t end = line < static_cast<int>(line_starts.size()) ? line_starts[line] : text.size();
  while (end > begin && (text[end - 1] == '\n' || text[end - 1] == '\r')) --end;
  return std::string_view(text).substr(begin, end - begin);
}

SourceFile& SourceManager::Add(std::string path, std::string text) {
  SourceFile& f = files_.emplace_back();
  f.id = static_cast<int32_t>(files_.size() - 1);
  f.path = std::move(path);
  f.text = std::move(text);
  f.line_starts.push_back(0);
  for (size_t i = 0; i < f.text.size(); ++i) {
    if (f.text[i] == '\n' && i + 1 < f.text.size()) f.line_starts.push_back(i + 1);
  }
  return f;
}

const SourceFile* SourceManager::Get(int32_t id) const {
  if (id < 0 || id >= static_cast<int32_t>(files_.size())) return nullptr;
  return &files_[id];
}

const std::string& SourceManager::Path(int32_t id) const {
  static const std::string kNone = "<native>";
  const SourceFile* f = Get(id);
  return f ? f->path : kNone;
}

std::string SourceManager::Format(const Span& span) const {
  if (!span.valid()) return "<native>";
  return absl::StrCat(Path(span.file), ":", span.line, ":", span.col);
}

bool IsValidUtf8(std::string_view s, size_t* bad_offset) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = 0;
    uint32_t cp = 0;
    if (c < 0x80) { ++i; continue; }
    if ((c >> 5) == 0x6) { n = 1; cp = c & 0x1f; }
    else if ((c >> 4) == 0xe) { n = 2; cp = c & 0x0f; }
    else if ((c >> 3) == 0x1e) { n = 3; cp = c & 0x07; }
    else { if (bad_offset) *bad_offset = i; return false; }
    for (int k = 1; k <= n; ++k) {
      if (i + k >= s.size()) { if (bad_offset) *bad_offset = i; return false; }
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) { if (bad_offset) *bad_offset = i; return false; }
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, surrogates and out-of-range code points.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace shapelint
