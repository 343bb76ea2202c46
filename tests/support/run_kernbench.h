// Runs the built kernbench binary for command-line tests: from the source tree (so file names in
// its output do not depend on the checkout), stdout and stderr together, with its exit code.
#pragma once

#include <cstdio>
#include <string>

#include <sys/wait.h>

namespace kernbench::tests {

struct CommandRun {
  std::string output;  // stdout and stderr
  int exit_code = -1;
};

/// Runs a shell command line: its stdout (add 2>&1 for stderr too) and exit code.
inline CommandRun run_shell(const std::string& command) {
  CommandRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    run.output.append(buffer, n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

/// The built kernbench binary.
inline std::string kernbench_binary() {
  return std::string(KERNBENCH_BINARY_DIR) + "/apps/kernbench/kernbench";
}

inline CommandRun run_kernbench(const std::string& args) {
  return run_shell("cd '" + std::string(KERNBENCH_SOURCE_DIR) + "' && '" + kernbench_binary() +
                   "' " + args + " 2>&1");
}

}  // namespace kernbench::tests
