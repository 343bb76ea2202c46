// The error tests' one assertion: a kernbench command line that fails with exactly one message.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "command_runner.h"

namespace kernbench::tests {

/// Runs `args` under the error tests' limits (run_kernbench_limited) and expects exit code
/// `code`, nothing on stdout and exactly `message` on stderr.
inline void expect_error(const std::string& args, const std::string& message, int code = 1) {
  const SplitRun run = run_kernbench_limited(args);
  EXPECT_EQ(run.exit_code, code) << args;
  EXPECT_EQ(run.out, "") << args;
  EXPECT_EQ(run.err, message) << args;
}

}  // namespace kernbench::tests
