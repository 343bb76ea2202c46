// `kernbench sweep`: a list and a grid of --set values, input order and byte-identical output
// whatever -j, CSV and JSON, and sweep values checked like --set values.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "command_runner.h"

namespace {

using kernbench::tests::read_file;
using kernbench::tests::run_kernbench_split;
using kernbench::tests::scratch_dir;

const std::string kSmall = "--topology configs/ahbm_small.yaml --quiet ";

TEST(SweepCommand, AGridInInputOrderWithCsvAndJsonTheSameWithAnyJobs) {
  const auto dir = scratch_dir("sweep-grid");
  const std::string args =
      "sweep vector_add --sweep 'cube.memory_map.hbm_slice_bandwidth=64 GB/s,256 GB/s' "
      "--sweep cube.pe_template.components.pe_dma.attrs.channels=1,2,4 ";
  const auto one = run_kernbench_split(kSmall + args + "-j 1 --csv '" + (dir / "1.csv").string() +
                                       "' --json '" + (dir / "1.json").string() + "'");
  const auto two =
      run_kernbench_split(kSmall + args + "-j 2 --csv '" + (dir / "2.csv").string() + "'");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(one.out, two.out);
  EXPECT_EQ(one.err, "");  // no progress bar when stderr is not a terminal
  const std::string csv = read_file(dir / "1.csv");
  EXPECT_EQ(csv, read_file(dir / "2.csv"));
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "cube.memory_map.hbm_slice_bandwidth,cube.pe_template.components.pe_dma.attrs.channels,"
            "bench,shape,pes,time_ps,bytes,flops,bytes_per_second,flops_per_second,check");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 7);  // header + 2 x 3 points
  EXPECT_NE(csv.find("\n64 GB/s,1,vector_add,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n256 GB/s,4,vector_add,"), std::string::npos) << csv;

  const auto json = nlohmann::json::parse(read_file(dir / "1.json"));
  const auto& sweeps = json.at("parameter_sweeps");
  ASSERT_EQ(sweeps.size(), 2u);  // one per value of the first key
  EXPECT_EQ(sweeps.at(0).at("key"), "cube.pe_template.components.pe_dma.attrs.channels");
  ASSERT_EQ(sweeps.at(0).at("points").size(), 3u);
  EXPECT_EQ(sweeps.at(1).at("points").at(2).at("value"), "4");
  // More HBM bandwidth never makes the bench slower.
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_LE(sweeps.at(1).at("points").at(i).at("result").at("time_ps").get<std::int64_t>(),
              sweeps.at(0).at("points").at(i).at("result").at("time_ps").get<std::int64_t>());
}

TEST(SweepCommandErrors, ValuesAreCheckedLikeSetValuesBeforeAnythingRuns) {
  auto run =
      run_kernbench_split(kSmall + "sweep vector_add --sweep 'cube.sram.bandwidth=1 GB/s,x'");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err,
            "kernbench: error: --sweep cube.sram.bandwidth=x: cube.sram.bandwidth: expected a "
            "bandwidth such as \"256 GB/s\" (B/s, MB/s, GB/s, TB/s, GiB/s), found \"x\"\n");
  run = run_kernbench_split(kSmall + "sweep vector_add --sweep cube.sram.bandwidth");
  EXPECT_EQ(run.err, "kernbench: error: --sweep cube.sram.bandwidth: expected KEY=v1,v2,...\n");
  run = run_kernbench_split(kSmall + "sweep vector_ad --sweep sip.cube_mesh.w=1");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err.rfind("kernbench: error: unknown bench 'vector_ad'", 0), 0u) << run.err;
  run = run_kernbench_split(kSmall + "sweep vector_add --sweep sip.cube_mesh.w=1,2 --trace t.json");
  EXPECT_EQ(run.exit_code, 1);
}

// ccl.defaults keys are axes: the all_reduce bench's ring takes its chunk size and buffer from
// them, each point's time is its own, and the output names every swept value.
TEST(SweepCommand, CclDefaultsAreAxesOfTheAllReduceBench) {
  const auto dir = scratch_dir("sweep-ccl");
  const std::string json_file = (dir / "c.json").string();
  const auto run =
      run_kernbench_split(kSmall + "--timing-only --json '" + json_file +
                          "' sweep all_reduce --sweep ccl.defaults.chunk_size=4K,64K --sweep "
                          "ccl.defaults.buffer=tcm,hbm --param count=65536");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const std::string text :
       {"# sweep of ccl.defaults.buffer over all_reduce (ccl.defaults.chunk_size=4K)",
        "# sweep of ccl.defaults.buffer over all_reduce (ccl.defaults.chunk_size=64K)"})
    EXPECT_NE(run.out.find(text), std::string::npos) << text << "\n" << run.out;
  const auto sweeps = nlohmann::json::parse(read_file(dir / "c.json")).at("parameter_sweeps");
  ASSERT_EQ(sweeps.size(), 2u);
  const auto time = [&](std::size_t chunk, std::size_t buffer) {
    return sweeps.at(chunk).at("points").at(buffer).at("result").at("time_ps").get<std::int64_t>();
  };
  EXPECT_EQ(sweeps.at(0).at("points").at(1).at("value"), "hbm");
  const auto shape = [&](std::size_t chunk, std::size_t buffer) {
    return sweeps.at(chunk).at("points").at(buffer).at("result").at("shape").get<std::string>();
  };
  EXPECT_TRUE(shape(0, 0).ends_with("ring into TCM in 4 KiB chunks")) << shape(0, 0);
  EXPECT_TRUE(shape(1, 1).ends_with("ring into HBM in 64 KiB chunks")) << shape(1, 1);
  EXPECT_NE(time(0, 0), time(1, 0));  // 4K and 64K chunks into TCM
  EXPECT_NE(time(0, 0), time(0, 1));  // TCM and HBM with 4K chunks
}

// An entry's keys are axes too: the all_reduce bench's ring takes ring_default_ws's chunk size,
// whose own value beats a --set ccl.defaults one at every point.
TEST(SweepCommand, RingDefaultWsKeysAreAxesOfTheAllReduceBench) {
  const auto run = run_kernbench_split(
      kSmall +
      "--timing-only --set ccl.defaults.chunk_size=4K --json /dev/stdout sweep "
      "all_reduce --sweep ccl.ring_default_ws.chunk_size=16K,64K --param count=65536");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("# sweep of ccl.ring_default_ws.chunk_size over all_reduce"),
            std::string::npos)
      << run.out;
  const auto points = nlohmann::json::parse(run.out.substr(run.out.find("{\n")))
                          .at("parameter_sweeps")
                          .at(0)
                          .at("points");
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points.at(0).at("value"), "16K");
  const auto result = [&](std::size_t i, const char* key) {
    return points.at(i).at("result").at(key);
  };
  EXPECT_TRUE(result(0, "shape").get<std::string>().ends_with("ring into TCM in 16 KiB chunks"))
      << result(0, "shape");
  EXPECT_TRUE(result(1, "shape").get<std::string>().ends_with("ring into TCM in 64 KiB chunks"))
      << result(1, "shape");
  EXPECT_NE(result(0, "time_ps"), result(1, "time_ps"));
}

// A bench parameter is an axis like a --set key (param.NAME), alone or in a grid with one, and
// --param fixes one at every point; each point's shape is the one asked for.
TEST(SweepCommand, BenchParametersAreAxesToo) {
  const auto dir = scratch_dir("sweep-params");
  const std::string csv = (dir / "p.csv").string();
  const auto run = run_kernbench_split(
      kSmall +
      "--timing-only sweep softmax --sweep param.cols=256,512 --sweep "
      "'sip.cube_mesh.link.bandwidth=128 GB/s,512 GB/s' --param rows=64 --csv '" +
      csv + "'");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("# sweep of sip.cube_mesh.link.bandwidth over softmax (param.cols=256)"),
            std::string::npos)
      << run.out;
  const std::string rows = read_file(csv);
  EXPECT_NE(rows.find("256,128 GB/s,softmax,64x256 f32,"), std::string::npos) << rows;
  EXPECT_NE(rows.find("512,512 GB/s,softmax,64x512 f32,"), std::string::npos) << rows;
}

TEST(SweepCommandErrors, BenchParametersAreCheckedLikeRunsParam) {
  auto run = run_kernbench_split(kSmall + "sweep matmul --sweep param.m=64");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err,
            "kernbench: error: --sweep param.m=64: no bench run takes 'm' (did you mean 'M'?); "
            "parameters: matmul (M, N, K)\n");
  run = run_kernbench_split(kSmall + "sweep matmul --sweep param.M=64,x");
  EXPECT_EQ(run.err,
            "kernbench: error: --sweep param.M=x: expected a whole number of at least 1 for M, "
            "found \"x\"\n");
  run = run_kernbench_split(kSmall + "sweep matmul --sweep param.M=64 --param cols=3");
  EXPECT_EQ(run.err,
            "kernbench: error: --param cols=3: no bench run takes 'cols'; parameters: matmul (M, "
            "N, K)\n");
}

}  // namespace
