#include "kernbench/mem/phys_addr.h"

#include <vector>

#include <gtest/gtest.h>

#include "test_topology.h"

#include "kernbench/base/error.h"

namespace kernbench::mem {
namespace {

using namespace base::literals;

// Every memory of `spec`, each at offsets 0, 1, mid and its last byte, must round-trip.
void expect_round_trip_everywhere(const topo::TopologySpec& spec) {
  int checked = 0;
  for (int sip = 0; sip < spec.system.sip_count; ++sip)
    for (int cube = 0; cube < spec.cubes_per_sip(); ++cube)
      for (MemoryKind kind : {MemoryKind::hbm, MemoryKind::tcm, MemoryKind::sram})
        for (int index = 0; index < memories_per_cube(spec, kind); ++index) {
          const std::uint64_t size = memory_size(spec, kind).count();
          for (std::uint64_t offset : {std::uint64_t{0}, std::uint64_t{1}, size / 2, size - 1}) {
            const MemoryId memory{sip, cube, kind, index};
            const PhysAddr pa = PhysAddr::encode(spec, memory, offset);
            const PhysAddr back = PhysAddr::decode(spec, pa.bits());
            ASSERT_EQ(back, pa);
            ASSERT_EQ(back.memory(), memory) << fmt::format("{}", pa);
            ASSERT_EQ(back.offset(), offset) << fmt::format("{}", pa);
            ++checked;
          }
        }
  EXPECT_EQ(checked, spec.total_cubes() * (8 + 8 + 1) * 4);
}

TEST(PhysAddr, RoundTripsOverTheDefaultMachine) {
  expect_round_trip_everywhere(testing::ahbm_spec());
}

TEST(PhysAddr, RoundTripsOverTheMultiSipMachine) {
  expect_round_trip_everywhere(testing::multi_sip_spec());
}

TEST(PhysAddr, FieldsSitWhereAddressLimitsSays) {
  const PhysAddr pa = PhysAddr::encode({3, 5, MemoryKind::sram, 0}, 0x40);
  EXPECT_EQ(pa.bits(),
            (std::uint64_t{3} << 56) | (std::uint64_t{5} << 48) | (std::uint64_t{2} << 46) | 0x40);
  const PhysAddr top =
      PhysAddr::encode({255, 255, MemoryKind::tcm, 255}, topo::kMaxMemoryBytes - 1);
  EXPECT_EQ(top.sip(), 255);
  EXPECT_EQ(top.cube(), 255);
  EXPECT_EQ(top.kind(), MemoryKind::tcm);
  EXPECT_EQ(top.index(), 255);
  EXPECT_EQ(top.offset(), topo::kMaxMemoryBytes - 1);
}

TEST(PhysAddr, PrintsReadably) {
  EXPECT_EQ(fmt::format("{}", PhysAddr::encode(MemoryId::hbm_slice({0, 5}, 3), 0x1000)),
            "pa(sip 0, cube 5, hbm slice 3, +0x1000)");
  EXPECT_EQ(fmt::format("{}", PhysAddr::encode(MemoryId::tcm({1, 2, 7}), 0)),
            "pa(sip 1, cube 2, tcm pe 7, +0x0)");
  EXPECT_EQ(fmt::format("{}", PhysAddr::encode(MemoryId::sram({0, 15}), 64)),
            "pa(sip 0, cube 15, sram, +0x40)");
  EXPECT_EQ(fmt::format("{}", PhysAddr::from_bits(std::uint64_t{3} << 46)),
            "pa(sip 0, cube 0, kind 3 index 0, +0x0)");
}

TEST(PhysAddr, AddsWithinItsMemoryAndOrders) {
  const PhysAddr pa = PhysAddr::encode(MemoryId::tcm({0, 1, 2}), 0x100);
  EXPECT_EQ((pa + 4_KiB).offset(), 0x1100u);
  EXPECT_EQ((pa + 4_KiB).memory(), pa.memory());
  EXPECT_LT(pa, pa + 1_B);
}

void expect_decode_error(std::uint64_t bits, const std::string& message) {
  const auto spec = testing::ahbm_spec();
  try {
    PhysAddr::decode(spec, bits);
    ADD_FAILURE() << "no error for " << message;
  } catch (const base::AddressError& e) {
    EXPECT_EQ(e.what(), message);
  }
}

TEST(PhysAddrErrors, DecodeNamesTheBadField) {
  expect_decode_error(std::uint64_t{3} << 46,
                      "invalid physical address 0xc00000000000: memory kind 3 does not exist "
                      "(0 HBM, 1 TCM, 2 SRAM)");
  expect_decode_error(std::uint64_t{1} << 56,
                      "invalid physical address 0x100000000000000: sip 1 out of range (the system "
                      "has 1 SIP)");
  expect_decode_error(std::uint64_t{16} << 48,
                      "invalid physical address 0x10000000000000: cube 16 out of range (a SIP has "
                      "16 cubes)");
  expect_decode_error(std::uint64_t{8} << 38,
                      "invalid physical address 0x20000000000: HBM slice 8 out of range (a cube "
                      "has 8)");
  expect_decode_error((std::uint64_t{1} << 46) | (std::uint64_t{9} << 38),
                      "invalid physical address 0x424000000000: PE 9 out of range (a cube has 8)");
  expect_decode_error((std::uint64_t{2} << 46) | (std::uint64_t{1} << 38),
                      "invalid physical address 0x804000000000: SRAM index 1 out of range (a cube "
                      "has 1)");
  expect_decode_error((std::uint64_t{2} << 46) | (32 << 20),
                      "invalid physical address 0x800002000000: offset 0x2000000 past the end of "
                      "SRAM of cube (sip 0, cube 0) (32 MiB)");
}

TEST(PhysAddrErrors, EncodeChecksTheSpecAndTheWidths) {
  const auto spec = testing::ahbm_spec();
  EXPECT_THROW(PhysAddr::encode(spec, MemoryId::tcm({0, 0, 8}), 0), base::AddressError);
  EXPECT_THROW(PhysAddr::encode(spec, MemoryId::tcm({0, 0, 0}), (16_MiB).count()),
               base::AddressError);
  try {
    PhysAddr::encode(spec, MemoryId::tcm({0, 300, 0}), 0);
    ADD_FAILURE();
  } catch (const base::AddressError& e) {
    EXPECT_STREQ(e.what(),
                 "cannot encode TCM of PE (sip 0, cube 300, pe 0) +0x0: a field exceeds "
                 "the address encoding");
  }
}

}  // namespace
}  // namespace kernbench::mem
