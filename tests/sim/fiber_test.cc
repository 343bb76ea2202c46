#include "kernbench/sim/fiber.h"

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace kernbench::sim {
namespace {

struct PingPong {
  Fiber* fiber = nullptr;
  std::string log;
};

TEST(Fiber, ResumeAndYieldAlternate) {
  StackPool pool;
  PingPong state;
  Fiber fiber(
      pool,
      [](void* ctx) {
        auto& s = *static_cast<PingPong*>(ctx);
        s.log += "a";
        s.fiber->yield();
        s.log += "c";
      },
      &state);
  state.fiber = &fiber;
  fiber.resume();
  state.log += "b";
  EXPECT_FALSE(fiber.finished());
  fiber.resume();
  EXPECT_EQ(state.log, "abc");
  EXPECT_TRUE(fiber.finished());
}

TEST(Fiber, ExceptionsCaughtInsideTheFiberStayThere) {
  StackPool pool;
  std::string caught;
  Fiber fiber(
      pool,
      [](void* ctx) {
        try {
          throw std::runtime_error("inside");
        } catch (const std::exception& e) {
          *static_cast<std::string*>(ctx) = e.what();
        }
      },
      &caught);
  fiber.resume();
  EXPECT_TRUE(fiber.finished());
  EXPECT_EQ(caught, "inside");
}

}  // namespace
}  // namespace kernbench::sim
