#include "kernbench/sim/store.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernbench/base/error.h"

namespace kernbench::sim {
namespace {

using namespace base::literals;

TEST(Store, GetBlocksUntilAPutAndItemsComeOutFifo) {
  Engine engine;
  Store<std::string> q("q");
  std::vector<std::string> got;
  base::SimTime first_at;
  engine.spawn("consumer", [&](Process& self) {
    got.push_back(q.get(self));
    first_at = self.now();
    got.push_back(q.get(self));
  });
  engine.spawn("producer", [&](Process& self) {
    self.wait(4_ns);
    q.put(self, "a");
    q.put(self, "b");
  });
  engine.run();
  EXPECT_EQ(got, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(first_at, 4_ns);
}

TEST(Store, PutBlocksWhileFull) {
  Engine engine;
  Store<int> q("q", 2);
  std::vector<base::SimTime> put_done;
  engine.spawn("producer", [&](Process& self) {
    for (int i = 0; i < 4; ++i) {
      q.put(self, i);
      put_done.push_back(self.now());
    }
  });
  std::vector<int> got;
  engine.spawn("consumer", [&](Process& self) {
    for (int i = 0; i < 4; ++i) {
      self.wait(10_ns);
      got.push_back(q.get(self));
    }
  });
  engine.run();
  EXPECT_EQ(got, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(put_done, (std::vector<base::SimTime>{0_ns, 0_ns, 10_ns, 20_ns}));
}

TEST(Store, TryFormsNeverBlock) {
  Store<int> q("q", 1);
  int a = 1, b = 2;
  EXPECT_TRUE(q.try_put(a));
  EXPECT_FALSE(q.try_put(b));
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.try_get(), 1);
  EXPECT_EQ(q.try_get(), std::nullopt);
}

TEST(StoreErrors, DeadlockSaysWhichSideIsStuck) {
  Engine engine;
  Store<int> q("ipcq", 1);
  engine.spawn("sender", [&](Process& self) {
    q.put(self, 1);
    q.put(self, 2);
  });
  try {
    engine.run();
    FAIL() << "no deadlock";
  } catch (const base::DeadlockError& e) {
    EXPECT_STREQ(e.what(),
                 "deadlock at 0 ps: 1 process is waiting and no event is scheduled:\n"
                 "  process 'sender' waits on store 'ipcq' (put, full)");
  }
}

}  // namespace
}  // namespace kernbench::sim
