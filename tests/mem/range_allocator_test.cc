#include "kernbench/mem/range_allocator.h"

#include <vector>

#include <gtest/gtest.h>

namespace kernbench::mem {
namespace {

using namespace base::literals;

TEST(RangeAllocator, PacksFromTheBottomAndFreesWithCoalescing) {
  RangeAllocator a(1_MiB);
  EXPECT_EQ(a.try_allocate(4_KiB, 1_B), 0u);
  EXPECT_EQ(a.try_allocate(4_KiB, 1_B), 4096u);
  EXPECT_EQ(a.try_allocate(4_KiB, 1_B), 8192u);
  EXPECT_EQ(a.free_bytes(), 1_MiB - 12_KiB);
  EXPECT_EQ(a.allocation_count(), 3u);
  // Free the middle: a hole that does not merge with the allocated neighbours.
  EXPECT_EQ(a.release(4096), 4_KiB);
  EXPECT_EQ(a.free_block_count(), 2u);
  // Free the first: it merges with the hole on its right.
  EXPECT_EQ(a.release(0), 4_KiB);
  EXPECT_EQ(a.free_block_count(), 2u);
  EXPECT_EQ(a.largest_free_block(), 1_MiB - 12_KiB);
  // Free the last: everything coalesces into one block again.
  EXPECT_EQ(a.release(8192), 4_KiB);
  EXPECT_EQ(a.free_block_count(), 1u);
  EXPECT_EQ(a.largest_free_block(), 1_MiB);
  EXPECT_EQ(a.free_bytes(), 1_MiB);
}

TEST(RangeAllocator, ReusesAHoleAtTheSameAddress) {
  RangeAllocator a(64_KiB);
  std::vector<std::uint64_t> at;
  for (int i = 0; i < 8; ++i) at.push_back(*a.try_allocate(8_KiB, 1_B));
  EXPECT_FALSE(a.try_allocate(1_B, 1_B));
  a.release(at[3]);
  EXPECT_EQ(a.try_allocate(8_KiB, 1_B), at[3]);
}

TEST(RangeAllocator, BestFitPicksTheSmallestHoleThatFits) {
  RangeAllocator a(100_KiB);
  const auto x = *a.try_allocate(10_KiB, 1_B);  // [0, 10)
  const auto s1 = *a.try_allocate(1_KiB, 1_B);  // [10, 11) separator
  const auto y = *a.try_allocate(4_KiB, 1_B);   // [11, 15)
  const auto s2 = *a.try_allocate(1_KiB, 1_B);  // [15, 16) separator
  a.release(x);                                 // hole of 10 KiB at 0
  a.release(y);                                 // hole of 4 KiB at 11 KiB
  // First fit would take the 10 KiB hole; best fit takes the 4 KiB one and keeps 10 KiB whole.
  EXPECT_EQ(a.try_allocate(3_KiB, 1_B), (11_KiB).count());
  EXPECT_EQ(a.try_allocate(10_KiB, 1_B), 0u);
  EXPECT_EQ(a.block_size(s1), 1_KiB);
  EXPECT_EQ(a.block_size(s2), 1_KiB);
}

TEST(RangeAllocator, AlignmentPaddingStaysFree) {
  RangeAllocator a(64_KiB);
  EXPECT_EQ(a.try_allocate(100_B, 1_B), 0u);
  // Aligned to 4 KiB: the padding [100, 4096) stays a free block and serves small requests.
  EXPECT_EQ(a.try_allocate(1_KiB, 4_KiB), 4096u);
  EXPECT_EQ(a.free_bytes(), 64_KiB - 100_B - 1_KiB);
  EXPECT_EQ(a.try_allocate(3996_B, 1_B), 100u);  // exactly the padding
  EXPECT_EQ(a.try_allocate(64_B, 64_B), 5120u);
  EXPECT_EQ(a.release(100), 3996_B);
  EXPECT_EQ(a.try_allocate(256_B, 256_B), 256u);
}

TEST(RangeAllocator, AlignedRequestSkipsABlockThatFitsOnlyUnaligned) {
  RangeAllocator a(16_KiB);
  a.try_allocate(1_KiB, 1_B);                     // [0, 1K)
  const auto hole = *a.try_allocate(4_KiB, 1_B);  // [1K, 5K): 4 KiB but not 4 KiB-aligned
  a.try_allocate(11_KiB, 1_B);                    // the rest
  a.release(hole);
  EXPECT_FALSE(a.try_allocate(4_KiB, 4_KiB));  // 4K hole at 1K cannot hold 4K at a 4K boundary
  EXPECT_EQ(a.try_allocate(1_KiB, 4_KiB), 4096u);
}

TEST(RangeAllocator, FragmentationLimitsTheLargestBlockNotTheTotal) {
  RangeAllocator a(1_MiB);
  std::vector<std::uint64_t> blocks;
  for (int i = 0; i < 16; ++i) blocks.push_back(*a.try_allocate(64_KiB, 1_B));
  for (int i = 0; i < 16; i += 2) a.release(blocks[i]);  // every other block: 8 holes of 64 KiB
  EXPECT_EQ(a.free_bytes(), 512_KiB);
  EXPECT_EQ(a.largest_free_block(), 64_KiB);
  EXPECT_FALSE(a.try_allocate(128_KiB, 1_B));
  a.release(blocks[1]);  // joins holes 0, 1, 2
  EXPECT_EQ(a.largest_free_block(), 192_KiB);
  EXPECT_EQ(a.try_allocate(128_KiB, 1_B), 0u);
}

TEST(RangeAllocator, ZeroSizeStillGetsADistinctAddress) {
  RangeAllocator a(4_KiB);
  const auto p = a.try_allocate(0_B, 1_B);
  const auto q = a.try_allocate(0_B, 1_B);
  ASSERT_TRUE(p && q);
  EXPECT_NE(*p, *q);
}

TEST(RangeAllocator, ReleaseOfAnUnknownOffsetChangesNothing) {
  RangeAllocator a(4_KiB);
  const auto p = *a.try_allocate(64_B, 1_B);
  EXPECT_FALSE(a.release(p + 1));
  EXPECT_TRUE(a.release(p));
  EXPECT_FALSE(a.release(p));  // double free
  EXPECT_EQ(a.free_bytes(), 4_KiB);
}

TEST(RangeAllocator, IsDeterministic) {
  auto run = [] {
    RangeAllocator a(1_MiB);
    std::vector<std::uint64_t> out;
    for (int i = 1; i < 50; ++i) {
      out.push_back(a.try_allocate(base::Bytes(i * 97), base::Bytes(1u << (i % 7))).value_or(~0u));
      if (i % 3 == 0) a.release(out[i / 2]);
    }
    return out;
  };
  EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace kernbench::mem
