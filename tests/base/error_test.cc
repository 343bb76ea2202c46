#include "kernbench/base/error.h"

#include <gtest/gtest.h>

#include "kernbench/base/assert.h"

namespace kernbench::base {
namespace {

TEST(Error, ConfigErrorListsEveryProblem) {
  ConfigError one({"a.yaml:3:5: system.sips.count: expected a positive integer, found -1"});
  EXPECT_STREQ(one.what(), "a.yaml:3:5: system.sips.count: expected a positive integer, found -1");
  ConfigError two({"first", "second"});
  EXPECT_STREQ(two.what(), "2 problems:\n  first\n  second");
  EXPECT_EQ(two.problems().size(), 2u);
}

TEST(Error, AssertThrowsInternalErrorWithLocation) {
  try {
    KB_ASSERT(1 + 1 == 3, "arithmetic is broken");
    FAIL() << "no throw";
  } catch (const InternalError& e) {
    EXPECT_NE(std::string(e.what()).find("arithmetic is broken (1 + 1 == 3)"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("error_test.cc:"), std::string::npos);
  }
}

TEST(Error, UserErrorsShareOneBase) {
  EXPECT_THROW(throw ShapeError("x"), Error);
  EXPECT_THROW(throw OutOfMemoryError("x"), Error);
  EXPECT_THROW(throw DeadlockError("x"), Error);
}

}  // namespace
}  // namespace kernbench::base
