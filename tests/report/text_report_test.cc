// The text report of a small hand-built run: a golden file (regenerate with
//   KERNBENCH_UPDATE_GOLDEN=1 ctest --test-dir build -R TextReportGolden, then review the diff)
// and the facts a reader relies on, asserted directly.
#include "kernbench/report/text_report.h"

#include <sstream>

#include <gtest/gtest.h>

#include "sample_run.h"
#include "support/golden_file.h"

namespace kernbench::report {
namespace {

std::string text_of(const RunRecord& run) {
  std::ostringstream out;
  write_text_report(out, run);
  return out.str();
}

TEST(TextReportGolden, SampleRun) {
  tests::expect_matches_golden(text_of(testing::sample_run()),
                               "tests/report/golden/sample_run.txt");
}

TEST(TextReport, ShowsFiguresUnitsLegendAndVerdicts) {
  const std::string text = text_of(testing::sample_run());
  EXPECT_NE(text.find("# legend: "), std::string::npos);
  // Why a kernel bench's row is shorter than its launch phase (issue 17 point 3).
  EXPECT_NE(text.find("a kernel bench's time runs from its first program's start to its last "
                      "one's end on the PEs, its launch phase also holds the command's trip from "
                      "the host and the completion's way back"),
            std::string::npos);
  EXPECT_NE(text.find("(us)"), std::string::npos);
  EXPECT_NE(text.find("(GB/s)"), std::string::npos);
  EXPECT_NE(text.find("(TFLOP/s)"), std::string::npos);
  // 1 MiB in 10 us = 104.86 GB/s; 2*256^3 flops in 10 us = 3.355 TFLOP/s = 33.6% of 10 TFLOP/s.
  EXPECT_NE(text.find("104.86"), std::string::npos);
  EXPECT_NE(text.find("3.355"), std::string::npos);
  EXPECT_NE(text.find("33.6"), std::string::npos);
  EXPECT_NE(text.find("bound by: HBM slice (sip 0, cube 5, slice 3) at 97%"), std::string::npos);
  EXPECT_NE(text.find("busiest unit: matrix unit (sip 0, cube 0, pe 3) at 62%"), std::string::npos);
  // A tie between unit and link goes to the unit (listed first); its equals are counted.
  EXPECT_NE(text.find("bound by: matrix unit (sip 0, cube 0, pe 3) and 7 others at 90%"),
            std::string::npos);
  EXPECT_NE(text.find("pass"), std::string::npos);
  EXPECT_NE(text.find("not checked"), std::string::npos);
  EXPECT_NE(text.find("# all_reduce ring over 16 ranks"), std::string::npos);
  EXPECT_NE(text.find("# sweep of cube.memory_map.hbm_slice_bandwidth over vector_add"),
            std::string::npos);
}

// --summary: each bench's line and what bound it, nothing of its shape, check or phases.
TEST(TextReport, SummaryKeepsOneLinePerBenchAndItsBound) {
  const std::string full = text_of(testing::sample_run());
  std::ostringstream out;
  write_text_report(out, testing::sample_run(), {.summary = true});
  const std::string summary = out.str();
  EXPECT_NE(summary.find("# legend: "), std::string::npos);
  EXPECT_NE(summary.find("bound by: HBM slice (sip 0, cube 5, slice 3) at 97%"), std::string::npos);
  EXPECT_EQ(summary.find("shape: "), std::string::npos);
  EXPECT_EQ(summary.find("launch matmul"), std::string::npos);
  EXPECT_NE(full.find("launch matmul"), std::string::npos);
  // Each bench line is the full report's line, unchanged.
  const auto bench_line = [](const std::string& text) {
    const auto at = text.find("\nmatmul ");
    return text.substr(at, text.find('\n', at + 1) - at);
  };
  EXPECT_EQ(bench_line(summary), bench_line(full));
  EXPECT_LT(summary.size(), full.size());
}

TEST(TextReport, FailedCheckIsLoud) {
  RunRecord run;
  run.benches = {testing::sample_matmul()};
  run.benches[0].check.pass = false;
  EXPECT_NE(text_of(run).find("FAIL"), std::string::npos);
}

TEST(TextReport, SameRecordSameBytes) {
  EXPECT_EQ(text_of(testing::sample_run()), text_of(testing::sample_run()));
}

}  // namespace
}  // namespace kernbench::report
