#include "kernbench/sim/waitable.h"

#include <vector>

#include <gtest/gtest.h>

namespace kernbench::sim {
namespace {

class Flag final : public Waitable {
 public:
  bool ready() const override { return set_; }
  std::string describe() const override { return "flag"; }
  void set() {
    set_ = true;
    notify_all();
  }

 private:
  bool set_ = false;
};

struct Tagged : Waiter {
  std::vector<int>* log = nullptr;
  int tag = 0;
};

void record(Waiter& w) {
  auto& t = static_cast<Tagged&>(w);
  t.log->push_back(t.tag);
}

TEST(Waitable, NotifiesWaitersOnceInSubscriptionOrder) {
  Flag flag;
  std::vector<int> log;
  Tagged a, b, c;
  for (auto [w, tag] : {std::pair{&a, 1}, std::pair{&b, 2}, std::pair{&c, 3}}) {
    w->log = &log;
    w->tag = tag;
    w->notify = &record;
    flag.subscribe(*w);
  }
  flag.unsubscribe(b);
  EXPECT_TRUE(flag.has_waiters());
  flag.set();
  EXPECT_EQ(log, (std::vector<int>{1, 3}));
  EXPECT_FALSE(flag.has_waiters());
  EXPECT_FALSE(a.linked);
}

}  // namespace
}  // namespace kernbench::sim
