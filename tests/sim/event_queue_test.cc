#include "kernbench/sim/event_queue.h"

#include <deque>
#include <random>
#include <set>
#include <vector>

#include <gtest/gtest.h>

namespace kernbench::sim {
namespace {

using namespace base::literals;

struct Log {
  std::vector<int> order;
};
struct Item {
  Log* log;
  int id;
};
void record(void* ctx) {
  auto* item = static_cast<Item*>(ctx);
  item->log->order.push_back(item->id);
}

TEST(EventQueue, PopsByTimeThenInsertionOrder) {
  EventQueue q;
  Log log;
  std::vector<Item> items;
  for (int i = 0; i < 6; ++i) items.push_back({&log, i});
  q.push(5_ns, record, &items[0]);
  q.push(1_ns, record, &items[1]);
  q.push(5_ns, record, &items[2]);
  q.push(1_ns, record, &items[3]);
  q.push(3_ns, record, &items[4]);
  q.push(5_ns, record, &items[5]);
  while (!q.empty()) EventQueue::run(q.pop());
  EXPECT_EQ(log.order, (std::vector<int>{1, 3, 4, 0, 2, 5}));
}

TEST(EventQueue, MatchesASortedReferenceOnRandomInput) {
  EventQueue q;
  Log log;
  std::mt19937_64 rng(42);
  std::vector<Item> items;
  items.reserve(5000);
  std::vector<std::pair<std::int64_t, int>> expected;
  for (int i = 0; i < 5000; ++i) {
    const auto t = static_cast<std::int64_t>(rng() % 100);
    items.push_back({&log, i});
    q.push(base::SimTime::from_ps(t), record, &items.back());
    expected.emplace_back(t, i);
  }
  std::stable_sort(expected.begin(), expected.end(),
                   [](auto& a, auto& b) { return a.first < b.first; });
  while (!q.empty()) EventQueue::run(q.pop());
  ASSERT_EQ(log.order.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(log.order[i], expected[i].second);
}

// A queue beside a sorted reference of what it holds: every pop must be the reference's first
// (time, insertion) entry.
struct QueueAgainstReference {
  EventQueue q;
  Log log;
  std::deque<Item> items;
  std::set<std::pair<std::int64_t, int>> pending;  // (time, id): ids grow with insertion
  std::vector<int> expected;
  std::int64_t now = 0;

  void push(std::int64_t at) {
    const int id = static_cast<int>(items.size());
    items.push_back({&log, id});
    q.push(base::SimTime::from_ps(at), record, &items.back());
    pending.emplace(at, id);
  }
  void pop() {
    ASSERT_EQ(q.next_time().ps(), pending.begin()->first);
    const EventQueue::Entry e = q.pop();
    now = e.time_ps;
    EventQueue::run(e);
    expected.push_back(pending.begin()->second);
    pending.erase(pending.begin());
  }
};

// Pops and pushes interleave as in a simulation (each push at or after the last popped time,
// delays from zero to far ahead); the order must be (time, insertion) throughout.
TEST(EventQueue, InterleavedPushesAndPopsMatchAReference) {
  QueueAgainstReference r;
  std::mt19937_64 rng(7);
  for (int step = 0; step < 200000; ++step) {
    if (r.pending.empty() || rng() % 5 < 3) {
      const std::uint64_t kind = rng() % 4;
      const std::int64_t delay = kind == 0   ? 0
                                 : kind == 1 ? static_cast<std::int64_t>(rng() % 16)
                                 : kind == 2 ? static_cast<std::int64_t>(rng() % 100'000)
                                             : static_cast<std::int64_t>(rng() % (1ull << 40));
      r.push(r.now + delay);
    } else {
      ASSERT_NO_FATAL_FAILURE(r.pop());
    }
  }
  ASSERT_EQ(r.q.size(), r.pending.size());
  EXPECT_EQ(r.log.order, r.expected);
}

// A peek moves the queue to the next entry's time while the clock stays behind (run_until stops
// before it); entries pushed then, between the clock and that entry, near or far from it, keep the
// (time, insertion) order, and so do entries long past it.
TEST(EventQueue, PushesBetweenTheClockAndAPeekedEntryKeepTheOrder) {
  QueueAgainstReference r;
  std::mt19937_64 rng(11);
  for (int step = 0; step < 100000; ++step) {
    const std::uint64_t what = rng() % 8;
    if (r.pending.empty() || what < 3) {
      const std::int64_t spans[] = {1, 1'000, 1'000'000, 100'000'000};
      r.push(r.now +
             static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(spans[rng() % 4])));
    } else if (what < 5) {
      const std::int64_t next = r.q.next_time().ps();
      ASSERT_EQ(next, r.pending.begin()->first);
      r.push(r.now +
             static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(next - r.now + 1)));
    } else {
      ASSERT_NO_FATAL_FAILURE(r.pop());
    }
  }
  while (!r.pending.empty()) ASSERT_NO_FATAL_FAILURE(r.pop());
  EXPECT_TRUE(r.q.empty());
  EXPECT_EQ(r.log.order, r.expected);
}

TEST(EventQueue, AnEntryBeforeAPeekedOneStillPopsFirst) {
  EventQueue q;
  Log log;
  Item a{&log, 1}, b{&log, 2}, c{&log, 3};
  q.push(100_ns, record, &a);
  EXPECT_EQ(q.next_time(), 100_ns);  // the peek settles on 100 ns
  q.push(50_ns, record, &b);         // the clock is still at 0
  q.push(100_ns, record, &c);
  while (!q.empty()) EventQueue::run(q.pop());
  EXPECT_EQ(log.order, (std::vector<int>{2, 1, 3}));
}

TEST(EventQueue, CancelSkipsTheEntryOnce) {
  EventQueue q;
  Log log;
  Item a{&log, 1}, b{&log, 2}, c{&log, 3};
  q.push(1_ns, record, &a);
  const EventId id = q.push(2_ns, record, &b);
  q.push(3_ns, record, &c);
  EXPECT_TRUE(q.cancel(id));
  EXPECT_FALSE(q.cancel(id));
  while (!q.empty()) EventQueue::run(q.pop());
  EXPECT_EQ(log.order, (std::vector<int>{1, 3}));
  EXPECT_FALSE(q.cancel(id));
}

TEST(EventQueue, CancelAfterRunningIsRefused) {
  EventQueue q;
  Log log;
  Item a{&log, 1};
  const EventId id = q.push(1_ns, record, &a);
  EventQueue::run(q.pop());
  EXPECT_FALSE(q.cancel(id));
  EXPECT_FALSE(q.cancel(EventId{}));
}

TEST(EventQueue, CancellingTheLastEntryEmptiesTheQueue) {
  EventQueue q;
  Log log;
  Item a{&log, 1};
  EXPECT_TRUE(q.cancel(q.push(1_ns, record, &a)));
  EXPECT_TRUE(q.empty());
}

struct CountingClosure final : detail::OwnedClosure {
  explicit CountingClosure(int* runs, int* deleted) : runs_(runs), deleted_(deleted) {}
  ~CountingClosure() override { ++*deleted_; }
  void run() override { ++*runs_; }
  int* runs_;
  int* deleted_;
};

TEST(EventQueue, OwnedClosuresAreDeletedWhetherRunCancelledOrLeftPending) {
  int runs = 0, deleted = 0;
  {
    EventQueue q;
    q.push_owned(1_ns, new CountingClosure(&runs, &deleted));
    const EventId cancelled = q.push_owned(2_ns, new CountingClosure(&runs, &deleted));
    q.push_owned(3_ns, new CountingClosure(&runs, &deleted));
    q.cancel(cancelled);
    EventQueue::run(q.pop());
    EXPECT_EQ(q.next_time(), 3_ns);  // drops the cancelled one on the way
    EXPECT_EQ(deleted, 2);
  }
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(deleted, 3);
}

}  // namespace
}  // namespace kernbench::sim
