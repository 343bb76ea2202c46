#include "kernbench/report/nccl_table.h"

#include <sstream>
#include <vector>

#include <gtest/gtest.h>

namespace kernbench::report {
namespace {

TEST(NcclTable, HeaderUnitsAndOneRowPerSize) {
  const std::vector<CollectiveRow> rows{
      {1024, 256, "f32", "sum", base::SimTime::from_ps(2'500'000), 0.4096, 0.7168, std::nullopt},
      {8, 4, "bf16", "max", base::SimTime::from_ps(1'000'000), 0.008, 0.014, 0}};
  std::ostringstream out;
  write_nccl_table(out, "all_reduce with r (8 ranks)", rows);
  EXPECT_EQ(out.str(),
            "# all_reduce with r (8 ranks)\n"
            "#         size        count   type  redop        time    algbw    busbw  #wrong\n"
            "#          (B)   (elements)                      (us)   (GB/s)   (GB/s)        \n"
            "          1024          256    f32    sum       2.500     0.41     0.72     N/A\n"
            "             8            4   bf16    max       1.000     0.01     0.01       0\n");
}

}  // namespace
}  // namespace kernbench::report
