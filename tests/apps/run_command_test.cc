// `kernbench run`: exit codes, a PASS line per bench, deterministic output, unknown names.
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "support/run_kernbench.h"

namespace {

using kernbench::tests::CommandRun;
using kernbench::tests::run_kernbench;

// The result line of `bench` (starts with its name), or "" if none.
std::string line_of(const std::string& output, const std::string& bench) {
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(bench + " ", 0) == 0) return line;
  return "";
}

TEST(RunCommand, EveryBenchRunsAndPrintsPass) {
  const CommandRun run = run_kernbench("run");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  for (const char* bench :
       {"vector_add", "softmax", "matmul", "matmul_persistent", "layernorm", "attention"}) {
    const std::string line = line_of(run.output, bench);
    EXPECT_NE(line.find("PASS (max error"), std::string::npos) << bench << ":\n" << run.output;
  }
  EXPECT_NE(run.output.find("B/s"), std::string::npos);
  EXPECT_NE(run.output.find("FLOP/s"), std::string::npos);
  EXPECT_NE(run.output.find("roofline:"), std::string::npos);
  EXPECT_NE(run.output.find("legend:"), std::string::npos);
}

TEST(RunCommand, RunsOnlyTheNamedBenchesAndIsDeterministic) {
  const CommandRun first = run_kernbench("run softmax matmul");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(line_of(first.output, "softmax"), "");
  EXPECT_NE(line_of(first.output, "matmul"), "");
  EXPECT_EQ(line_of(first.output, "vector_add"), "");
  EXPECT_EQ(run_kernbench("run softmax matmul").output, first.output);
}

TEST(RunCommand, UsesTheMachineOfTheGlobalOptions) {
  const CommandRun run = run_kernbench(
      "--set sip.cube_mesh.w=1 --set sip.cube_mesh.h=1 --set system.sips.cubes_per_sip=1 run "
      "softmax");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(line_of(run.output, "softmax").find("128x1000 f32     8  "), std::string::npos)
      << run.output;
}

TEST(RunCommand, ListShowsTheBenches) {
  const CommandRun run = run_kernbench("list");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("Benches (6), for kernbench run\n  vector_add  "), std::string::npos)
      << run.output;
}

TEST(RunCommandErrors, UnknownBenchListsTheKnownOnes) {
  const CommandRun run = run_kernbench("run softmx");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.output,
            "kernbench: error: unknown bench 'softmx' (did you mean 'softmax'?); known: "
            "vector_add, softmax, matmul, matmul_persistent, layernorm, attention\n");
}

}  // namespace
