#include "kernbench/sim/stack_pool.h"

#include <gtest/gtest.h>

namespace kernbench::sim {
namespace {

TEST(StackPool, RoundsToPagesAndReusesFreedStacks) {
  StackPool pool(100 * 1024 + 1);
  EXPECT_EQ(pool.stack_bytes() % 4096, 0u);
  EXPECT_GE(pool.stack_bytes(), 100u * 1024 + 1);
  auto a = pool.allocate();
  auto b = pool.allocate();
  EXPECT_EQ(pool.mapped(), 2u);
  EXPECT_NE(a.sp, b.sp);
  pool.deallocate(a);
  auto c = pool.allocate();
  EXPECT_EQ(c.sp, a.sp);
  EXPECT_EQ(pool.mapped(), 2u);
  // The stack is writable over its whole usable size.
  static_cast<char*>(c.sp)[-1] = 1;
  static_cast<char*>(c.sp)[-static_cast<std::ptrdiff_t>(c.size)] = 1;
  pool.deallocate(b);
  pool.deallocate(c);
}

TEST(StackPool, DefaultIs256KiB) {
  StackPool pool;
  EXPECT_EQ(pool.stack_bytes(), 256u * 1024);
}

}  // namespace
}  // namespace kernbench::sim
