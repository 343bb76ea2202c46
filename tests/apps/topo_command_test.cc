// Golden tests of `kernbench topo`: the built binary's output compared byte for byte with
// tests/apps/golden/*.txt. After an intended change of the output, regenerate them with
//   KERNBENCH_UPDATE_GOLDEN=1 ctest -R TopoCommandGolden    (then review the diff)
#include <string>

#include <gtest/gtest.h>

#include "support/golden_file.h"
#include "support/run_kernbench.h"

namespace {

using kernbench::tests::CommandRun;
using kernbench::tests::run_kernbench;

void expect_golden(const std::string& args, const std::string& golden_name) {
  const CommandRun run = run_kernbench(args);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  kernbench::tests::expect_matches_golden(run.output, "tests/apps/golden/" + golden_name);
}

TEST(TopoCommandGolden, DefaultMachine) { expect_golden("topo", "topo_default.txt"); }

TEST(TopoCommandGolden, MultiSipFileWithOverride) {
  expect_golden("--topology configs/ahbm_multi_sip.yaml topo --set system.sips.interconnect=switch",
                "topo_multi_sip_switch.txt");
}

TEST(TopoCommandGolden, Explain) { expect_golden("topo --explain", "topo_explain.txt"); }

TEST(TopoCommandErrors, BadOverrideExitsWithOne) {
  const CommandRun run = run_kernbench("topo --set cube.sram.sise_mb=8 --set sip.cube_mesh.w=0");
  EXPECT_EQ(run.exit_code, 1);
  // One line: the first problem and how many more; `validate` lists every one.
  EXPECT_EQ(run.output,
            "kernbench: error: --set cube.sram.sise_mb=8: cube.sram.sise_mb: unknown key, did you "
            "mean cube.sram.size_mb? (and 1 more problem; kernbench validate lists every one)\n");
}

}  // namespace
