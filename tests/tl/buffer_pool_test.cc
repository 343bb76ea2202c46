// The per-thread block cache behind tile buffers: size classes, reuse, alignment, the cap, one
// cache per thread; and the buffer sharing on top (copies share, the last owner gives it back).
#include "kernbench/tl/detail/buffer_pool.h"

#include <cstdint>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tl_test_support.h"

namespace kernbench::tl {
namespace {

using detail::allocate_block;
using detail::block_cache_stats;
using detail::block_payload_capacity;
using detail::kBlockHeaderBytes;
using detail::release_block;

std::uintptr_t address(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

TEST(BufferPool, PayloadsArePowersOfTwoFrom64UpToTheLargestTile) {
  EXPECT_EQ(block_payload_capacity(0), 64u);
  EXPECT_EQ(block_payload_capacity(4), 64u);
  EXPECT_EQ(block_payload_capacity(65), 128u);
  EXPECT_EQ(block_payload_capacity(4096), 4096u);
  EXPECT_EQ(block_payload_capacity(4097), 8192u);
  const std::size_t largest = std::size_t{8} << 20;  // 2^20 elements of 8 bytes
  EXPECT_EQ(block_payload_capacity(largest), largest);
  EXPECT_EQ(block_payload_capacity(largest + 1), largest + 64);  // never cached: exact, 64-aligned
}

TEST(BufferPool, AReleasedBlockServesTheNextRequestOfItsClass) {
  void* a = allocate_block(4000);
  const detail::BlockCacheStats before = block_cache_stats();
  release_block(a, 4000);
  EXPECT_EQ(block_cache_stats().blocks, before.blocks + 1);
  EXPECT_EQ(block_cache_stats().bytes, before.bytes + 4096 + kBlockHeaderBytes);
  void* b = allocate_block(4096);  // same class (4 KiB)
  EXPECT_EQ(b, a);
  EXPECT_EQ(block_cache_stats().blocks, before.blocks);
  void* c = allocate_block(2048);  // another class: not this block
  EXPECT_NE(c, a);
  release_block(b, 4096);
  release_block(c, 2048);
}

TEST(BufferPool, PayloadsAreAlignedToTheirCapacityUpToAPage) {
  std::vector<std::pair<void*, std::size_t>> blocks;
  for (const std::size_t size : {1u, 100u, 1000u, 4096u, 65536u}) {
    void* p = allocate_block(size);
    const std::size_t capacity = block_payload_capacity(size);
    EXPECT_EQ(address(p) % std::min<std::size_t>(capacity, 4096), 0u) << size;
    blocks.emplace_back(p, size);
  }
  for (auto [p, size] : blocks) release_block(p, size);
}

TEST(BufferPool, EachThreadKeepsAtMostItsCapOfFreeBlocks) {
  std::thread([] {  // a fresh thread: its cache starts empty
    const std::size_t big = std::size_t{8} << 20;
    std::vector<void*> blocks;
    for (int i = 0; i < 5; ++i) blocks.push_back(allocate_block(big));
    for (void* p : blocks) release_block(p, big);
    const detail::BlockCacheStats s = block_cache_stats();
    EXPECT_EQ(s.blocks, 3u);  // 32 MiB hold three 8 MiB blocks with their headers
    EXPECT_LE(s.bytes, detail::kMaxCachedBytesPerThread);
  })
      .join();
}

TEST(BufferPool, ABlockReleasedOnAnotherThreadJoinsThatThreadsCache) {
  void* p = allocate_block(512);
  const std::size_t here = block_cache_stats().blocks;
  std::thread([p] {
    EXPECT_EQ(block_cache_stats().blocks, 0u);
    release_block(p, 512);
    EXPECT_EQ(block_cache_stats().blocks, 1u);
    EXPECT_EQ(allocate_block(300), p);  // and serves it from there
    release_block(p, 512);
  }).join();
  EXPECT_EQ(block_cache_stats().blocks, here);
}

TEST(BufferPool, ATileReusesTheBlockOfATileThatDied) {
  const std::byte* first = nullptr;
  {
    const Tile t = full({1024}, 1.0, DType::f32);
    first = t.data();
  }
  const Tile u = full({1024}, 2.0, DType::f32);
  EXPECT_EQ(u.data(), first);
  EXPECT_EQ(u.values(), std::vector<double>(1024, 2.0));
  EXPECT_EQ(address(u.data()) % 4096, 0u);
}

TEST(BufferPool, CopiesShareOneBufferThatLivesUntilTheLastOwnerDies) {
  Tile a = full({256}, 3.0, DType::f32);
  const std::byte* p = a.data();
  Tile b = a;
  a = Tile();
  EXPECT_EQ(b.data(), p);
  const Tile c = std::move(b);
  EXPECT_EQ(c.data(), p);
  EXPECT_EQ(c.values(), std::vector<double>(256, 3.0));
  const Tile other = full({256}, 4.0, DType::f32);  // the buffer is still owned: not reused
  EXPECT_NE(other.data(), p);
}

TEST(BufferPool, ZeroedTilesAreZeroOnAReusedDirtyBlock) {
  { (void)full({1024}, -1, DType::i32); }  // leaves all-ones bytes in a cached block
  EXPECT_EQ(zeros({1024}, DType::i32).int_values(), std::vector<std::int64_t>(1024, 0));
  { (void)full({1024}, -1, DType::i32); }
  const Tile t(Shape{1024}, DType::i32);  // the zeroing constructor
  EXPECT_EQ(t.int_values(), std::vector<std::int64_t>(1024, 0));
}

TEST(BufferPool, TilesCrossThreadsAndOutliveTheThreadThatMadeThem) {
  const Tile x = full({4096}, 1.5, DType::f32);
  std::vector<Tile> made(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < made.size(); ++i)
    threads.emplace_back([&, i] {
      Tile acc = x;
      for (int k = 0; k < 100; ++k) acc = acc + x;  // many blocks through this thread's cache
      made[i] = acc;
    });
  for (std::thread& t : threads) t.join();
  for (const Tile& t : made) EXPECT_EQ(t.values(), std::vector<double>(4096, 151.5));
}

}  // namespace
}  // namespace kernbench::tl
