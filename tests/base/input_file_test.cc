#include "kernbench/base/input_file.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "kernbench/base/error.h"
#include "kernbench/base/limit_error.h"

namespace kernbench::base {
namespace {

// A fresh folder of the test's own under the system's temporary folder.
std::filesystem::path folder(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("kernbench-input-file-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string problem_of(const std::string& path, std::uint64_t max_bytes = kDefaultMaxInputBytes) {
  try {
    read_input_file(path, "topology file", max_bytes);
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.problems().size(), 1u);
    return e.what();
  }
  return "no error";
}

TEST(InputFile, ReadsARegularFileWhole) {
  const auto path = folder("whole") / "a.yaml";
  std::ofstream(path, std::ios::binary) << std::string("a: 1\n\0b", 7);
  EXPECT_EQ(read_input_file(path.string(), "topology file"), std::string("a: 1\n\0b", 7));
  EXPECT_EQ(read_input_file(path.string(), "topology file", 7), std::string("a: 1\n\0b", 7));
}

TEST(InputFileErrors, SaysWhatThePathIs) {
  const auto dir = folder("kinds");
  EXPECT_EQ(problem_of((dir / "missing.yaml").string()),
            (dir / "missing.yaml").string() + ": cannot read the topology file");
  EXPECT_EQ(problem_of(dir.string()), dir.string() + ": is a directory, not a topology file");
  EXPECT_EQ(problem_of("/dev/zero"),
            "/dev/zero: is not a regular file (a device, FIFO or socket), not a topology file");
  const auto fifo = dir / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(problem_of(fifo.string()),  // asked before opening: no wait for a writer
            fifo.string() +
                ": is not a regular file (a device, FIFO or socket), not a topology "
                "file");
}

TEST(InputFileErrors, RefusesAFileOverTheLimit) {
  const auto path = folder("limit") / "big.yaml";
  std::ofstream(path, std::ios::binary) << std::string(3000, '#');
  // Typed by its limit, and in no front end's words: the CLI adds its option, Python its own.
  EXPECT_EQ(problem_of(path.string(), 2048),
            path.string() + ": 2.93 KiB is larger than the 2 KiB limit on input files");
  EXPECT_THROW(read_input_file(path.string(), "topology file", 2048), InputSizeLimitError);
  EXPECT_EQ(read_input_file(path.string(), "topology file", 3000).size(), 3000u);
}

}  // namespace
}  // namespace kernbench::base
