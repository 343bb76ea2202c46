// Hostile input (issue 14): what is not a topology or ccl file, files past the size limit, machines
// and checks past the host memory budget, output paths that cannot be written, a trace past its
// cap and a simulation stopped at its limit: each one clear line and exit code 1 before anything
// runs, under a 2 GiB address-space limit (run_kernbench_limited), never a crash or a hang.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "expect_error.h"

namespace {

using kernbench::tests::expect_error;
using kernbench::tests::read_file;
using kernbench::tests::run_kernbench_limited;
using kernbench::tests::scratch_dir;

// A file of `bytes` bytes: a valid topology (the small config) padded with comment lines.
std::string padded_topology(const std::filesystem::path& dir, std::uint64_t bytes) {
  const std::string head =
      read_file(std::filesystem::path(KERNBENCH_SOURCE_DIR) / "configs/ahbm_small.yaml");
  std::string text = head;
  const std::string line = "#" + std::string(62, '-') + "\n";
  while (text.size() + line.size() <= bytes) text += line;
  text.append(bytes - text.size(), '\n');
  const std::filesystem::path path = dir / "padded.yaml";
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

TEST(InputLimitsErrors, DirectoryNamedAsInput) {
  expect_error("--topology configs topo",
               "kernbench: error: configs: is a directory, not a topology file\n");
  expect_error("--ccl configs ccl plan ring_tcm_8",
               "kernbench: error: configs: is a directory, not a ccl file\n");
  const auto run = run_kernbench_limited("validate configs");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "configs: 1 problem\n  configs: is a directory, not a topology or ccl file\n");
  EXPECT_EQ(run.err, "kernbench: error: 1 of 1 file(s) have problems\n");
}

TEST(InputLimitsErrors, DeviceNamedAsInput) {
  const std::string device = " is not a regular file (a device, FIFO or socket), not a ";
  expect_error("--topology /dev/zero topo",
               "kernbench: error: /dev/zero:" + device + "topology file\n");
  expect_error("--ccl /dev/zero ccl plan ring_tcm_8",
               "kernbench: error: /dev/zero:" + device + "ccl file\n");
  const auto run = run_kernbench_limited("validate /dev/zero");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "/dev/zero: 1 problem\n  /dev/zero:" + device + "topology or ccl file\n");
}

TEST(InputLimitsErrors, FifoNamedAsInputDoesNotWaitForAWriter) {
  const std::string fifo = (scratch_dir("fifo_input") / "topology.yaml").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  expect_error("--topology '" + fifo + "' topo",
               "kernbench: error: " + fifo +
                   ": is not a regular file (a device, FIFO or socket), not a topology file\n");
}

TEST(InputLimitsErrors, FilePastTheSizeLimit) {
  const std::string big = padded_topology(scratch_dir("big_input"), 20 << 20);
  expect_error("--topology '" + big + "' topo",
               "kernbench: error: " + big +
                   ": 20 MiB is larger than the 16 MiB limit on input files (--max-input-size "
                   "raises it)\n");
  const auto raised = run_kernbench_limited("--max-input-size 32M --topology '" + big + "' topo");
  EXPECT_EQ(raised.exit_code, 0) << raised.err;
  const std::string small = padded_topology(scratch_dir("small_input"), 2048);
  expect_error("--max-input-size 1K --ccl '" + small + "' ccl plan ring_tcm_8",
               "kernbench: error: " + small +
                   ": 2 KiB is larger than the 1 KiB limit on input files (--max-input-size "
                   "raises it)\n");
  // The library says which limit (base::InputSizeLimitError); the CLI adds its option, also in
  // validate and for a sweep's --topology (not blamed on a sweep point).
  const auto checked = run_kernbench_limited("--max-input-size 1K validate '" + small + "'");
  EXPECT_EQ(checked.out, small + ": 1 problem\n  " + small +
                             ": 2 KiB is larger than the 1 KiB limit on input files "
                             "(--max-input-size raises it)\n");
  expect_error("--max-input-size 1K --topology '" + small +
                   "' sweep vector_add --sweep sip.cube_mesh.link.latency=1ns,2ns",
               "kernbench: error: " + small +
                   ": 2 KiB is larger than the 1 KiB limit on input files (--max-input-size "
                   "raises it)\n");
  expect_error(
      "--max-input-size lots --topology configs/ahbm_small.yaml topo",
      "kernbench: error: --max-input-size lots: expected a size such as \"16K\" or \"16 "
      "KiB\" (B, K or KiB, M or MiB, G or GiB, T or TiB) or plain bytes, found \"lots\"\n");
}

// Under the size limit but past the host: a flow list of 5 million items takes yaml-cpp about 2 GB.
// Running out of memory is the input's fault, one line and exit code 1, not an internal error.
TEST(InputLimitsErrors, InputThatExhaustsTheHost) {
  if (!kernbench::tests::kAddressSpaceLimited) GTEST_SKIP() << "no address-space limit here";
  const auto path = scratch_dir("long_list") / "list.yaml";
  std::string text = "system:\n  sips:\n    count: [1";
  for (int i = 1; i < 5'000'000; ++i) text += ",1";
  std::ofstream(path, std::ios::binary) << text << "]\n";
  expect_error("--topology '" + path.string() + "' topo",
               "kernbench: error: the host ran out of memory: an input or a simulation too large "
               "for it\n");
}

// 256 SIPs of 16 x 16 cubes of 8 PEs pass the topology checks (the largest machine the addresses
// allow) but would take about 20 GiB of host memory to simulate.
TEST(InputLimitsErrors, MachinePastTheHostMemoryBudget) {
  const std::string huge =
      "--set system.sips.count=256 --set sip.cube_mesh.w=16 --set sip.cube_mesh.h=16 --set "
      "system.sips.cubes_per_sip=256 ";
  EXPECT_EQ(run_kernbench_limited(huge + "topo").exit_code, 0);
  expect_error(
      "--max-host-memory 4G " + huge + "run vector_add",
      "kernbench: error: bench 'vector_add': a machine of 524288 PEs needs about 20.008 GiB "
      "of host memory, more than the 4 GiB budget (--max-host-memory raises it)\n");
  expect_error(
      "--max-host-memory 4G " + huge + "ccl bench -b 1K -e 1K",
      "kernbench: error: a machine of 524288 PEs needs about 20.008 GiB of host memory, more "
      "than the 4 GiB budget (--max-host-memory raises it)\n");
}

// A kernel bench's tensors take host memory the machine's estimate does not hold (a tensor split
// over every PE is mapped on every PE): the runtime refuses the tensor that would pass the budget
// before any of its maps is sent, though the machine alone fits.
TEST(InputLimitsErrors, KernelBenchTensorsPastTheHostMemoryBudget) {
  const std::string mesh = "--set sip.cube_mesh.w=4 --set sip.cube_mesh.h=4 ";
  EXPECT_EQ(run_kernbench_limited("--quiet --max-host-memory 40M " + mesh +
                                  "run vector_add --timing-only")
                .exit_code,
            0);
  expect_error("--max-host-memory 30M " + mesh + "run vector_add --timing-only",
               "kernbench: error: bench 'vector_add': a run mapping tensor 'y' (16384 part maps on "
               "PEs) needs about 32 MiB of host memory, more than the 30 MiB budget "
               "(--max-host-memory raises it)\n");
}

// --check keeps every rank's data on the host: 1 GiB over 8 ranks is refused before it starts.
TEST(InputLimitsErrors, CollectiveCheckPastTheHostMemoryBudget) {
  expect_error(
      "--max-host-memory 4G ccl bench -b 1K -e 1G --check",
      "kernbench: error: --check of ring_tcm_8 over 8 ranks of 1 GiB needs about 10.013 GiB "
      "of host memory, more than the 4 GiB budget (--max-host-memory raises it)\n");
}

TEST(InputLimitsErrors, OutputPathsThatCannotBeWritten) {
  expect_error("run vector_add --json /proc/x",
               "kernbench: error: --json /proc/x: cannot write the file: No such file or "
               "directory\n");
  expect_error("run vector_add --trace configs",
               "kernbench: error: --trace configs: cannot write the file: Is a directory\n");
  expect_error("ccl bench -b 1K -e 1K --report /proc/x.html",
               "kernbench: error: --report /proc/x.html: cannot write the file: No such file or "
               "directory\n");
  // A writable path is left as it was: no file created, an existing one untouched.
  const auto dir = scratch_dir("output_check");
  const auto json = dir / "run.json";
  const auto run = run_kernbench_limited(
      "--quiet run vector_add --timing-only --trace-filter "
      "'unit=dmaa' --json '" +
      json.string() + "'");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_FALSE(std::filesystem::exists(json));
}

// A stopped simulation's report is one line; --verbose prints every process it left.
TEST(InputLimitsErrors, SimulationLimitInOneLine) {
  const std::string args = "-q --set 'system.host_link.latency=4000 s' run vector_add";
  expect_error(args,
               "kernbench: error: bench 'vector_add': simulation limit reached: the next event is "
               "at 4000 s, past max_time 3600 s; active processes: (33 more lines; --verbose "
               "prints them)\n");
  const auto verbose = run_kernbench_limited("--verbose " + args);
  EXPECT_EQ(verbose.exit_code, 1);
  EXPECT_EQ(std::count(verbose.err.begin(), verbose.err.end(), '\n'), 34) << verbose.err;
  EXPECT_NE(verbose.err.find("\n  process 'request 1 (mmu_map)' waits on"), std::string::npos);
}

// A trace past --trace-max-size stops at the cap, stays valid JSON and says what it left out.
TEST(InputLimitsErrors, TraceCapped) {
  const auto trace = scratch_dir("trace_cap") / "trace.json";
  const auto run = run_kernbench_limited("-q --timing-only run vector_add --trace '" +
                                         trace.string() + "' --trace-max-size 64K");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.err.rfind("kernbench: --trace " + trace.string() +
                              ": stopped at the --trace-max-size cap of 64 KiB: ",
                          0),
            0u)
      << run.err;
  EXPECT_LE(std::filesystem::file_size(trace), 64u << 10);
  EXPECT_TRUE(nlohmann::json::accept(read_file(trace)));
}

}  // namespace
