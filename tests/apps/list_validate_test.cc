// `kernbench list` (every registry, or one section's named entries) and `kernbench validate`
// (every problem of topology and ccl files, exit 1 if any).
#include <string>

#include <gtest/gtest.h>

#include "command_runner.h"
#include "support/golden_file.h"

namespace {

using kernbench::tests::run_kernbench_split;

TEST(ListCommandGolden, EverySectionWithAFixedCclFile) {
  const auto run = run_kernbench_split("--ccl tests/apps/data/two_rings.yaml list");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  kernbench::tests::expect_matches_golden(run.out, "tests/apps/golden/list_all.txt");
}

TEST(ListCommand, OneSectionAndNamedEntries) {
  auto run = run_kernbench_split("list benches softmax deploy");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.find("matmul"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\n  softmax  row-wise"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\n  deploy   the host copies"), std::string::npos) << run.out;
  run = run_kernbench_split("list configs ahbm_small.yaml");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("ahbm_small          1 SIP(s) x 2 x 2 cubes x 8 PEs = 32 PEs"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(run_kernbench_split("list configs nope.yaml").exit_code, 1);
  EXPECT_EQ(run_kernbench_split("list softmax").exit_code, 2);  // a section comes first
}

// A named bench shows its --param parameters: name, default, meaning.
TEST(ListCommand, NamedBenchShowsItsParameters) {
  const auto run = run_kernbench_split("list benches matmul all_reduce");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "Benches (8), for kernbench run and sweep\n"
            "  matmul      tiled C = A @ B on every PE, f16 in, f32 accumulate (Triton tutorial "
            "03)\n"
            "    parameters (--param NAME=VALUE, a whole number of at least 1):\n"
            "      M  default 64 per PE of the SIP  rows of A and C\n"
            "      N  default 128                   columns of B and C\n"
            "      K  default 256                   columns of A, rows of B\n"
            "  all_reduce  ring all-reduce of 1 MiB f32 per rank across the cubes (PE 0 of each)\n"
            "    parameters (--param NAME=VALUE, a whole number of at least 1):\n"
            "      count  default 262144  f32 elements per rank\n");
}

// A shipped configuration is validated by its name too (tests/apps/installed_configs_test.cmake
// does it from another folder once installed).
TEST(ValidateCommand, ShippedConfigurationByName) {
  const auto run = run_kernbench_split("validate ahbm_small");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("/configs/ahbm_small.yaml: ok (topology, 1 SIP(s) x 4 cubes x 8 PEs)\n"),
            std::string::npos)
      << run.out;
}

TEST(ValidateCommand, GoodFilesAreOk) {
  const auto run = run_kernbench_split("validate configs/ahbm_small.yaml configs/ccl.yaml");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("configs/ahbm_small.yaml: ok (topology, 1 SIP(s) x 4 cubes x 8 PEs)\n"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("configs/ccl.yaml: ok (collective algorithms, "), std::string::npos);
}

TEST(ValidateCommandErrors, ListsEveryProblemOfEveryFile) {
  const auto run = run_kernbench_split(
      "validate tests/apps/data/three_problems.yaml tests/apps/data/bad_ccl.yaml "
      "no/such.yaml configs/ahbm_small.yaml");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out,
            "tests/apps/data/three_problems.yaml: 3 problems\n"
            "  tests/apps/data/three_problems.yaml:3:17: system.sips.count: expected a positive "
            "integer, found 0\n"
            "  tests/apps/data/three_problems.yaml:5:45: sip.cube_mesh.link.bandwidth: expected a "
            "bandwidth such as \"256 GB/s\" (B/s, MB/s, GB/s, TB/s, GiB/s), found \"fast\"\n"
            "  tests/apps/data/three_problems.yaml:13:3: cube.sramm: unknown key, did you mean "
            "cube.sram?\n"
            "tests/apps/data/bad_ccl.yaml: 1 problem\n"
            "  tests/apps/data/bad_ccl.yaml:4:11: algorithms.fast_ring.kind: unknown algorithm "
            "kind 'rign' (did you mean 'ring'?); known: ring, tree, mesh_2d, halving_doubling, "
            "hierarchical, msccl\n"
            "no/such.yaml: 1 problem\n"
            "  no/such.yaml: cannot read the topology or ccl file\n"
            "configs/ahbm_small.yaml: ok (topology, 1 SIP(s) x 4 cubes x 8 PEs)\n");
  EXPECT_EQ(run.err, "kernbench: error: 3 of 4 file(s) have problems\n");
}

TEST(ValidateCommandErrors, PlansCclEntriesOnTheMachineOfTheOptions) {
  const std::string file = "tests/apps/data/big_ring_ccl.yaml";
  EXPECT_EQ(run_kernbench_split("validate " + file).exit_code, 0);  // 128 PEs: 64 fit
  const auto run = run_kernbench_split("--topology configs/ahbm_small.yaml validate " + file);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("big_ring_ccl.yaml:3:3: algorithms.ring_64: world size 64 does not fit "
                         "this machine: it has 32 PEs"),
            std::string::npos)
      << run.out;
}

TEST(ValidateCommandErrors, WithoutAFileChecksTheMachineOfTheOptions) {
  const auto run =
      run_kernbench_split("validate --set cube.sram.sise_mb=8 --set sip.cube_mesh.w=0");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out,
            "<embedded configs/ahbm_default.yaml>: 2 problems\n"
            "  --set cube.sram.sise_mb=8: cube.sram.sise_mb: unknown key, did you mean "
            "cube.sram.size_mb?\n"
            "  --set sip.cube_mesh.w=0: sip.cube_mesh.w: expected a positive integer, found 0\n");
}

}  // namespace
