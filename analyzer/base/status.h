// status.h: Abseil 20220623 has no ASSIGN_OR_RETURN; these project-prefixed
// macros are the one place that spells the early-return idiom.
#ifndef SHAPELINT_BASE_STATUS_H_
#define SHAPELINT_BASE_STATUS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define SL_CONCAT_INNER_(a, b) a##b
#define SL_CONCAT_(a, b) SL_CONCAT_INNER_(a, b)

#define SL_RETURN_IF_ERROR(expr)                  \
  do {                                            \
    ::absl::Status sl_status_ = (expr);           \
    if (!sl_status_.ok()) return sl_status_;      \
  } while (0)

#define SL_ASSIGN_OR_RETURN(lhs, expr) \
  SL_ASSIGN_OR_RETURN_IMPL_(SL_CONCAT_(sl_statusor_, __LINE__), lhs, expr)
#define SL_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()

#endif  // SHAPELINT_BASE_STATUS_H_
