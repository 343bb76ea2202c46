#include "kernbench/sim/process.h"

#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernbench/base/error.h"
#include "kernbench/sim/event.h"

namespace kernbench::sim {
namespace {

using namespace base::literals;

TEST(Process, WaitsForDelaysInSequence) {
  Engine engine;
  std::vector<base::SimTime> seen;
  engine.spawn("p", [&](Process& self) {
    seen.push_back(self.now());
    self.wait(5_ns);
    seen.push_back(self.now());
    self.wait_until(12_ns);
    seen.push_back(self.now());
    self.wait(0_ns);
    seen.push_back(self.now());
  });
  engine.run();
  EXPECT_EQ(seen, (std::vector<base::SimTime>{0_ns, 5_ns, 12_ns, 12_ns}));
}

TEST(Process, WaitsForAnEvent) {
  Engine engine;
  Event ev("ev");
  base::SimTime woke;
  engine.spawn("waiter", [&](Process& self) {
    self.wait(ev);
    woke = self.now();
  });
  engine.spawn("trigger", [&](Process& self) {
    self.wait(7_ns);
    ev.trigger();
  });
  engine.run();
  EXPECT_EQ(woke, 7_ns);
}

TEST(Process, WaitsForAnotherProcessToFinish) {
  Engine engine;
  std::string order;
  Process& child = engine.spawn("child", [&](Process& self) {
    self.wait(3_ns);
    order += "c";
  });
  engine.spawn("parent", [&](Process& self) {
    self.wait(child);
    order += "p";
    EXPECT_EQ(self.now(), 3_ns);
    self.wait(child);  // already finished: returns at once
    order += "p";
  });
  engine.run();
  EXPECT_EQ(order, "cpp");
  EXPECT_TRUE(child.finished());
}

TEST(Process, WaitAllReturnsWhenTheLastIsReady) {
  Engine engine;
  Event a("a"), b("b"), c("c");
  base::SimTime woke;
  engine.spawn("joiner", [&](Process& self) {
    self.wait_all({&a, &b, &c});
    woke = self.now();
  });
  engine.schedule_at(1_ns, [&] { b.trigger(); });
  engine.schedule_at(4_ns, [&] { a.trigger(); });
  engine.schedule_at(2_ns, [&] { c.trigger(); });
  engine.run();
  EXPECT_EQ(woke, 4_ns);
}

TEST(Process, WaitAnyReturnsTheFirstReadyIndex) {
  Engine engine;
  Event a("a"), b("b");
  std::size_t index = 99;
  base::SimTime woke;
  Process& sleeper = engine.spawn("sleeper", [](Process& self) { self.wait(10_ns); });
  engine.spawn("chooser", [&](Process& self) {
    index = self.wait_any({&a, &sleeper, &b});
    woke = self.now();
    EXPECT_EQ(self.wait_any({&a, &b}), 1u);  // b is already triggered
  });
  engine.schedule_at(6_ns, [&] { b.trigger(); });
  engine.schedule_at(8_ns, [&] { a.trigger(); });  // must not wake the chooser twice
  engine.run();
  EXPECT_EQ(index, 2u);
  EXPECT_EQ(woke, 6_ns);
}

TEST(Process, SuspendAndWakeBuildNewPrimitives) {
  Engine engine;
  struct Gate final : BlockReason {
    std::string describe() const override { return "gate"; }
  } gate;
  Process* blocked = nullptr;
  base::SimTime woke;
  engine.spawn("p", [&](Process& self) {
    blocked = &self;
    self.suspend(gate);
    woke = self.now();
  });
  engine.schedule_at(9_ns, [&] {
    EXPECT_EQ(blocked->blocked_on(), &gate);
    blocked->wake();
  });
  engine.run();
  EXPECT_EQ(woke, 9_ns);
}

TEST(Process, UnfinishedProcessesAreUnwoundWhenTheEngineDies) {
  bool destroyed = false;
  {
    Engine engine;
    Event never("never");
    engine.spawn("stuck", [&](Process& self) {
      struct Flag {
        bool& f;
        ~Flag() { f = true; }
      } flag{destroyed};
      self.wait(never);
    });
    engine.run_until(1_ns);
    EXPECT_FALSE(destroyed);
  }
  EXPECT_TRUE(destroyed);
}

TEST(Process, FinishedStacksAreReused) {
  Engine engine;
  int done = 0;
  for (int i = 0; i < 100; ++i)
    engine.schedule_at(base::SimTime::from_ps(i * 10), [&] {
      engine.spawn("short", [&](Process& self) {
        self.wait(1_ps);
        ++done;
      });
    });
  engine.run();
  EXPECT_EQ(done, 100);
  EXPECT_EQ(engine.stack_pool().mapped(), 1u);  // never two alive at once
}

// Deep call chain so the exception unwinds many frames of the fiber's stack (run under ASan too).
int descend(Process& self, int depth) {
  volatile char pad[256] = {};
  if (depth == 0) {
    self.wait(1_ns);
    throw std::runtime_error("bad shape in rank 3");
  }
  return descend(self, depth - 1) + pad[depth % 256];
}

TEST(ProcessErrors, ExceptionThroughAFiberSurfacesWithTheProcessName) {
  Engine engine;
  engine.spawn("bystander", [](Process& self) { self.wait(100_ns); });
  engine.spawn("rank 3", [](Process& self) { descend(self, 200); });
  try {
    engine.run();
    FAIL() << "no error";
  } catch (const base::ProcessError& e) {
    EXPECT_STREQ(e.what(), "process 'rank 3' failed at 1 ns: bad shape in rank 3");
    try {
      std::rethrow_if_nested(e);
      FAIL() << "original exception not nested";
    } catch (const std::runtime_error& original) {
      EXPECT_STREQ(original.what(), "bad shape in rank 3");
    }
  }
}

TEST(ProcessErrors, TypedErrorsKeepTheirMessage) {
  Engine engine;
  engine.spawn("alloc", [](Process&) { throw base::OutOfMemoryError("TCM of pe 2 is full"); });
  EXPECT_THROW(
      {
        try {
          engine.run();
        } catch (const base::ProcessError& e) {
          EXPECT_STREQ(e.what(), "process 'alloc' failed at 0 ps: TCM of pe 2 is full");
          throw;
        }
      },
      base::ProcessError);
}

TEST(ProcessErrors, WakingAProcessThatIsNotSuspendedIsABug) {
  Engine engine;
  Process& p = engine.spawn("sleeper", [](Process& self) { self.wait(5_ns); });
  engine.run_until(1_ns);
  EXPECT_THROW(p.wake(), base::InternalError);
}

}  // namespace
}  // namespace kernbench::sim

namespace kernbench::sim {
namespace {

TEST(ProcessDetached, FinishedDetachedProcessesAreFreed) {
  Engine engine;
  int ran = 0;
  engine.spawn("spawner", [&](Process& self) {
    for (int i = 0; i < 20000; ++i) {
      Process& child = self.engine().spawn(
          "child",
          [&](Process& c) {
            c.wait(base::SimTime::from_ps(1));
            ++ran;
          },
          SpawnOptions{.detached = true});
      self.wait(child);  // waiting from before it ends is allowed
    }
  });
  engine.run();
  EXPECT_EQ(ran, 20000);
  EXPECT_LT(engine.process_objects(), 3000u);  // freed in batches, not kept all 20001
}

TEST(ProcessDetached, AttachedProcessesAreKept) {
  Engine engine;
  for (int i = 0; i < 3000; ++i) engine.spawn("p", [](Process&) {});
  engine.run();
  EXPECT_EQ(engine.process_objects(), 3000u);
}

}  // namespace
}  // namespace kernbench::sim
