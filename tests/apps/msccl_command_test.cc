// `kernbench --ccl FILE ccl bench` on an entry of the built-in kind msccl: the MSCCL ring file
// (named relative to the ccl file, which is not the working directory) computes the right result
// under both fabric models, a missing file is one error at its ccl.yaml position, and validate
// reads each msccl entry's file.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "command_runner.h"

namespace {

namespace fs = std::filesystem;

// A scratch folder with the ring file as algos/ring.xml and a ccl.yaml naming `file`.
fs::path ccl_folder(const std::string& name, const std::string& file) {
  const fs::path dir = kernbench::tests::scratch_dir(name);
  fs::create_directories(dir / "algos");
  fs::copy_file(fs::path(KERNBENCH_SOURCE_DIR) / "tests/ccl/msccl/ring_allreduce.xml",
                dir / "algos/ring.xml");
  std::ofstream(dir / "ccl.yaml") << "algorithms:\n  msccl_ring:\n    kind: msccl\n"
                                     "    world_size: 4\n    file: "
                                  << file << "\n";
  return dir;
}

TEST(MscclCommand, BenchCheckOfTheRingFileUnderBothFabricModels) {
  const fs::path dir = ccl_folder("msccl_ring", "algos/ring.xml");
  for (const char* model : {"chunks", "flows"}) {
    const std::string cmd = "--quiet --set system.fabric_model=" + std::string(model) + " --ccl '" +
                            (dir / "ccl.yaml").string() +
                            "' ccl bench --op all_reduce --algo msccl_ring -b 4K -e 1M -f 16"
                            " --check";
    const auto run = kernbench::tests::run_kernbench_split(cmd);
    ASSERT_EQ(run.exit_code, 0) << cmd << "\n" << run.err;
    EXPECT_EQ(run.out.find("N/A"), std::string::npos) << run.out;
    // Three sizes (4K, 64K, 1M), each with 0 wrong elements (the last column).
    int rows = 0;
    for (std::size_t at = run.out.find("      0\n"); at != std::string::npos;
         at = run.out.find("      0\n", at + 1))
      ++rows;
    EXPECT_EQ(rows, 3) << model << "\n" << run.out;
  }
}

TEST(MscclCommand, AMissingFileIsOneErrorAtItsKey) {
  const fs::path dir = ccl_folder("msccl_missing", "algos/nope.xml");
  const auto run = kernbench::tests::run_kernbench_split("--ccl '" + (dir / "ccl.yaml").string() +
                                                         "' ccl bench --algo msccl_ring --check");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find((dir / "ccl.yaml").string() + ":5:11: algorithms.msccl_ring.file: " +
                         (dir / "algos/nope.xml").string() + ": cannot read the file"),
            std::string::npos)
      << run.err;
}

// validate plans every entry, so an msccl entry's file is read and checked: a good one passes, a
// malformed one is a problem naming the entry's key and the line of the XML.
TEST(MscclCommand, ValidateReadsTheFileOfEachMscclEntry) {
  const fs::path good = ccl_folder("msccl_validate_good", "algos/ring.xml");
  const auto ok =
      kernbench::tests::run_kernbench_split("validate '" + (good / "ccl.yaml").string() + "'");
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  const std::string malformed =
      (fs::path(KERNBENCH_SOURCE_DIR) / "tests/ccl/msccl/malformed.xml").string();
  const fs::path bad = ccl_folder("msccl_validate_bad", malformed);
  const auto run =
      kernbench::tests::run_kernbench_split("validate '" + (bad / "ccl.yaml").string() + "'");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find((bad / "ccl.yaml").string() + ":2:3: algorithms.msccl_ring.file: " +
                         malformed + ":5: malformed XML: Start-end tags mismatch"),
            std::string::npos)
      << run.out << run.err;
}

}  // namespace
