// Live tiles occupy the PE's TCM: a buffer counts from its creation until its last tile or view
// dies; more than the usable TCM (size minus the scheduler's reserve) is an error naming the
// kernel, program, PE, live bytes and capacity.
#include <gtest/gtest.h>

#include "tl_test_support.h"

namespace kernbench::tl {
namespace {

constexpr std::int64_t kBig = std::int64_t{1} << 20;  // 4 MiB of f32

TEST(TcmLedger, BuffersCountWhileAnyTileOrViewOfThemLives) {
  testing::Rig rig;
  const auto t = rig.tensor(DType::f32, std::vector<double>(256, 1.0));
  rig.run(
      [&](Program& p) {
        const TcmLedger& tcm = *p.tcm_ledger();
        const std::uint64_t base = tcm.live_bytes();
        {
          const Tile x = load(p.pointer(0) + arange(0, 256));  // pointers (2 KiB) die at once
          EXPECT_EQ(tcm.live_bytes(), base + 1024);
          const Tile view = reshape(x, Shape{16, 16});
          const Tile scaled = x * 2.0f;
          EXPECT_EQ(tcm.live_bytes(), base + 2048);
        }
        EXPECT_EQ(tcm.live_bytes(), base);
        for (int i = 0; i < 10; ++i) (void)zeros({kBig}, DType::f32).with_program(&p);
        EXPECT_EQ(tcm.live_bytes(), base);
        EXPECT_GE(tcm.peak_bytes(), base + 4 * 1024 * 1024);
        EXPECT_EQ(tcm.capacity(), rig.system().spec().cube.pe.tcm.usable());
      },
      {t});
  EXPECT_GE(rig.last_stats().tcm_peak_bytes, std::uint64_t{4} << 20);
}

TEST(TcmLedgerErrors, LiveTilesBeyondTheUsableTcmNameKernelProgramBytesAndCapacity) {
  testing::Rig rig;
  const std::uint64_t usable = rig.system().spec().cube.pe.tcm.usable().count();
  ASSERT_EQ(usable, std::uint64_t{12} << 20);  // 16 MiB minus 4 reserved: three 4 MiB tiles fit
  try {
    rig.run(
        [&](Program& p) {
          std::vector<Tile> live;
          for (int i = 0; i < 4; ++i) live.push_back(zeros({kBig}, DType::f32).with_program(&p));
        },
        {}, rt::Grid{1, 2}, "hog");
    FAIL() << "no error";
  } catch (const base::OutOfMemoryError& e) {
    EXPECT_STREQ(e.what(),
                 "kernel 'hog' program (0, 0, 0) on PE (sip 0, cube 0, pe 0): live tiles would "
                 "occupy 16777216 bytes of TCM (12582912 live + a new tile of 4194304), more "
                 "than the 12582912 usable bytes");
  }
}

}  // namespace
}  // namespace kernbench::tl
