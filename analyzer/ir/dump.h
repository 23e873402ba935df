// dump.h: S-expression dump of the IR with spans (`--dump=ir`), the habit that
// makes lowering bugs cheap to find.
#ifndef SHAPELINT_IR_DUMP_H_
#define SHAPELINT_IR_DUMP_H_

#include <string>

#include "analyzer/ir/ir.h"

namespace shapelint::ir {

std::string Dump(const Module& module);
std::string DumpExpr(const Expr& expr);

}  // namespace shapelint::ir

#endif  // SHAPELINT_IR_DUMP_H_
