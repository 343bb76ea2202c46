// The schedule graph's chunk arithmetic, the counts it keeps as runs, and the dependencies it finds
// between the ops of a small schedule.
#include "kernbench/ccl/detail/schedule_graph.h"

#include <gtest/gtest.h>

namespace kernbench::ccl::detail {
namespace {

TEST(ScheduleGraph, ChunksOverARangeOfElements) {
  // 10 elements from 100 in chunks of 4: [100,104) [104,108) [108,110).
  EXPECT_EQ(chunks_over(100, 10, 4, 103, 105).first, 0u);
  EXPECT_EQ(chunks_over(100, 10, 4, 103, 105).last, 2u);
  EXPECT_EQ(chunks_over(100, 10, 4, 0, 1000).size(), 3u);
  EXPECT_EQ(chunks_over(100, 10, 4, 108, 109).first, 2u);
  EXPECT_EQ(chunks_over(100, 10, 4, 110, 120).size(), 0u);  // past its end
  EXPECT_EQ(chunks_over(100, 10, 4, 90, 100).size(), 0u);   // before its start
  EXPECT_EQ(chunks_over(100, 0, 4, 0, 1000).size(), 0u);
}

// Counts bumped in any order read back exactly; bumped in chunk order they stay a few runs.
TEST(ScheduleGraph, ChunkCountsKeepEveryCountInRuns) {
  ChunkCounts counts;
  std::vector<std::uint32_t> expected(50, 0);
  for (std::uint64_t c : {7u, 3u, 7u, 8u, 0u, 49u, 6u, 7u, 3u, 4u, 5u})
    EXPECT_EQ(counts.bump(c), ++expected[c]) << c;
  ChunkCounts ordered;
  for (std::uint64_t c = 0; c < 1000; ++c) EXPECT_EQ(ordered.bump(c), 1u);
  for (std::uint64_t c = 0; c < 600; ++c) EXPECT_EQ(ordered.bump(c), 2u);
  EXPECT_EQ(ordered.runs(), 3u);  // [0, 600) at 2, [600, 1000) at 1, from 1000 on 0
}

// A three-rank chain 0 -> 1 -> 2 of 10 elements in chunks of 4, reduced on the way: rank 1's op
// waits chunk for chunk for rank 0's, at an offset of 2 elements two chunks each (but its last).
TEST(ScheduleGraph, AnOpWaitsForTheChunksItsSenderReceivedEarlierOverTheSameElements) {
  const std::vector<ScheduleOp> ops{{0, 1, 0, 0, false, 0, 2, 10, true, 0},
                                    {1, 2, 1, 0, false, 0, 0, 12, true, 0},
                                    {2, 0, 1, 1, true, 100, 100, 4, false, 0}};
  const ScheduleGraph g(ops, 3, 4, true);
  ASSERT_EQ(g.dependents(0).size(), 1u);
  EXPECT_EQ(g.dependents(0)[0], 1u);
  EXPECT_EQ(g.waits_for(1, 0), 1u);  // elements [0,4) of rank 1: rank 0's chunk 0 is [2,6)
  EXPECT_EQ(g.waits_for(1, 1), 2u);  // [4,8): [2,6) and [6,10)
  EXPECT_EQ(g.waits_for(1, 2), 2u);  // [8,12): [6,10) and [10,12)
  EXPECT_EQ(g.waiting_on(1, 0, 1).first, 1u);
  EXPECT_EQ(g.waiting_on(1, 0, 1).last, 3u);
  EXPECT_TRUE(g.free_chunks(1).empty());
  ASSERT_EQ(g.free_chunks(0).size(), 1u);
  EXPECT_EQ(g.free_chunks(0)[0].last, 3u);
  EXPECT_EQ(g.receiving(2).front(), (std::pair<int, std::uint64_t>{0, 3}));
  EXPECT_TRUE(g.held(2));  // gated, and rank 2 receives in phase 0 before its phase 1
  EXPECT_FALSE(g.held(0));
}

// Ops waiting for ops that land where they read from wait, chunk for chunk, for those ops'
// chunks of the same index: rank 1's second op for both of rank 0's and rank 2's (as many chunks
// or more), its first op for rank 0's only where rank 0's op reaches.
TEST(ScheduleGraph, AnOpLinedUpWithItsInputsWaitsForOneChunkOfEach) {
  const std::vector<ScheduleOp> ops{{0, 1, 0, 0, false, 0, 4, 9, true, 0},
                                    {2, 1, 1, 0, false, 0, 4, 12, true, 0},
                                    {1, 2, 1, 0, false, 4, 0, 14, true, 0},
                                    {1, 0, 2, 0, false, 4, 0, 9, true, 0}};
  const ScheduleGraph g(ops, 3, 4, true);
  EXPECT_EQ(g.waits_for(2, 0), 1u);  // [4,8): rank 0's chunk 0, [4,8)
  EXPECT_EQ(g.waits_for(2, 2), 1u);  // [12,16): rank 0's chunk 2, [12,13)
  EXPECT_EQ(g.waits_for(2, 3), 0u);  // [16,18): past what rank 0 sends
  EXPECT_EQ(g.waits_for(3, 0), 2u);  // [4,8): chunk 0 of rank 0's and of rank 2's
  EXPECT_EQ(g.waits_for(3, 2), 2u);  // [12,13): chunk 2 of each
  EXPECT_EQ(g.waiting_on(3, 1, 2).first, 2u);
  EXPECT_EQ(g.waiting_on(3, 1, 2).last, 3u);
}

}  // namespace
}  // namespace kernbench::ccl::detail
