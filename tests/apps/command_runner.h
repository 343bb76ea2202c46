// Runs the built kernbench binary with its stdout and stderr kept apart, for tests of what goes
// where (results on stdout, wall clock and errors on stderr), and a scratch directory per test.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <unistd.h>

#include "support/run_kernbench.h"

namespace kernbench::tests {

struct SplitRun {
  std::string out;  // stdout
  std::string err;  // stderr
  int exit_code = -1;
};

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A fresh directory under the build tree for one test's files.
inline std::filesystem::path scratch_dir(const std::string& name) {
  const std::filesystem::path dir =
      std::filesystem::path(KERNBENCH_BINARY_DIR) / "test-scratch" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

/// Runs `PREFIX kernbench ARGS` from the source root in a subshell (PREFIX: "ulimit ... && ").
inline SplitRun run_kernbench_split_prefixed(const std::string& prefix, const std::string& args) {
  const std::filesystem::path err_file =
      std::filesystem::path(KERNBENCH_BINARY_DIR) /
      ("kernbench-stderr-" + std::to_string(::getpid()) + ".txt");
  CommandRun both = run_shell("cd '" + std::string(KERNBENCH_SOURCE_DIR) + "' && (" + prefix + "'" +
                              kernbench_binary() + "' " + args + ") 2>'" + err_file.string() + "'");
  SplitRun run{std::move(both.output), read_file(err_file), both.exit_code};
  std::filesystem::remove(err_file);
  return run;
}

/// Runs `kernbench ARGS` from the source root (so relative config paths work).
inline SplitRun run_kernbench_split(const std::string& args) {
  return run_kernbench_split_prefixed("", args);
}

/// The same under a 2 GiB address-space limit and a two-minute timeout, as the error tests run:
/// a hostile input must end in a clear message, never in exhausting the host or hanging. The limit
/// is left off in a sanitizer build, whose shadow memory reserves terabytes of address space.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kAddressSpaceLimited = false;
#else
inline constexpr bool kAddressSpaceLimited = true;
#endif
inline SplitRun run_kernbench_limited(const std::string& args) {
  const std::string limit = kAddressSpaceLimited ? "ulimit -v 2097152 && " : "";
  return run_kernbench_split_prefixed(limit + "exec timeout 120 ", args);
}

}  // namespace kernbench::tests
