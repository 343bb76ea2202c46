#include "kernbench/sim/engine.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernbench/base/error.h"
#include "kernbench/sim/event.h"
#include "kernbench/sim/process.h"
#include "kernbench/sim/store.h"

namespace kernbench::sim {
namespace {

using namespace base::literals;

TEST(Engine, SchedulesAtAbsoluteAndRelativeTimes) {
  Engine engine;
  std::vector<std::pair<std::string, base::SimTime>> log;
  engine.schedule_at(10_ns, [&] {
    log.emplace_back("abs", engine.now());
    engine.schedule_in(5_ns, [&] { log.emplace_back("rel", engine.now()); });
  });
  engine.run();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0], std::make_pair(std::string("abs"), 10_ns));
  EXPECT_EQ(log[1], std::make_pair(std::string("rel"), 15_ns));
  EXPECT_EQ(engine.now(), 15_ns);
  EXPECT_EQ(engine.events_processed(), 2u);
}

TEST(Engine, EqualTimesRunInSchedulingOrder) {
  Engine engine;
  std::string order;
  for (char c : std::string("abcdef")) engine.schedule_at(1_ns, [&order, c] { order += c; });
  engine.run();
  EXPECT_EQ(order, "abcdef");
}

TEST(Engine, FunctionPointerEventsCarryTheirContext) {
  Engine engine;
  int hits = 0;
  engine.schedule_in(
      3_ps, [](void* ctx) { ++*static_cast<int*>(ctx); }, &hits);
  engine.run();
  EXPECT_EQ(hits, 1);
  EXPECT_EQ(engine.now(), 3_ps);
}

TEST(Engine, RunUntilTimeStopsAndAdvancesTheClock) {
  Engine engine;
  int ran = 0;
  engine.schedule_at(5_ns, [&] { ++ran; });
  engine.schedule_at(10_ns, [&] { ++ran; });
  engine.schedule_at(11_ns, [&] { ++ran; });
  engine.run_until(10_ns);
  EXPECT_EQ(ran, 2);
  EXPECT_EQ(engine.now(), 10_ns);
  engine.run_until(20_ns);
  EXPECT_EQ(ran, 3);
  EXPECT_EQ(engine.now(), 20_ns);
}

TEST(Engine, RunUntilConditionStopsAsSoonAsItHolds) {
  Engine engine;
  int count = 0;
  for (int i = 1; i <= 10; ++i) engine.schedule_at(base::SimTime::from_ps(i), [&] { ++count; });
  EXPECT_TRUE(engine.run_until([&] { return count == 4; }));
  EXPECT_EQ(count, 4);
  EXPECT_EQ(engine.now(), 4_ps);
  EXPECT_FALSE(engine.run_until([&] { return count == 100; }));
  EXPECT_EQ(count, 10);
}

TEST(Engine, StepRunsOneEvent) {
  Engine engine;
  int count = 0;
  engine.schedule_at(1_ns, [&] { ++count; });
  engine.schedule_at(2_ns, [&] { ++count; });
  EXPECT_TRUE(engine.step());
  EXPECT_EQ(count, 1);
  EXPECT_TRUE(engine.step());
  EXPECT_FALSE(engine.step());
}

TEST(Engine, CancelledEventsDoNotRun) {
  Engine engine;
  int count = 0;
  const EventId id = engine.schedule_at(1_ns, [&] { count += 10; });
  engine.schedule_at(2_ns, [&] { ++count; });
  EXPECT_TRUE(engine.cancel(id));
  engine.run();
  EXPECT_EQ(count, 1);
  EXPECT_FALSE(engine.cancel(id));
}

TEST(Engine, DaemonsWaitingForeverAreNoDeadlock) {
  Engine engine;
  Store<int> requests("requests");
  int served = 0;
  engine.spawn(
      "server",
      [&](Process& self) {
        for (;;) served += requests.get(self);
      },
      SpawnOptions{.daemon = true});
  engine.spawn("client", [&](Process& self) {
    requests.put(self, 2);
    self.wait(1_ns);
    requests.put(self, 3);
  });
  EXPECT_NO_THROW(engine.run());
  EXPECT_EQ(served, 5);
  EXPECT_TRUE(engine.active_processes().empty());
}

TEST(EngineErrors, DeadlockListsEveryWaitingProcessAndWhatItWaitsOn) {
  Engine engine;
  Event rx("ipcq(0,1,2).rx");
  Store<int> q("q", 1);
  Process& first = engine.spawn("rank 0", [&](Process& self) { self.wait(rx); });
  engine.spawn("rank 1", [&](Process& self) { self.wait(first); });
  engine.spawn("rank 2", [&](Process& self) {
    self.wait(2_ns);
    q.get(self);
  });
  try {
    engine.run();
    FAIL() << "no deadlock reported";
  } catch (const base::DeadlockError& e) {
    EXPECT_STREQ(e.what(),
                 "deadlock at 2 ns: 3 processes are waiting and no event is scheduled:\n"
                 "  process 'rank 0' waits on event 'ipcq(0,1,2).rx'\n"
                 "  process 'rank 1' waits on process 'rank 0'\n"
                 "  process 'rank 2' waits on store 'q' (get, empty)");
  }
}

TEST(EngineErrors, DeadlockOnAllOfNamesWhatIsStillPending) {
  Engine engine;
  Event a("a"), b("b");
  engine.spawn("joiner", [&](Process& self) { self.wait_all({&a, &b}); });
  engine.schedule_at(1_ns, [&] { a.trigger(); });
  try {
    engine.run();
    FAIL() << "no deadlock reported";
  } catch (const base::DeadlockError& e) {
    EXPECT_STREQ(e.what(),
                 "deadlock at 1 ns: 1 process is waiting and no event is scheduled:\n"
                 "  process 'joiner' waits on all of {event 'b'}");
  }
}

TEST(EngineErrors, RunUntilConditionReportsDeadlockToo) {
  Engine engine;
  Event never("never");
  engine.spawn("stuck", [&](Process& self) { self.wait(never); });
  EXPECT_THROW(engine.run_until([] { return false; }), base::DeadlockError);
}

TEST(EngineErrors, EventLimitStopsAPollerAndNamesIt) {
  Engine engine(EngineConfig{.limits = {.max_events = 100}});
  engine.spawn("poller", [](Process& self) {
    for (;;) self.wait(1_ns);
  });
  try {
    engine.run();
    FAIL() << "no limit reported";
  } catch (const base::SimulationLimitError& e) {
    EXPECT_STREQ(e.what(),
                 "simulation limit reached: 100 events have run at 99 ns, the max_events limit; "
                 "active processes:\n"
                 "  process 'poller' waits on delay until 100 ns");
  }
}

TEST(EngineErrors, TimeLimitStopsARunAndSaysWhenOnlyCallbacksRemain) {
  Engine engine;
  engine.set_limits(EngineLimits{.max_time = 1_us});
  std::function<void()> tick = [&] { engine.schedule_in(300_ns, tick); };
  engine.schedule_at(0_ns, tick);
  try {
    engine.run();
    FAIL() << "no limit reported";
  } catch (const base::SimulationLimitError& e) {
    EXPECT_STREQ(e.what(),
                 "simulation limit reached: the next event is at 1.2 us, past max_time 1 us; "
                 "active processes: none (only callbacks are scheduled)");
  }
}

}  // namespace
}  // namespace kernbench::sim
