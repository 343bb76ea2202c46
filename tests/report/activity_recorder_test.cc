#include "kernbench/report/activity_recorder.h"

#include <vector>

#include <gtest/gtest.h>

#include "hw_tracks.h"

#include "kernbench/report/multi_trace_sink.h"

namespace kernbench::report {
namespace {

using namespace base::literals;
using base::SimTime;

std::vector<Interval> intervals_of(const ActivityRecorder& r, std::string_view track) {
  const auto list = r.intervals(track);
  return {list.begin(), list.end()};
}

TEST(ActivityRecorder, MergesOverlappingAndTouchingSpans) {
  ActivityRecorder r;
  r.span(testing::track(r, "t"), "a", 0_ns, 10_ns);
  r.span(testing::track(r, "t"), "b", 5_ns, 12_ns);   // overlaps
  r.span(testing::track(r, "t"), "c", 12_ns, 15_ns);  // touches
  r.span(testing::track(r, "t"), "d", 20_ns, 30_ns);  // a gap
  EXPECT_EQ(intervals_of(r, "t"), (std::vector<Interval>{{0_ns, 15_ns}, {20_ns, 30_ns}}));
}

TEST(ActivityRecorder, MergesSpansArrivingOutOfOrder) {
  // Spans are recorded when they end, so an early long span can arrive after later short ones.
  ActivityRecorder r;
  r.span(testing::track(r, "t"), "a", 10_ns, 12_ns);
  r.span(testing::track(r, "t"), "b", 20_ns, 22_ns);
  r.span(testing::track(r, "t"), "c", 30_ns, 32_ns);
  r.span(testing::track(r, "t"), "d", 1_ns, 3_ns);    // before everything, alone
  r.span(testing::track(r, "t"), "e", 11_ns, 21_ns);  // bridges the first two
  r.span(testing::track(r, "t"), "f", 25_ns, 26_ns);  // between, alone
  EXPECT_EQ(intervals_of(r, "t"),
            (std::vector<Interval>{{1_ns, 3_ns}, {10_ns, 22_ns}, {25_ns, 26_ns}, {30_ns, 32_ns}}));
  r.span(testing::track(r, "t"), "g", 0_ns, 40_ns);  // swallows all
  EXPECT_EQ(intervals_of(r, "t"), (std::vector<Interval>{{0_ns, 40_ns}}));
}

TEST(ActivityRecorder, ZeroLengthSpansAndInstantsAddNoTime) {
  ActivityRecorder r;
  r.span(testing::track(r, "sip0/cube0/hbm0"), "x", 5_ns, 5_ns);
  r.instant(testing::track(r, "sip0/cube0/hbm1"), "i", 7_ns);
  EXPECT_EQ(r.tracks(), std::vector<std::string>{"sip0/cube0/hbm0"});
  EXPECT_TRUE(r.intervals("sip0/cube0/hbm0").empty());
  EXPECT_TRUE(r.intervals("unknown").empty());
  EXPECT_FALSE(r.extent().has_value());
}

TEST(ActivityRecorder, BusyTimeClipsToTheWindow) {
  ActivityRecorder r;
  r.span(testing::track(r, "t"), "a", 10_ns, 20_ns);
  r.span(testing::track(r, "t"), "b", 30_ns, 40_ns);
  EXPECT_EQ(r.busy_time("t", 0_ns, 100_ns), 20_ns);
  EXPECT_EQ(r.busy_time("t", 15_ns, 35_ns), 10_ns);  // half of each
  EXPECT_EQ(r.busy_time("t", 20_ns, 30_ns), 0_ns);   // exactly the gap
  EXPECT_EQ(r.busy_time("t", 12_ns, 13_ns), 1_ns);   // inside one
  EXPECT_EQ(r.busy_time("t", 40_ns, 10_ns), 0_ns);   // empty window
  EXPECT_EQ(r.busy_time("other", 0_ns, 100_ns), 0_ns);
  EXPECT_EQ(r.extent(), (Interval{10_ns, 40_ns}));
}

// busy_time reads sealed batches by their sums: spans that arrive between queries (at
// the end, extending the last, or merging in the middle) must leave every window's answer exact.
TEST(ActivityRecorder, BusyTimeStaysExactAsSpansArriveBetweenQueries) {
  ActivityRecorder r;
  const sim::TrackId t = testing::track(r, "t");
  const auto brute = [&](SimTime from, SimTime to) {
    SimTime busy;
    for (const Interval& iv : r.intervals(t))
      if (iv.end > from && iv.start < to) busy += std::min(iv.end, to) - std::max(iv.start, from);
    return busy;
  };
  const Interval spans[] = {{10_ns, 20_ns}, {30_ns, 40_ns}, {40_ns, 45_ns}, {50_ns, 60_ns},
                            {2_ns, 4_ns},   {18_ns, 33_ns}, {70_ns, 71_ns}, {0_ns, 1_ns}};
  for (const Interval& span : spans) {
    r.span(t, "x", span.start, span.end);
    for (std::int64_t from = 0; from <= 75; from += 3)
      for (std::int64_t to = from + 1; to <= 80; to += 4) {
        const SimTime a = SimTime::from_ps(from * 1000), b = SimTime::from_ps(to * 1000);
        ASSERT_EQ(r.busy_time(t, a, b), brute(a, b)) << from << " " << to;
      }
  }
}

TEST(ActivityRecorder, TracksAreInNaturalOrder) {
  ActivityRecorder r;
  for (const char* t : {"sip0/cube10/hbm0", "sip0/cube2/hbm0", "sip1/cube0/hbm0",
                        "sip0/cube2/hbm10", "sip0/cube2/hbm9"})
    r.span(testing::track(r, t), "busy", 0_ns, 1_ns);
  EXPECT_EQ(r.tracks(),
            (std::vector<std::string>{"sip0/cube2/hbm0", "sip0/cube2/hbm9", "sip0/cube2/hbm10",
                                      "sip0/cube10/hbm0", "sip1/cube0/hbm0"}));
  const NaturalLess less;
  EXPECT_TRUE(less("pe2", "pe10"));
  EXPECT_FALSE(less("pe10", "pe2"));
  EXPECT_TRUE(less("a1", "a01") != less("a01", "a1"));  // equal as numbers, still ordered
}

TEST(ActivityRecorder, BusiestPicksTheHighestUtilizationOfEachKind) {
  ActivityRecorder r;
  r.span(testing::track(r, "sip0/cube5/hbm3"), "busy", 0_ns, 97_ns);
  r.span(testing::track(r, "sip0/cube5/hbm2"), "busy", 0_ns, 50_ns);
  r.span(testing::track(r, "sip0/cube2/mesh.x+"), "busy", 10_ns, 50_ns);
  r.span(testing::track(r, "sip0/cube1/pe4/dma"), "copy", 0_ns, 80_ns);
  r.span(testing::track(r, "sip0/cube1/pe4/core"), "kernel", 0_ns,
         100_ns);  // not a resource: a whole launch
  r.span(testing::track(r, "sip0/host/requests"), "launch", 0_ns, 100_ns);  // not a resource either
  const auto memory = r.busiest(ResourceKind::memory, 0_ns, 100_ns);
  ASSERT_TRUE(memory.has_value());
  EXPECT_EQ(memory->resource, "HBM slice (sip 0, cube 5, slice 3)");
  EXPECT_EQ(memory->track, "sip0/cube5/hbm3");
  EXPECT_DOUBLE_EQ(memory->utilization, 0.97);
  const auto unit = r.busiest(ResourceKind::unit, 0_ns, 100_ns);
  ASSERT_TRUE(unit.has_value());
  EXPECT_EQ(unit->resource, "DMA engine (sip 0, cube 1, pe 4)");
  EXPECT_DOUBLE_EQ(unit->utilization, 0.8);
  // A window over the second half: the mesh link was busy 0..50 -> 10 of 50 ns.
  const auto link = r.busiest(ResourceKind::link, 40_ns, 90_ns);
  ASSERT_TRUE(link.has_value());
  EXPECT_EQ(link->resource, "mesh link (sip 0, cube 2, x+)");
  EXPECT_DOUBLE_EQ(link->utilization, 0.2);
  const auto all = r.busiest_by_kind(0_ns, 100_ns);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].kind, ResourceKind::unit);
  EXPECT_EQ(all[1].kind, ResourceKind::link);
  EXPECT_EQ(all[2].kind, ResourceKind::memory);
}

TEST(ActivityRecorder, BusiestTiesGoToTheFirstTrackInNaturalOrder) {
  ActivityRecorder r;
  r.span(testing::track(r, "sip0/cube10/hbm0"), "busy", 0_ns, 10_ns);
  r.span(testing::track(r, "sip0/cube2/hbm1"), "busy", 5_ns, 15_ns);
  r.span(testing::track(r, "sip0/cube2/hbm0"), "busy", 20_ns, 30_ns);
  const auto b = r.busiest(ResourceKind::memory, 0_ns, 40_ns);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->track, "sip0/cube2/hbm0");
  EXPECT_DOUBLE_EQ(b->utilization, 0.25);
  EXPECT_EQ(b->equally_busy, 2);  // cube2/hbm1 and cube10/hbm0, each 10 of 40 ns
  r.span(testing::track(r, "sip0/cube3/hbm0"), "busy", 0_ns, 11_ns);
  const auto alone = r.busiest(ResourceKind::memory, 0_ns, 40_ns);
  EXPECT_EQ(alone->track, "sip0/cube3/hbm0");
  EXPECT_EQ(alone->equally_busy, 0);
  // Other kinds never count: a link as busy is not an equal of a memory.
  r.span(testing::track(r, "sip0/cube0/mesh.x+"), "busy", 0_ns, 11_ns);
  EXPECT_EQ(r.busiest(ResourceKind::memory, 0_ns, 40_ns)->equally_busy, 0);
}

TEST(ActivityRecorder, BusiestIsEmptyWithoutLoadOrWindow) {
  ActivityRecorder r;
  EXPECT_FALSE(r.busiest(ResourceKind::unit, 0_ns, 10_ns).has_value());
  r.span(testing::track(r, "sip0/cube0/pe0/vector"), "add", 20_ns, 30_ns);
  EXPECT_FALSE(r.busiest(ResourceKind::unit, 0_ns, 10_ns).has_value());   // idle in the window
  EXPECT_FALSE(r.busiest(ResourceKind::unit, 30_ns, 20_ns).has_value());  // empty window
  EXPECT_FALSE(r.busiest(ResourceKind::link, 0_ns, 40_ns).has_value());
  EXPECT_TRUE(r.busiest_by_kind(0_ns, 10_ns).empty());
}

TEST(ActivityRecorder, RecordsNextToAnotherSinkThroughAMultiSink) {
  ActivityRecorder a, b;
  MultiTraceSink both({&a, &b});
  both.span(testing::track(both, "sip0/cube0/sram"), "busy", 1_ns, 2_ns);
  EXPECT_EQ(a.busy_time("sip0/cube0/sram", 0_ns, 10_ns), 1_ns);
  EXPECT_EQ(b.busy_time("sip0/cube0/sram", 0_ns, 10_ns), 1_ns);
}

}  // namespace
}  // namespace kernbench::report
