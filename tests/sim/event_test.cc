#include "kernbench/sim/event.h"

#include <gtest/gtest.h>

#include "kernbench/sim/process.h"

namespace kernbench::sim {
namespace {

using namespace base::literals;

TEST(Event, TriggerReleasesEveryWaiterAndStaysTriggered) {
  Engine engine;
  Event done("done");
  int released = 0;
  for (int i = 0; i < 3; ++i)
    engine.spawn("w", [&](Process& self) {
      self.wait(done);
      ++released;
    });
  engine.schedule_at(2_ns, [&] { done.trigger(); });
  engine.spawn("late", [&](Process& self) {
    self.wait(5_ns);
    self.wait(done);  // already triggered
    ++released;
    EXPECT_EQ(self.now(), 5_ns);
  });
  engine.run();
  EXPECT_EQ(released, 4);
  EXPECT_TRUE(done.triggered());
  EXPECT_EQ(done.describe(), "event 'done'");
}

TEST(Event, ResetReArmsTheEvent) {
  Engine engine;
  Event tick("tick");
  std::vector<base::SimTime> seen;
  engine.spawn("listener", [&](Process& self) {
    for (int i = 0; i < 2; ++i) {
      self.wait(tick);
      seen.push_back(self.now());
      tick.reset();
    }
  });
  engine.schedule_at(1_ns, [&] { tick.trigger(); });
  engine.schedule_at(4_ns, [&] { tick.trigger(); });
  engine.run();
  EXPECT_EQ(seen, (std::vector<base::SimTime>{1_ns, 4_ns}));
}

}  // namespace
}  // namespace kernbench::sim
