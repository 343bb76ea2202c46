// Same model, same event order: twice in a row, and with two engines interleaved in one process.
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "kernbench/sim/engine.h"
#include "kernbench/sim/event.h"
#include "kernbench/sim/process.h"
#include "kernbench/sim/resource.h"
#include "kernbench/sim/store.h"

namespace kernbench::sim {
namespace {

using namespace base::literals;

// Many processes hitting equal times, a shared resource, a store and events; every step logs.
class Model {
 public:
  explicit Model(Engine& engine)
      : engine_(engine), link_(engine, "link", 2), queue_("queue", 4), go_("go") {
    for (int i = 0; i < 40; ++i) {
      engine_.spawn(fmt::format("worker {}", i), [this, i](Process& self) { worker(self, i); });
    }
    engine_.spawn("consumer", [this](Process& self) {
      for (int n = 0; n < 40; ++n) log(fmt::format("got {}", queue_.get(self)));
    });
    engine_.schedule_at(3_ns, [this] {
      log("go");
      go_.trigger();
    });
  }
  const std::vector<std::string>& events() const { return log_; }

 private:
  void worker(Process& self, int i) {
    self.wait(base::SimTime::from_ps((i % 3) * 1000));  // three groups of equal times
    log(fmt::format("w{} start", i));
    self.wait(go_);
    link_.use(self, base::SimTime::from_ps(100 + (i % 2) * 100));
    log(fmt::format("w{} served", i));
    queue_.put(self, i);
  }
  void log(std::string what) { log_.push_back(fmt::format("{} {}", engine_.now(), what)); }

  Engine& engine_;
  Resource link_;
  Store<int> queue_;
  Event go_;
  std::vector<std::string> log_;
};

std::vector<std::string> run_alone() {
  Engine engine;
  Model model(engine);
  engine.run();
  return model.events();
}

TEST(Determinism, TwoRunsGiveTheSameEventOrder) {
  const auto first = run_alone();
  const auto second = run_alone();
  ASSERT_EQ(first.size(), 40u * 2 + 40 + 1);
  EXPECT_EQ(first, second);
}

TEST(Determinism, TwoEnginesInterleavedMatchEachAlone) {
  const auto alone = run_alone();
  Engine a, b;
  Model ma(a), mb(b);
  // Alternate small steps of both engines, so their fibers and events interleave in one thread.
  for (int i = 0; i < 10000 && (a.step() | b.step()); ++i) {
  }
  EXPECT_EQ(ma.events(), alone);
  EXPECT_EQ(mb.events(), alone);
}

}  // namespace
}  // namespace kernbench::sim
