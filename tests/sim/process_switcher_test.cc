// The switching interface: a body run through a switcher blocks only through on_fiber, two
// processes' bodies interleave in simulated time, and exceptions cross the switch both ways with
// their types (an error from a blocking call caught by the body, an error of the body leaving
// run()). The Python module's thread-baton implementation is tested the same way in tests/python.
#include "kernbench/sim/process_switcher.h"

#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernbench/sim/engine.h"
#include "kernbench/sim/process.h"

namespace kernbench::sim {
namespace {

using namespace base::literals;

// A body written against the interface only, as the Python module's programs are.
void ping(ProcessSwitcher& sw, Process& self, base::SimTime step, std::vector<std::string>& log,
          const std::string& who) {
  sw.run([&] {
    for (int i = 0; i < 2; ++i) {
      sw.on_fiber([&] { self.wait(step); });
      log.push_back(who + "@" + std::to_string(self.now().ps()));
    }
  });
}

TEST(ProcessSwitcher, BodiesBlockThroughOnFiberAndInterleaveInSimulatedTime) {
  Engine engine;
  std::vector<std::string> log;
  FiberSwitcher a, b;
  engine.spawn("a", [&](Process& self) { ping(a, self, 3_ns, log, "a"); });
  engine.spawn("b", [&](Process& self) { ping(b, self, 5_ns, log, "b"); });
  engine.run();
  EXPECT_EQ(log, (std::vector<std::string>{"a@3000", "b@5000", "a@6000", "b@10000"}));
}

TEST(ProcessSwitcher, ExceptionsCrossTheSwitchBothWaysWithTheirTypes) {
  Engine engine;
  FiberSwitcher sw;
  std::string caught_in_body, caught_on_fiber;
  engine.spawn("p", [&](Process& self) {
    try {
      sw.run([&] {
        try {
          sw.on_fiber([&] {
            self.wait(2_ns);
            throw std::out_of_range("from a blocking call");
          });
        } catch (const std::out_of_range& e) {
          caught_in_body = e.what();
        }
        sw.on_fiber([&] { self.wait(1_ns); });  // the switch still works after a failure
        throw std::invalid_argument("from the body at " + std::to_string(self.now().ps()));
      });
    } catch (const std::invalid_argument& e) {
      caught_on_fiber = e.what();
    }
  });
  engine.run();
  EXPECT_EQ(caught_in_body, "from a blocking call");
  EXPECT_EQ(caught_on_fiber, "from the body at 3000");
}

}  // namespace
}  // namespace kernbench::sim
