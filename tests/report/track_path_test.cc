#include "kernbench/report/track_path.h"

#include <limits>

#include <gtest/gtest.h>

namespace kernbench::report {
namespace {

void expect_split(std::string_view track, std::string_view process, std::string_view thread) {
  const TrackPath path = split_track(track);
  EXPECT_EQ(path.process, process) << track;
  EXPECT_EQ(path.thread, thread) << track;
}

TEST(TrackPath, FirstTwoComponentsAreTheProcess) {
  expect_split("sip0/cube3/pe5/dma", "sip0/cube3", "pe5/dma");
  expect_split("sip0/cube5/mesh.x+", "sip0/cube5", "mesh.x+");
}

TEST(TrackPath, ShortNames) {
  expect_split("sip0/host.in", "sip0", "host.in");
  expect_split("host", "host", "host");
  expect_split("", "", "");
}

TEST(TrackPath, SortIndexIsNaturalOrder) {
  const char* ordered[] = {"host", "sip0",       "sip0/cube0", "sip0/cube2", "sip0/cube10",
                           "sip1", "sip1/cube0", "sip2",       "sip10/cube0"};
  for (std::size_t i = 1; i < std::size(ordered); ++i) {
    EXPECT_LT(natural_sort_index(ordered[i - 1]), natural_sort_index(ordered[i]))
        << ordered[i - 1] << " before " << ordered[i];
  }
}

TEST(TrackPath, ThreadsGroupByKindThenNumber) {
  const char* ordered[] = {"hbm3", "hbm12", "mesh.x+", "pe0/dma", "pe5/dma", "pe10/dma", "sram"};
  for (std::size_t i = 1; i < std::size(ordered); ++i) {
    EXPECT_LT(natural_sort_index(ordered[i - 1]), natural_sort_index(ordered[i]))
        << ordered[i - 1] << " before " << ordered[i];
  }
  // Same kind and number: Perfetto breaks the tie by name.
  EXPECT_EQ(natural_sort_index("pe5/dma"), natural_sort_index("pe5/vector"));
}

TEST(TrackPath, SortIndexLayoutIsReadable) {
  // letters("si") = 19 * 27 + 9 = 522, then sip number + 1, then cube number + 1.
  EXPECT_EQ(natural_sort_index("sip0/cube3"), 522'001'004);
}

TEST(TrackPath, HugeNumbersClampAndFitInt32) {
  EXPECT_EQ(natural_sort_index("zz99999999999999999999/zz4000"), natural_sort_index("zz998/zz998"));
  EXPECT_LE(natural_sort_index("zz998/zz998"), std::numeric_limits<std::int32_t>::max());
  EXPECT_GE(natural_sort_index(""), 0);
}

}  // namespace
}  // namespace kernbench::report
