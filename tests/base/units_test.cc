#include "kernbench/base/units.h"

#include <gtest/gtest.h>

namespace kernbench::base {
namespace {
using namespace literals;

TEST(Units, LiteralsAgree) {
  EXPECT_EQ((1_ns).ps(), 1000);
  EXPECT_EQ(1_us, 1000_ns);
  EXPECT_EQ(1_s, 1000_ms);
  EXPECT_EQ(1_KiB, 1024_B);
  EXPECT_EQ(1_GiB, 1024_MiB);
  EXPECT_EQ(1_GB, 1000_MB);
  EXPECT_EQ((256_GBps).bytes_per_second(), 256'000'000'000ULL);
  EXPECT_EQ((1_GHz).hertz(), 1000'000'000ULL);
}

TEST(Units, TimeArithmetic) {
  EXPECT_EQ(3_ns + 500_ps, SimTime::from_ps(3500));
  EXPECT_EQ(3_ns - 500_ps, SimTime::from_ps(2500));
  EXPECT_EQ(2 * 3_ns, 6_ns);
  EXPECT_EQ(6_ns / 2_ns, 3);
  EXPECT_LT(1_ps, 1_ns);
}

TEST(Units, TransferTimeIsExactWhenDivisible) {
  // 1 GB/s moves one byte per nanosecond.
  EXPECT_EQ(transfer_time(4096_B, 1_GBps), 4096_ns);
  EXPECT_EQ(transfer_time(256_B, 256_GBps), 1_ns);
  EXPECT_EQ(transfer_time(0_B, 256_GBps), 0_ps);
}

TEST(Units, TransferTimeRoundsUpToWholePicoseconds) {
  // 1 byte at 3 TB/s is 0.333 ps: rounds up to 1 ps, never 0.
  EXPECT_EQ(transfer_time(1_B, 3_TBps), 1_ps);
  // 10 bytes at 3 GB/s = 3333.33 ps -> 3334 ps.
  EXPECT_EQ(transfer_time(10_B, 3_GBps), SimTime::from_ps(3334));
}

TEST(Units, TransferTimeDoesNotOverflowForHugeSizes) {
  // 1 PiB at 1 GB/s = 1.126e15 ns = 1.126e18 ps, close to the int64 limit but inside it.
  EXPECT_EQ(transfer_time(Bytes(1ULL << 50), 1_GBps).ps(),
            static_cast<std::int64_t>(1ULL << 50) * 1000);
}

TEST(Units, CycleConversions) {
  EXPECT_EQ(cycles_to_time(Cycles(1), 1_GHz), 1_ns);
  EXPECT_EQ(cycles_to_time(Cycles(3), 1500_MHz), 2_ns);
  EXPECT_EQ(cycles_to_time(Cycles(1), 3_GHz), SimTime::from_ps(334));  // 333.3 rounds up
  EXPECT_EQ(time_to_cycles(2_ns, 1500_MHz), Cycles(3));
  EXPECT_EQ(time_to_cycles(SimTime::from_ps(1999), 1_GHz), Cycles(1));  // floor
  EXPECT_EQ(bytes_in(1_ns, 256_GBps), 256_B);
}

TEST(Units, HumanReadableForms) {
  EXPECT_EQ(to_string(1500_ns), "1.5 us");
  EXPECT_EQ(to_string(999_ps), "999 ps");
  EXPECT_EQ(to_string(16_MiB), "16 MiB");
  EXPECT_EQ(to_string(48_GiB), "48 GiB");
  EXPECT_EQ(to_string(256_GBps), "256 GB/s");
  EXPECT_EQ(to_string(1500_MHz), "1.5 GHz");
  EXPECT_EQ(fmt::format("{}", 20_ns), "20 ns");
}

}  // namespace
}  // namespace kernbench::base
