#include "kernbench/report/busy_list.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace kernbench::report {
namespace {

using base::SimTime;

SimTime ps(std::int64_t v) { return SimTime::from_ps(v); }

// The plain reference: every span merged into a sorted list by brute force.
std::vector<Interval> merged(std::vector<Interval> spans) {
  std::ranges::sort(spans, {}, &Interval::start);
  std::vector<Interval> out;
  for (const Interval& s : spans) {
    if (!out.empty() && s.start <= out.back().end)
      out.back().end = std::max(out.back().end, s.end);
    else
      out.push_back(s);
  }
  return out;
}

SimTime busy_of(const std::vector<Interval>& list, SimTime from, SimTime to) {
  SimTime busy;
  for (const Interval& iv : list)
    if (iv.end > from && iv.start < to) busy += std::min(iv.end, to) - std::max(iv.start, from);
  return busy;
}

TEST(BusyList, StartsEmpty) {
  const BusyList list;
  EXPECT_TRUE(list.empty());
  EXPECT_TRUE(list.intervals().empty());
  EXPECT_EQ(list.busy_time(ps(0), ps(100)), SimTime::zero());
}

// Thousands of spans, most after the last or within it, some reaching back past the plain tail
// into sealed batches (and bridging them), with gaps and lengths of every size up to beyond
// 32 bits: the list and every window's busy time equal the plain reference's.
TEST(BusyList, EqualsAPlainSortedListWhateverOrderSpansCome) {
  for (const std::uint32_t seed : {1u, 2u, 3u}) {
    std::mt19937_64 rng(seed);
    ByteArena arena;
    BusyList list;
    std::vector<Interval> spans;
    std::int64_t clock = 0;
    for (int i = 0; i < 6000; ++i) {
      const int what = static_cast<int>(rng() % 100);
      std::int64_t start = clock;
      std::int64_t length = 1 + static_cast<std::int64_t>(rng() % 700);
      if (what < 60) {
        start = clock + static_cast<std::int64_t>(rng() % 900);  // after, or touching
      } else if (what < 85) {
        start = std::max<std::int64_t>(0, clock - static_cast<std::int64_t>(rng() % 2000));
      } else if (what < 95) {
        start = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(clock + 1));
        if (what == 94) length = static_cast<std::int64_t>(rng() % 500000) + 1;  // bridges many
      } else {
        start = clock + (std::int64_t{1} << (20 + rng() % 24));  // a long gap
        if (what == 99) length = std::int64_t{1} << 33;
      }
      const Interval span{ps(start), ps(start + length)};
      list.add(span, arena);
      spans.push_back(span);
      clock = std::max(clock, start + length);
      if (i % 997 == 0) {
        ASSERT_EQ(list.intervals(), merged(spans)) << seed << " " << i;
      }
    }
    const std::vector<Interval> reference = merged(spans);
    ASSERT_EQ(list.intervals(), reference) << seed;
    for (int q = 0; q < 400; ++q) {
      const auto a = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(clock + 10));
      const auto b = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(clock + 10));
      ASSERT_EQ(list.busy_time(ps(a), ps(b)), busy_of(reference, ps(a), ps(b))) << a << " " << b;
    }
    EXPECT_EQ(list.busy_time(ps(0), ps(clock)), busy_of(reference, ps(0), ps(clock)));
  }
}

// A channel serving equal chunks at a steady pace (intervals spaced and sized like the one
// before, which a batch keeps in one byte each), broken now and then by a longer gap, a longer
// chunk, or a span reaching back into sealed batches: the same list and busy times as the plain
// reference.
TEST(BusyList, SteadyRunsAndTheirBreaksComeBackExactly) {
  std::mt19937_64 rng(7);
  ByteArena arena;
  BusyList list;
  std::vector<Interval> spans;
  std::int64_t clock = 0;
  for (int i = 0; i < 5000; ++i) {
    std::int64_t gap = 300, length = 700;
    const int what = static_cast<int>(rng() % 100);
    if (what < 5) gap = 1 + static_cast<std::int64_t>(rng() % 5000);
    if (what >= 5 && what < 8) length = 1 + static_cast<std::int64_t>(rng() % 5000);
    std::int64_t start = clock + gap;
    if (what == 99) start = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(clock));
    const Interval span{ps(start), ps(start + length)};
    list.add(span, arena);
    spans.push_back(span);
    clock = std::max(clock, start + length);
  }
  const std::vector<Interval> reference = merged(spans);
  ASSERT_EQ(list.intervals(), reference);
  for (int q = 0; q < 200; ++q) {
    const auto a = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(clock));
    const auto b = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(clock));
    ASSERT_EQ(list.busy_time(ps(a), ps(b)), busy_of(reference, ps(a), ps(b))) << a << " " << b;
  }
}

}  // namespace
}  // namespace kernbench::report
