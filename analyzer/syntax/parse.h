// parse.h: the syntax layer. Reads Python source with tree-sitter-python and
// hands back the concrete syntax tree plus the syntax errors it contains.
// Nothing beyond ir/lower.cc looks at a TSNode.
#ifndef SHAPELINT_SYNTAX_PARSE_H_
#define SHAPELINT_SYNTAX_PARSE_H_

#include <memory>
#include <string>
#include <vector>

#include <tree_sitter/api.h>

#include "analyzer/base/source.h"

namespace shapelint::syntax {

struct SyntaxError {
  Span span;
  std::string message;  // "unexpected 'foo'" / "missing ')'"
};

// ParsedFile: owns the tree; `file` points into the run's SourceManager.
class ParsedFile {
 public:
  ParsedFile(const SourceFile* file, TSTree* tree);
  ~ParsedFile();
  ParsedFile(const ParsedFile&) = delete;
  ParsedFile& operator=(const ParsedFile&) = delete;

  TSNode Root() const;
  const SourceFile& file() const { return *file_; }
  const std::vector<SyntaxError>& errors() const { return errors_; }
  std::vector<SyntaxError>& mutable_errors() { return errors_; }

 private:
  const SourceFile* file_;
  TSTree* tree_;
  std::vector<SyntaxError> errors_;
};

// Parse: parses `file` (already checked to be UTF-8) and collects ERROR and
// MISSING nodes as syntax errors (the outermost of nested ones).
std::unique_ptr<ParsedFile> Parse(const SourceFile& file);

// SpanOf: the 1-based span of a node.
Span SpanOf(const SourceFile& file, TSNode node);

}  // namespace shapelint::syntax

#endif  // SHAPELINT_SYNTAX_PARSE_H_
