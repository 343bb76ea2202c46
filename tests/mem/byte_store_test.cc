#include "kernbench/mem/byte_store.h"

#include <cstring>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "host_memory.h"
#include "test_topology.h"

#include "kernbench/base/error.h"

namespace kernbench::mem {
namespace {

using namespace base::literals;

std::vector<std::byte> bytes_of(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

std::vector<std::byte> read(const ByteStore& store, PhysAddr pa, std::size_t n) {
  std::vector<std::byte> out(n, std::byte{0x5a});  // garbage: every byte must be overwritten
  store.read(pa, out);
  return out;
}

const PhysAddr kBase = PhysAddr::encode(MemoryId::hbm_slice({0, 3}, 1), 0x100000);

TEST(ByteStore, NeverWrittenMemoryReadsAsZeros) {
  ByteStore store;
  EXPECT_EQ(read(store, kBase, 10000), std::vector<std::byte>(10000, std::byte{0}));
  EXPECT_EQ(store.resident_bytes(), 0_B);
}

TEST(ByteStore, WritesAcrossPagesReadBack) {
  ByteStore store;
  std::vector<std::byte> data(10000);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::byte>(i * 7);
  store.write(kBase + 4000_B, data);  // spans pages 0..3 of the region
  EXPECT_EQ(read(store, kBase + 4000_B, data.size()), data);
  EXPECT_EQ(store.page_count(), 4u);
  EXPECT_EQ(store.resident_bytes(), 16_KiB);
  EXPECT_EQ(read(store, kBase + 3999_B, 1), bytes_of({0}));  // untouched byte of a touched page
}

TEST(ByteStore, MemoriesDoNotAlias) {
  ByteStore store;
  const auto a = PhysAddr::encode(MemoryId::tcm({0, 0, 1}), 0);
  const auto b = PhysAddr::encode(MemoryId::tcm({0, 0, 2}), 0);
  store.write(a, bytes_of({1, 2, 3}));
  EXPECT_EQ(read(store, b, 3), bytes_of({0, 0, 0}));
  EXPECT_EQ(read(store, a, 3), bytes_of({1, 2, 3}));
}

// First and last page of every HBM slice of every cube of a 16-cube x 48 GiB SIP.
TEST(ByteStore, FarApartPagesCostOnlyThemselves) {
  const auto spec = testing::ahbm_spec();
  const std::int64_t heap_before = testing::live_host_bytes();
  ByteStore store;
  const std::uint64_t page = 4096;
  const std::uint64_t slice = spec.cube.hbm.slice_size().count();
  std::vector<std::byte> data(page, std::byte{0x11});
  std::uint64_t touched = 0;
  for (int cube = 0; cube < spec.cubes_per_sip(); ++cube)
    for (int s = 0; s < spec.cube.hbm.slices_per_cube; ++s) {
      const MemoryId memory = MemoryId::hbm_slice({0, cube}, s);
      store.write(PhysAddr::encode(spec, memory, 0), data);
      store.write(PhysAddr::encode(spec, memory, slice - page), data);
      touched += 2;
    }
  EXPECT_EQ(touched, 256u);
  const base::Bytes bound = base::Bytes(touched * page) + 1_MiB;
  EXPECT_LE(store.resident_bytes(), bound);
  const std::int64_t heap = testing::live_host_bytes() - heap_before;
  EXPECT_LE(heap, static_cast<std::int64_t>(bound.count()));
  std::printf("[ host memory ] 256 pages touched over 768 GiB: resident %s, heap %lld bytes\n",
              base::to_string(store.resident_bytes()).c_str(), static_cast<long long>(heap));
  const auto last = PhysAddr::encode(spec, MemoryId::hbm_slice({0, 15}, 7), slice - 1);
  EXPECT_EQ(read(store, last, 1), bytes_of({0x11}));
}

TEST(ByteStore, Filling48GiBMaterializesNothing) {
  const auto spec = testing::ahbm_spec();
  ByteStore store;
  const base::Bytes slice = spec.cube.hbm.slice_size();
  for (int s = 0; s < 8; ++s)  // the whole 48 GiB HBM of a cube, one slice at a time
    store.fill(PhysAddr::encode(MemoryId::hbm_slice({0, 4}, s), 0), slice, FillPattern::of(1.0f));
  EXPECT_EQ(store.resident_bytes(), 0_B);
  EXPECT_EQ(store.extent_count(), 8u);
  float values[3] = {};
  const auto at = PhysAddr::encode(MemoryId::hbm_slice({0, 4}, 5), slice.count() - 12);
  store.read(at, std::as_writable_bytes(std::span(values)));
  EXPECT_EQ(values[0], 1.0f);
  EXPECT_EQ(values[2], 1.0f);
  EXPECT_EQ(store.resident_bytes(), 0_B);  // reads never materialize
}

TEST(ByteStore, PartialOverwriteOfAFillKeepsThePatternPhase) {
  ByteStore store;
  // A 4-byte pattern starting 2 bytes into a page: its phase is relative to the fill start.
  store.fill(kBase + 2_B, 1_MiB, FillPattern::of(std::uint32_t{0xddccbbaa}));
  store.write(kBase + 100000_B, bytes_of({1, 2, 3}));
  EXPECT_EQ(store.page_count(), 1u);
  EXPECT_EQ(store.extent_count(), 2u);  // the page cut the extent in two
  // Bytes of the pattern: aa bb cc dd from kBase+2.
  EXPECT_EQ(read(store, kBase, 8), bytes_of({0, 0, 0xaa, 0xbb, 0xcc, 0xdd, 0xaa, 0xbb}));
  // 100000 - 2 = 99998 = 4 * 24999 + 2: the byte before the write is pattern byte 1 (0xbb).
  EXPECT_EQ(read(store, kBase + 99998_B, 8), bytes_of({0xaa, 0xbb, 1, 2, 3, 0xbb, 0xcc, 0xdd}));
  // The rest of the materialized page kept the pattern; after the page, the extent resumes.
  EXPECT_EQ(read(store, kBase + 102402_B, 4), bytes_of({0xaa, 0xbb, 0xcc, 0xdd}));
  EXPECT_EQ(read(store, kBase + 1_MiB, 4), bytes_of({0xcc, 0xdd, 0, 0}));  // the fill's end
}

TEST(ByteStore, ReadsSpanWrittenFilledAndNeverWrittenRegions) {
  ByteStore store;
  store.fill(kBase + 10_B, 6_B, FillPattern::of(std::uint8_t{9}));
  store.write(kBase + 16_B, bytes_of({5, 6}));
  store.fill(kBase + 8_KiB, 4_B, FillPattern::of(std::uint16_t{0x0807}));
  std::vector<std::byte> expect(8196, std::byte{0});
  for (int i = 10; i < 16; ++i) expect[static_cast<std::size_t>(i)] = std::byte{9};
  expect[16] = std::byte{5};
  expect[17] = std::byte{6};
  expect[8192] = std::byte{7};
  expect[8193] = std::byte{8};
  expect[8194] = std::byte{7};
  expect[8195] = std::byte{8};
  EXPECT_EQ(read(store, kBase, expect.size()), expect);
}

TEST(ByteStore, FillOverPagesDropsWholeOnesAndPatchesPartialOnes) {
  ByteStore store;
  std::vector<std::byte> ones(16_KiB / 1_B, std::byte{1});
  store.write(kBase, ones);  // 4 pages
  EXPECT_EQ(store.page_count(), 4u);
  store.fill(kBase + 2_KiB, 12_KiB, FillPattern::of(std::uint8_t{2}));  // [2K, 14K)
  EXPECT_EQ(store.page_count(), 2u);  // pages 1 and 2 were wholly inside
  const auto got = read(store, kBase, ones.size());
  for (std::size_t i = 0; i < got.size(); ++i)
    ASSERT_EQ(got[i], std::byte(i >= 2048 && i < 14336 ? 2 : 1)) << i;
  store.fill(kBase, 16_KiB, FillPattern());  // zero: nothing left at all
  EXPECT_EQ(store.page_count(), 0u);
  EXPECT_EQ(store.extent_count(), 0u);
  EXPECT_EQ(read(store, kBase, 16384), std::vector<std::byte>(16384, std::byte{0}));
}

// Random writes, fills and reads against a dense reference, with a small page to hit every edge.
TEST(ByteStore, AgreesWithADenseModel) {
  ByteStore store(64_B);
  std::vector<std::byte> model(4096, std::byte{0});
  std::mt19937 rng(12345);
  auto pick = [&](std::uint32_t n) {
    return std::uniform_int_distribution<std::uint32_t>(0, n)(rng);
  };
  for (int step = 0; step < 2000; ++step) {
    const std::uint32_t at = pick(4000);
    const std::uint32_t n = pick(4096 - at - 1) % 300 + 1;
    const std::uint32_t what = pick(2);
    if (what == 0) {
      std::vector<std::byte> data(n);
      for (auto& b : data) b = static_cast<std::byte>(pick(255));
      store.write(kBase + base::Bytes(at), data);
      std::memcpy(model.data() + at, data.data(), n);
    } else if (what == 1) {
      const std::uint64_t value = rng();
      const std::size_t width = std::size_t{1} << pick(3);
      const auto p = pick(4) == 0
                         ? FillPattern()
                         : FillPattern::of_bytes(reinterpret_cast<const std::byte*>(&value), width);
      store.fill(kBase + base::Bytes(at), base::Bytes(n), p);
      for (std::uint32_t i = 0; i < n; ++i) model[at + i] = p.at(i);
    } else {
      std::vector<std::byte> want(model.begin() + at, model.begin() + at + n);
      ASSERT_EQ(read(store, kBase + base::Bytes(at), n), want) << "step " << step;
    }
  }
  EXPECT_EQ(read(store, kBase, model.size()), model);
}

TEST(ByteStoreErrors, RangesMayNotLeaveTheirMemory) {
  ByteStore store;
  const auto end = PhysAddr::encode(MemoryId::sram({0, 1}), PhysAddr::kOffsetMask - 1);
  try {
    store.write(end, bytes_of({1, 2, 3}));
    FAIL();
  } catch (const base::AddressError& e) {
    EXPECT_STREQ(e.what(),
                 "write of 3 B at pa(sip 0, cube 1, sram, +0x3ffffffffe) runs past the end "
                 "of its memory");
  }
  EXPECT_NO_THROW(store.write(end, bytes_of({1, 2})));
  EXPECT_THROW(store.fill(end, 4_B, FillPattern()), base::AddressError);
  std::vector<std::byte> out(3);
  EXPECT_THROW(store.read(end, out), base::AddressError);
}

}  // namespace
}  // namespace kernbench::mem
