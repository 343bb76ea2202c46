#include "kernbench/sim/resource.h"

#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "kernbench/base/error.h"
#include "kernbench/sim/engine.h"
#include "kernbench/sim/process.h"

namespace kernbench::sim {
namespace {

using namespace base::literals;

TEST(Resource, OneSlotServesInArrivalOrder) {
  Engine engine;
  Resource link(engine, "link");
  std::vector<std::string> log;
  for (int i = 0; i < 3; ++i)
    engine.spawn(fmt::format("p{}", i), [&, i](Process& self) {
      const base::SimTime started = link.use(self, 10_ns);
      log.push_back(fmt::format("p{} {} {}", i, started, self.now()));
    });
  engine.run();
  EXPECT_EQ(log, (std::vector<std::string>{"p0 0 ps 10 ns", "p1 10 ns 20 ns", "p2 20 ns 30 ns"}));
  EXPECT_EQ(link.busy_time(), 30_ns);
}

TEST(Resource, TwoSlotsServeTwoAtATime) {
  Engine engine;
  Resource memory(engine, "memory", 2);
  std::vector<base::SimTime> ends;
  for (int i = 0; i < 4; ++i)
    engine.spawn("p", [&](Process& self) {
      memory.use(self, 10_ns);
      ends.push_back(self.now());
    });
  engine.run();
  EXPECT_EQ(ends, (std::vector<base::SimTime>{10_ns, 10_ns, 20_ns, 20_ns}));
}

struct Done {
  Engine* engine;
  std::vector<base::SimTime>* ends;
};

TEST(Resource, CallbackFormForPlainEventHandlers) {
  Engine engine;
  Resource unit(engine, "unit");
  std::vector<base::SimTime> ends;
  Done done{&engine, &ends};
  base::SimTime second_start;
  auto on_done = [](void* ctx) {
    auto& d = *static_cast<Done*>(ctx);
    d.ends->push_back(d.engine->now());
  };
  unit.request(5_ns, on_done, &done);
  unit.request(3_ns, on_done, &done, &second_start);
  EXPECT_EQ(unit.busy(), 1u);
  EXPECT_EQ(unit.queued(), 1u);
  engine.run();
  EXPECT_EQ(ends, (std::vector<base::SimTime>{5_ns, 8_ns}));
  EXPECT_EQ(second_start, 5_ns);
}

TEST(Resource, AcquireHoldsUntilRelease) {
  Engine engine;
  Resource bus(engine, "bus");
  base::SimTime second_got;
  engine.spawn("holder", [&](Process& self) {
    bus.acquire(self);
    self.wait(7_ns);
    bus.release();
  });
  engine.spawn("next", [&](Process& self) {
    bus.acquire(self);
    second_got = self.now();
    bus.release();
  });
  engine.run();
  EXPECT_EQ(second_got, 7_ns);
  EXPECT_EQ(bus.busy(), 0u);
}

// try_acquire takes a free slot in the call, and never one a queued request is owed.
TEST(Resource, TryAcquireTakesOnlyAFreeSlotNobodyWaitsFor) {
  Engine engine;
  Resource dma(engine, "dma", 2);
  EXPECT_TRUE(dma.try_acquire());
  EXPECT_TRUE(dma.try_acquire());
  EXPECT_EQ(dma.busy(), 2u);
  EXPECT_FALSE(dma.try_acquire());  // both slots held
  int granted = 0;
  dma.acquire([](void* n) { ++*static_cast<int*>(n); }, &granted);
  dma.release();
  EXPECT_FALSE(dma.try_acquire());  // the freed slot is the queued request's
  engine.run();
  EXPECT_EQ(granted, 1);
  EXPECT_EQ(dma.busy(), 2u);
  dma.release();
  EXPECT_TRUE(dma.try_acquire());
  EXPECT_EQ(dma.busy(), 2u);
}

// A slot freed as of a later time is busy until then and free from then on, with no event unless
// a request waits for it (that one is granted at that time, as release() then would grant it).
TEST(Resource, ReleaseAtFreesTheSlotAsOfItsTime) {
  Engine engine;
  Resource dma(engine, "dma");
  ASSERT_TRUE(dma.try_acquire());
  dma.release_at(10_ns);
  EXPECT_EQ(dma.busy(), 1u);
  engine.run();
  EXPECT_EQ(engine.events_processed(), 0u);
  engine.run_until(10_ns);
  EXPECT_EQ(dma.busy(), 0u);
  EXPECT_TRUE(dma.try_acquire());
  dma.release_at(15_ns);
  base::SimTime got;
  engine.spawn("next", [&](Process& self) {
    self.wait(2_ns);  // at 12 ns, before the slot is free
    EXPECT_FALSE(dma.try_acquire());
    dma.acquire(self);
    got = self.now();
    dma.release();
  });
  base::SimTime served;
  int done = 0;
  dma.request(
      1_ns, [](void* n) { ++*static_cast<int*>(n); }, &done, &served);
  engine.run();
  EXPECT_EQ(done, 1);
  EXPECT_EQ(served, 15_ns);  // queued first, so served first
  EXPECT_EQ(got, 16_ns);
  EXPECT_EQ(dma.busy(), 0u);
}

// reserve() grants what request() would, at the same times, where the end is known now: a free
// slot, or the slot freed first when every busy one is freed by a known time; never past a
// queued request.
TEST(Resource, ReserveGrantsWhatRequestWouldWithoutAnEvent) {
  Engine engine;
  Resource unit(engine, "unit");
  EXPECT_EQ(unit.reserve(5_ns), 5_ns);
  EXPECT_EQ(unit.reserve(3_ns), 8_ns);  // after the first
  EXPECT_EQ(unit.busy(), 1u);
  EXPECT_EQ(unit.busy_time(), 8_ns);
  base::SimTime started;
  int done = 0;
  unit.request(
      2_ns, [](void* n) { ++*static_cast<int*>(n); }, &done, &started);
  EXPECT_EQ(unit.reserve(1_ns), std::nullopt);  // one queues: its turn comes first
  engine.run();
  EXPECT_EQ(started, 8_ns);
  EXPECT_EQ(engine.now(), 10_ns);
  EXPECT_EQ(done, 1);
  EXPECT_EQ(unit.busy(), 0u);
  EXPECT_EQ(unit.reserve(4_ns), 14_ns);
  unit.request(
      1_ns, [](void*) {}, nullptr);  // served after the reserved one's slot is freed
  ASSERT_TRUE(unit.try_acquire() == false);
  EXPECT_EQ(unit.reserve(1_ns), std::nullopt);
  engine.run();
  EXPECT_EQ(engine.now(), 15_ns);
}

TEST(ResourceErrors, DeadlockNamesTheResource) {
  Engine engine;
  Resource bus(engine, "bus");
  engine.spawn("forgetful", [&](Process& self) { bus.acquire(self); });
  engine.spawn("blocked", [&](Process& self) { bus.acquire(self); });
  try {
    engine.run();
    FAIL() << "no deadlock";
  } catch (const base::DeadlockError& e) {
    EXPECT_STREQ(e.what(),
                 "deadlock at 0 ps: 1 process is waiting and no event is scheduled:\n"
                 "  process 'blocked' waits on resource 'bus' (1 of 1 slots busy, 1 queued)");
  }
}

}  // namespace
}  // namespace kernbench::sim
