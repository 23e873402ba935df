// test_util.h: REQUIRE_OK and friends (Catch2 v2 has no status matchers).
#ifndef SHAPELINT_TESTS_TEST_UTIL_H_
#define SHAPELINT_TESTS_TEST_UTIL_H_

#include <catch2/catch.hpp>

#define REQUIRE_OK(expr)                          \
  do {                                            \
    auto sl_s_ = (expr);                          \
    INFO(sl_s_.ToString());                       \
    REQUIRE(sl_s_.ok());                          \
  } while (0)

#endif  // SHAPELINT_TESTS_TEST_UTIL_H_
