// lower.h: CST (tree-sitter) -> IR. Total: every input tree lowers to some IR;
// ERROR nodes are skipped (their statements dropped), unknown constructs
// become Unsupported nodes, nesting deeper than kMaxDepth is cut with a note.
#ifndef SHAPELINT_IR_LOWER_H_
#define SHAPELINT_IR_LOWER_H_

#include <memory>

#include "analyzer/ir/ir.h"
#include "analyzer/syntax/parse.h"

namespace shapelint::ir {

inline constexpr int kMaxDepth = 400;

std::unique_ptr<Module> Lower(const syntax::ParsedFile& parsed);

}  // namespace shapelint::ir

#endif  // SHAPELINT_IR_LOWER_H_
