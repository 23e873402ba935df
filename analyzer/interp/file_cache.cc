#include "analyzer/interp/file_cache.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "analyzer/ir/lower.h"
#include "analyzer/syntax/parse.h"

namespace shapelint::interp {

absl::StatusOr<LoadedFile*> FileCache::Load(const std::string& path) {
  auto it = by_path_.find(path);
  if (it != by_path_.end()) return it->second;
  std::string text;
  if (path.rfind(kBundledRoot, 0) == 0) {
    const std::string* bundled = bundle_ ? bundle_->BundledSource(std::string_view(path).substr(kBundledRoot.size())) : nullptr;
    if (bundled == nullptr) return absl::NotFoundError(absl::StrCat(path, ": no such bundled file"));
    text = *bundled;
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot read file"));
    std::stringstream buf;
    buf << in.rdbuf();
    text = buf.str();
  }
  SourceFile& src = sources_.Add(path, std::move(text));
  auto lf = std::make_unique<LoadedFile>();
  lf->source = &src;
  size_t bad = 0;
  if (!IsValidUtf8(src.text, &bad)) {
    // Python refuses such a file at import; so do we, with the position.
    int line = 1, col = 1;
    for (size_t i = 0; i < bad; ++i) {
      if (src.text[i] == '\n') { ++line; col = 1; } else { ++col; }
    }
    Finding f;
    f.kind = FindingKind::kSyntaxError;
    f.span = Span{src.id, line, col, line, col + 1};
    f.detail = absl::StrCat("file is not valid UTF-8 (byte 0x",
                            absl::Hex(static_cast<unsigned char>(src.text[bad]), absl::kZeroPad2),
                            "); Python cannot import it");
    sink_.Report(std::move(f));
    lf->ir = std::make_unique<ir::Module>();
    lf->ir->file = &src;
    lf->has_syntax_errors = true;
  } else {
    auto parsed = syntax::Parse(src);
    for (const auto& e : parsed->errors()) {
      Finding f;
      f.kind = FindingKind::kSyntaxError;
      f.span = e.span;
      f.detail = e.message;
      sink_.Report(std::move(f));
    }
    lf->has_syntax_errors = !parsed->errors().empty();
    lf->ir = ir::Lower(*parsed);
    for (const auto& [span, note] : lf->ir->lowering_notes) {
      Finding f;
      f.kind = FindingKind::kAnalysisIncomplete;
      f.span = span;
      f.subject = "syntax";
      f.detail = note;
      sink_.Report(std::move(f));
    }
  }
  LoadedFile* raw = lf.get();
  files_.push_back(std::move(lf));
  by_path_[path] = raw;
  return raw;
}

}  // namespace shapelint::interp
