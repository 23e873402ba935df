#include "analyzer/syntax/parse.h"

#include <cstring>

#include "absl/strings/str_cat.h"

extern "C" const TSLanguage* tree_sitter_python(void);

namespace shapelint::syntax {

ParsedFile::ParsedFile(const SourceFile* file, TSTree* tree) : file_(file), tree_(tree) {}
ParsedFile::~ParsedFile() {
  if (tree_ != nullptr) ts_tree_delete(tree_);
}
TSNode ParsedFile::Root() const { return ts_tree_root_node(tree_); }

Span SpanOf(const SourceFile& file, TSNode node) {
  TSPoint a = ts_node_start_point(node);
  TSPoint b = ts_node_end_point(node);
  Span s;
  s.file = file.id;
  s.line = static_cast<int32_t>(a.row) + 1;
  s.col = static_cast<int32_t>(a.column) + 1;
  s.end_line = static_cast<int32_t>(b.row) + 1;
  s.end_col = static_cast<int32_t>(b.column) + 1;
  return s;
}

namespace {

void CollectErrors(const SourceFile& file, TSNode node, std::vector<SyntaxError>* out) {
  if (!ts_node_has_error(node)) return;
  if (ts_node_is_missing(node)) {
    out->push_back({SpanOf(file, node), absl::StrCat("missing '", ts_node_type(node), "'")});
    return;
  }
  if (std::strcmp(ts_node_type(node), "ERROR") == 0) {
    uint32_t b = ts_node_start_byte(node), e = ts_node_end_byte(node);
    std::string snippet = file.text.substr(b, std::min<uint32_t>(e - b, 40));
    size_t nl = snippet.find('\n');
    if (nl != std::string::npos) snippet.resize(nl);
    out->push_back({SpanOf(file, node), snippet.empty() ? "invalid syntax"
                                                        : absl::StrCat("invalid syntax near '", snippet, "'")});
    return;
  }
  uint32_t n = ts_node_child_count(node);
  for (uint32_t i = 0; i < n; ++i) CollectErrors(file, ts_node_child(node, i), out);
}

}  // namespace

std::unique_ptr<ParsedFile> Parse(const SourceFile& file) {
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_python());
  TSTree* tree = ts_parser_parse_string(parser, nullptr, file.text.data(),
                                        static_cast<uint32_t>(file.text.size()));
  ts_parser_delete(parser);
  auto parsed = std::make_unique<ParsedFile>(&file, tree);
  CollectErrors(file, parsed->Root(), &parsed->mutable_errors());
  return parsed;
}

}  // namespace shapelint::syntax
