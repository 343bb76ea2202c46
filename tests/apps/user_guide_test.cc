// docs/user-guide.md runs as written: every `kernbench ...` line of its ```sh blocks is run from a
// scratch directory holding a link to configs/, and must succeed; README's report sample is real.
// (Its ```text blocks are not commands of the built binary; the package steps are run by
// apps.OutOfTreePackage.)
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "command_runner.h"

namespace {

using kernbench::tests::read_file;

// The `kernbench ...` lines of the guide's ```sh blocks, in order.
std::vector<std::string> guide_commands() {
  std::istringstream in(read_file(KERNBENCH_SOURCE_DIR "/docs/user-guide.md"));
  std::vector<std::string> commands;
  bool in_sh = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("```", 0) == 0) {
      in_sh = !in_sh && line == "```sh";
      continue;
    }
    if (in_sh && line.rfind("kernbench", 0) == 0) commands.push_back(line);
  }
  return commands;
}

kernbench::tests::CommandRun run_in(const std::filesystem::path& dir, const std::string& command) {
  return kernbench::tests::run_shell("cd '" + dir.string() + "' && '" +
                                     kernbench::tests::kernbench_binary() + "'" +
                                     command.substr(std::string("kernbench").size()) + " 2>&1");
}

TEST(UserGuideExample, EveryCommandRunsAsWritten) {
  const std::vector<std::string> commands = guide_commands();
  ASSERT_GE(commands.size(), 20u) << "the guide's sh blocks were not found";
  const auto dir = kernbench::tests::scratch_dir("user-guide");
  std::filesystem::create_directory_symlink(KERNBENCH_SOURCE_DIR "/configs", dir / "configs");
  for (const std::string& command : commands) {
    const auto r = run_in(dir, command);
    EXPECT_EQ(r.exit_code, 0) << command << "\n" << r.output;
    EXPECT_FALSE(r.output.empty()) << command;
  }
  // The files the guide tells people to open were written.
  for (const char* file :
       {"kernels.json", "softmax-trace.json", "softmax.html", "hbm.csv", "hbm.html", "grid.json",
        "all-reduce-trace.json", "deploy-trace.json", "ring-trace.json", "ring.html"})
    EXPECT_TRUE(std::filesystem::exists(dir / file)) << file;
}

// README's sample of the report is the real output of the command it names: each line of the
// sample is a line of the output (a line cut with "..." is a start of one).
TEST(ReadmeExample, ReportSampleIsTheRealOutput) {
  const std::string readme = read_file(KERNBENCH_SOURCE_DIR "/README.md");
  const std::string command = "kernbench --topology ahbm_small run softmax --quiet";
  ASSERT_NE(readme.find("`" + command + "`"), std::string::npos) << "the sample's command moved";
  const std::size_t start = readme.find("```text\nbench / phase");
  ASSERT_NE(start, std::string::npos) << "the README's report sample was not found";
  const std::size_t end = readme.find("```", start + 3);
  std::istringstream sample(readme.substr(start + 8, end - start - 8));
  const auto dir = kernbench::tests::scratch_dir("readme");
  const auto r = run_in(dir, command);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::size_t lines = 0;
  for (std::string line; std::getline(sample, line); ++lines) {
    const bool cut = line.ends_with("...");
    const std::string text = "\n" + (cut ? line.substr(0, line.size() - 3) : line + "\n");
    EXPECT_NE(r.output.find(text), std::string::npos) << line << "\nin:\n" << r.output;
  }
  EXPECT_GE(lines, 5u);
}

}  // namespace
