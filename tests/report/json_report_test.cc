// The JSON report of a small hand-built run: a golden file (regenerate with
//   KERNBENCH_UPDATE_GOLDEN=1 ctest --test-dir build -R JsonReportGolden, then review the diff),
// the schema's fields as docs/report.md describes them, and a write to a file.
#include "kernbench/report/json_report.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "sample_run.h"
#include "support/golden_file.h"

#include "kernbench/base/error.h"

namespace kernbench::report {
namespace {

TEST(JsonReportGolden, SampleRun) {
  tests::expect_matches_golden(to_json(testing::sample_run()).dump(2) + "\n",
                               "tests/report/golden/sample_run.json");
}

TEST(JsonReport, HoldsEverythingInTheRecord) {
  const auto j = to_json(testing::sample_run());
  EXPECT_EQ(j["schema_version"], kJsonSchemaVersion);
  EXPECT_EQ(j["version"], "kernbench 0.1.0");
  EXPECT_EQ(j["command_line"][3], "cube.sram.bandwidth=1 TB/s");
  EXPECT_EQ(j["config"]["cube.sram.bandwidth"], "1 TB/s");
  const auto& matmul = j["benches"][0];
  EXPECT_EQ(matmul["time_ps"], 10'000'000);
  EXPECT_EQ(matmul["bytes"], 1024 * 1024);
  EXPECT_DOUBLE_EQ(matmul["bytes_per_second"].get<double>(), 1024.0 * 1024 / 10e-6);
  EXPECT_DOUBLE_EQ(matmul["fraction_of_peak_flops"].get<double>(),
                   2.0 * 256 * 256 * 256 / 10e-6 / 10e12);
  EXPECT_EQ(matmul["bound_by"]["resource"], "HBM slice (sip 0, cube 5, slice 3)");
  EXPECT_EQ(matmul["busiest"].size(), 3u);
  EXPECT_EQ(matmul["busiest"][1]["kind"], "link");
  EXPECT_EQ(matmul["roofline"]["bound"], "matrix");
  EXPECT_EQ(matmul["check"]["pass"], true);
  EXPECT_EQ(matmul["phases"][1]["name"], "launch matmul");
  EXPECT_EQ(matmul["phases"][1]["start_ps"], 4'000'000);
  const auto& add = j["benches"][1];
  EXPECT_TRUE(add["roofline"].is_null());
  EXPECT_TRUE(add["fraction_of_peak_flops"].is_null());  // not a compute bench
  EXPECT_EQ(add["check"]["checked"], false);
  EXPECT_EQ(j["collective_sweeps"].size(), 2u);
  EXPECT_EQ(j["collective_sweeps"][0]["rows"][0]["wrong"], 0);
  EXPECT_TRUE(j["collective_sweeps"][1]["rows"][0]["wrong"].is_null());
  EXPECT_EQ(j["parameter_sweeps"][0]["points"][2]["value"], "256 GB/s");
  EXPECT_EQ(j["parameter_sweeps"][0]["points"][2]["result"]["time_ps"], 1'000'000);
}

TEST(JsonReport, WritesAFileAndRefusesAnUnwritablePath) {
  const auto path = std::filesystem::path(KERNBENCH_BINARY_DIR) / "json_report_test.json";
  write_json_report(path, testing::sample_run());
  std::ifstream in(path);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_EQ(text, to_json(testing::sample_run()).dump(2) + "\n");
  EXPECT_THROW(write_json_report("/nonexistent-dir/x.json", testing::sample_run()), base::Error);
}

}  // namespace
}  // namespace kernbench::report
