// Every kind of user error, its exact one-line message on stderr and its exit code (1; 2 for a
// usage error): never a stack trace, never a hang (each run under a 2 GiB address-space limit and a
// timeout, expect_error.h).
#include <string>

#include <gtest/gtest.h>

#include "expect_error.h"

namespace {

using kernbench::tests::expect_error;
using kernbench::tests::run_kernbench_limited;

TEST(CliErrors, MissingFile) {
  expect_error("--topology no/such/file.yaml run",
               "kernbench: error: no/such/file.yaml: cannot read the topology file\n");
}

TEST(CliErrors, BadFileGivesItsProblemWithPosition) {
  expect_error("--topology tests/apps/data/one_problem.yaml run",
               "kernbench: error: tests/apps/data/one_problem.yaml:3:17: system.sips.count: "
               "expected a positive integer, found 0\n");
}

TEST(CliErrors, BadFileWithSeveralProblemsStaysOneLine) {
  expect_error("--topology tests/apps/data/three_problems.yaml topo",
               "kernbench: error: tests/apps/data/three_problems.yaml:3:17: system.sips.count: "
               "expected a positive integer, found 0 (and 2 more problems; kernbench validate "
               "lists every one)\n");
}

TEST(CliErrors, BadSetPath) {
  expect_error("--set cube.sram.size=64 run softmax",
               "kernbench: error: --set cube.sram.size=64: cube.sram.size: unknown key, valid keys "
               "under cube.sram: size_mb, bandwidth, latency\n");
}

TEST(CliErrors, BadSetValue) {
  expect_error(
      "--set 'sip.cube_mesh.link.bandwidth=fast' run softmax",
      "kernbench: error: --set sip.cube_mesh.link.bandwidth=fast: "
      "sip.cube_mesh.link.bandwidth: expected a bandwidth such as \"256 GB/s\" (B/s, MB/s, "
      "GB/s, TB/s, GiB/s), found \"fast\"\n");
}

TEST(CliErrors, UnknownBench) {
  expect_error("run softmx",
               "kernbench: error: unknown bench 'softmx' (did you mean 'softmax'?); known: deploy, "
               "matmul, softmax, layernorm, all_reduce, vector_add, matmul_persistent, "
               "attention\n");
}

TEST(CliErrors, UnknownKernel) {
  expect_error(
      "list kernels vector_ad",
      "kernbench: error: unknown kernel 'vector_ad' (did you mean 'vector_add'?); known: "
      "attention, fill_index, layernorm, matmul, matmul_persistent, softmax, vector_add\n");
}

TEST(CliErrors, UnknownAlgorithm) {
  expect_error("--ccl tests/apps/data/two_rings.yaml list algorithms ring_tmc_8",
               "kernbench: tests/apps/data/two_rings.yaml:3:3: entry ring_tcm_8 replaces the "
               "built-in entry of that name\n"
               "kernbench: error: unknown ccl algorithm 'ring_tmc_8' (did you mean 'ring_tcm_8'?); "
               "known: ring_default_ws, ring_tcm_8, hbm_8, sram_8, multi_cube, mesh_2x2, "
               "tree_binary_7, halving_doubling_8, ring_hbm_8 (in <embedded configs/ccl.yaml> + "
               "tests/apps/data/two_rings.yaml)\n");
}

TEST(CliErrors, BenchFailureNamesTheBench) {
  expect_error(
      "--quiet --set sip.cube_mesh.w=1 --set sip.cube_mesh.h=1 --set system.sips.cubes_per_sip=1 "
      "run all_reduce",
      "kernbench: error: bench 'all_reduce': an all-reduce across the cubes needs at least 2 "
      "cubes; this machine has 1\n");
}

// A run that reaches the machine's event limit stops with one line naming the setting that
// raises it, from a kernel bench and from a collective bench; the limit itself is validated.
TEST(CliErrors, ARunPastItsEventLimitNamesTheSettingThatRaisesIt) {
  for (const std::string args : {"--set system.max_events=1000 run vector_add",
                                 "--set system.max_events=1000 ccl bench --algo ring_default_ws "
                                 "-b 1M -e 1M"}) {
    const kernbench::tests::SplitRun run = run_kernbench_limited(args);
    EXPECT_EQ(run.exit_code, 1) << args;
    EXPECT_NE(run.err.find("simulation limit reached: 1000 events have run at "), std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find("the max_events limit (system.max_events raises it)"), std::string::npos)
        << run.err;
  }
  expect_error("--set system.max_events=0 topo",
               "kernbench: error: --set system.max_events=0: system.max_events: expected a "
               "positive integer, found 0\n");
}

TEST(CliErrors, BadTraceFilter) {
  expect_error("run softmax --trace-filter 'unit=dmaa'",
               "kernbench: error: --trace-filter: 'unit=dmaa': expected unit kinds separated by "
               "'|', from: core, dma, mmu, vector, matrix, wait, ipcq, port, tcm, hbm, sram, "
               "corner, mesh, sip_link, host, requests\n");
}

TEST(CliErrors, UsageErrorsExitWithTwo) {
  EXPECT_EQ(run_kernbench_limited("run --no-such-option").exit_code, 2);
  EXPECT_EQ(run_kernbench_limited("").exit_code, 2);  // a subcommand is required
  EXPECT_EQ(run_kernbench_limited("list widgets").exit_code, 2);
  EXPECT_EQ(run_kernbench_limited("sweep softmax").exit_code, 2);  // --sweep is required
}

TEST(CliErrors, HelpOnEverySubcommandExitsWithZero) {
  for (const char* cmd :
       {"", "run", "list", "topo", "validate", "sweep", "ccl", "ccl plan", "ccl bench"}) {
    const auto run = run_kernbench_limited(std::string(cmd) + " --help");
    EXPECT_EQ(run.exit_code, 0) << cmd;
    EXPECT_NE(run.out.find("Usage:"), std::string::npos) << cmd << run.out;
  }
}

// Shapes whose products pass 2^31 are compared exactly: 4100 x 1047553 wraps to 4 in 32 bits.
// The loader names the mesh key; planning on the whole machine names the entry.
TEST(CliErrors, CclMeshSidesPastTwoToThe31) {
  expect_error("--ccl tests/apps/data/wrapping_mesh_ccl.yaml ccl plan wrapping_mesh",
               "kernbench: error: tests/apps/data/wrapping_mesh_ccl.yaml:6:11: "
               "algorithms.wrapping_mesh.mesh: expected rows x cols = world_size 4, found 4100 x "
               "1047553\n");
  expect_error("--ccl tests/apps/data/wide_shapes_ccl.yaml ccl plan whole_machine_mesh",
               "kernbench: error: tests/apps/data/wide_shapes_ccl.yaml:4:3: "
               "algorithms.whole_machine_mesh: mesh_2d needs rows x cols = 4100 x 1047553, found "
               "world size 128\n");
  const auto run = run_kernbench_limited(
      "validate tests/apps/data/wrapping_mesh_ccl.yaml tests/apps/data/wide_shapes_ccl.yaml");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out,
            "tests/apps/data/wrapping_mesh_ccl.yaml: 1 problem\n"
            "  tests/apps/data/wrapping_mesh_ccl.yaml:6:11: algorithms.wrapping_mesh.mesh: "
            "expected rows x cols = world_size 4, found 4100 x 1047553\n"
            "tests/apps/data/wide_shapes_ccl.yaml: 1 problem\n"
            "  tests/apps/data/wide_shapes_ccl.yaml:4:3: algorithms.whole_machine_mesh: mesh_2d "
            "needs rows x cols = 4100 x 1047553, found world size 128\n");
  EXPECT_EQ(run.err, "kernbench: error: 2 of 2 file(s) have problems\n");
}

TEST(CliErrors, CclRankCoordinateOutOfRange) {
  expect_error("--ccl tests/apps/data/far_rank_ccl.yaml ccl plan far_pair",
               "kernbench: error: tests/apps/data/far_rank_ccl.yaml:5:25: "
               "algorithms.far_pair.ranks[1][0]: expected a non-negative integer of at most "
               "1048576, found 4294967296\n");
}

// A repeated key is listed by validate with its position, as the topology loader does.
TEST(CliErrors, CclDuplicateKey) {
  const auto run = run_kernbench_limited("validate tests/apps/data/duplicate_key_ccl.yaml");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out,
            "tests/apps/data/duplicate_key_ccl.yaml: 1 problem\n"
            "  tests/apps/data/duplicate_key_ccl.yaml:6:5: algorithms.ring_8.world_size: duplicate "
            "key, first given at tests/apps/data/duplicate_key_ccl.yaml:5:5\n");
  EXPECT_EQ(run.err, "kernbench: error: 1 of 1 file(s) have problems\n");
}

// A chunk whose receive buffers cannot fit their memory is found by validate and by ccl bench
// before anything runs (the bench's first entry fits and still prints nothing).
TEST(CliErrors, CclChunkThatDoesNotFitItsBuffer) {
  const std::string file = "tests/apps/data/big_chunk_ccl.yaml";
  const std::string sram =
      file +
      ":8:3: algorithms.sram_chunk: receive buffers of 16 MiB per rank (chunk_size 1 MiB) do "
      "not fit in SRAM: out of memory: SRAM of cube (sip 0, cube 0): asked 16 MiB, free 0 B, "
      "largest free block 0 B\n";
  const std::string wrapping = file +
                               ":17:3: algorithms.wrapping_chunk: chunk_size 2048 PiB is larger "
                               "than a whole TCM (16 MiB)\n";
  const auto run = run_kernbench_limited("validate " + file);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, file + ": 3 problems\n  " + file +
                         ":4:3: algorithms.tcm_chunk: receive buffers of 64 MiB per rank "
                         "(chunk_size 4 MiB) do not fit in TCM: out of memory: TCM of PE (sip 0, "
                         "cube 0, pe 0): asked 64 MiB, free 12 MiB, largest free block 12 MiB\n  " +
                         sram + "  " + wrapping);
  EXPECT_EQ(run.err, "kernbench: error: 1 of 1 file(s) have problems\n");
  expect_error("--ccl " + file + " ccl bench --algo fits,sram_chunk -b 1K -e 1K",
               "kernbench: error: " + sram);
  expect_error("--ccl " + file + " ccl bench --algo wrapping_chunk -b 1K -e 1K",
               "kernbench: error: " + wrapping);
}

// ccl bench's size range: a sweep that would never end or never start is refused up front.
TEST(CliErrors, CclBenchSizeRange) {
  expect_error("ccl bench -b 0 -e 1K",
               "kernbench: error: -b 0: the smallest size must be at least 1 byte\n");
  expect_error("ccl bench -b 1M -e 1K",
               "kernbench: error: -e 1K: the largest size is below the smallest (-b 1M)\n");
  const std::string help = "Run with --help for more information.\n";
  expect_error("ccl bench -b 1K -e 1K -f 1",
               "kernbench: error: --stepfactor: expected a size factor from 2 to 1024, found "
               "\"1\"\n" +
                   help,
               2);
  expect_error("ccl bench -b 1K -e 1K -f -1",  // not 2^64 - 1
               "kernbench: error: --stepfactor: expected a size factor from 2 to 1024, found "
               "\"-1\"\n" +
                   help,
               2);
}

// An empty name where a name is expected is a usage error, not a silent "none".
TEST(CliErrors, EmptyNamesAreUsageErrors) {
  const std::string help = "Run with --help for more information.\n";
  expect_error("ccl bench --algo ring_tcm_8,,hbm_8 -b 1K -e 1K",
               "kernbench: error: --algo: expected ccl.yaml entry names separated by commas, "
               "found \"ring_tcm_8,,hbm_8\"\n" +
                   help,
               2);
  expect_error("ccl bench --algo hbm_8, -b 1K -e 1K",
               "kernbench: error: --algo: expected ccl.yaml entry names separated by commas, found "
               "\"hbm_8,\"\n" +
                   help,
               2);
  for (const char* option : {"--json", "--report", "--trace", "--ccl", "--topology"})
    expect_error(std::string(option) + " '' ccl bench -b 1K -e 1K",
                 "kernbench: error: " + std::string(option) +
                     ": expected a file name, found an empty value\n" + help,
                 2);
  expect_error("sweep vector_add --sweep sip.cube_mesh.link.latency=1ns --csv ''",
               "kernbench: error: --csv: expected a file name, found an empty value\n" + help, 2);
}

// -j says what it counts and its range in words, for a number out of range or no number at all
// (not a range up to the largest double, not "could not convert").
TEST(CliErrors, JobsOutOfRange) {
  const std::string help = "Run with --help for more information.\n";
  const std::string expected =
      "kernbench: error: --jobs: expected a number of threads from 0 to 1024 (0: one per "
      "hardware thread), found ";
  expect_error("run vector_add -j -3", expected + "\"-3\"\n" + help, 2);
  expect_error("run vector_add --jobs two", expected + "\"two\"\n" + help, 2);
  expect_error("run vector_add -j 99999999999999999999999",
               expected + "\"99999999999999999999999\"\n" + help, 2);
  expect_error("sweep vector_add --sweep sip.cube_mesh.link.latency=1ns -j 1.5",
               expected + "\"1.5\"\n" + help, 2);
}

// Output files in folders that do not exist fail before anything runs (nothing on stdout).
TEST(CliErrors, OutputFolderMissing) {
  expect_error("run vector_add --json /no/such/folder/run.json",
               "kernbench: error: --json /no/such/folder/run.json: no such folder "
               "'/no/such/folder'\n");
  expect_error("ccl bench -b 1K -e 1K --report /no/such/folder/ccl.html",
               "kernbench: error: --report /no/such/folder/ccl.html: no such folder "
               "'/no/such/folder'\n");
  expect_error("sweep vector_add --sweep sip.cube_mesh.link.latency=1ns --csv /no/such/s.csv",
               "kernbench: error: --csv /no/such/s.csv: no such folder '/no/such'\n");
}

// A sweep value that makes the machine inconsistent is named by its --sweep item, with where the
// value it disagrees with was given.
TEST(CliErrors, SweepPointMakesAnInconsistentMachine) {
  expect_error("sweep vector_add --sweep sip.cube_mesh.w=1,4",
               "kernbench: error: --sweep sip.cube_mesh.w=1: system.sips.cubes_per_sip: expected "
               "sip.cube_mesh.w * h = 1 * 4 = 4, found 16, given at <embedded "
               "configs/ahbm_default.yaml>:13:20\n");
}

}  // namespace

namespace {

// --set ccl.*: errors as topology --set gives them, at the --set (or --sweep); run and sweep
// refuse a valid setting their benches do not read rather than ignore it.
TEST(CliErrors, CclSettings) {
  using kernbench::tests::expect_error;
  expect_error("--set ccl.ring_tcm_8.chunk_sise=16K ccl plan ring_tcm_8",
               "kernbench: error: --set ccl.ring_tcm_8.chunk_sise=16K: ccl.ring_tcm_8.chunk_sise: "
               "unknown key, did you mean ccl.ring_tcm_8.chunk_size?\n");
  expect_error("--set ccl.ring_tcm8.buffer=hbm list algorithms",
               "kernbench: error: --set ccl.ring_tcm8.buffer=hbm: ccl.ring_tcm8: unknown ccl entry "
               "'ring_tcm8' (did you mean 'ring_tcm_8'?); known: ring_default_ws, ring_tcm_8, "
               "hbm_8, sram_8, multi_cube, mesh_2x2, tree_binary_7, halving_doubling_8\n");
  expect_error("--set ccl.defaults.buffer=dram ccl bench",
               "kernbench: error: --set ccl.defaults.buffer=dram: ccl.defaults.buffer: expected "
               "one of tcm | sram | hbm, found \"dram\"\n");
  expect_error(
      "--set ccl.ring_tcm_8.chunk_size=4K run all_reduce",
      "kernbench: error: --set ccl.ring_tcm_8.chunk_size=4K: kernbench run runs benches, which "
      "read only the buffer and chunk_size of ccl.ring_default_ws (the all_reduce bench's ring "
      "takes them; unset there, ccl.defaults'); other ccl.yaml keys apply to kernbench ccl bench "
      "--algo ring_tcm_8\n");
  expect_error("sweep all_reduce --sweep ccl.ring_tcm_8.chunk_size=4K,16K",
               "kernbench: error: --sweep ccl.ring_tcm_8.chunk_size=4K: kernbench sweep runs "
               "benches, which read only the buffer and chunk_size of ccl.ring_default_ws (the "
               "all_reduce bench's ring takes them; unset there, ccl.defaults'); other ccl.yaml "
               "keys apply to kernbench ccl bench --algo ring_tcm_8\n");
  expect_error("--set ccl.ring_default_ws.world_size=8 run all_reduce",
               "kernbench: error: --set ccl.ring_default_ws.world_size=8: kernbench run runs "
               "benches, which read only the buffer and chunk_size of ccl.ring_default_ws (the "
               "all_reduce bench's ring takes them; unset there, ccl.defaults'); other ccl.yaml "
               "keys apply to kernbench ccl bench --algo ring_default_ws\n");
  expect_error("--set ccl.defaults.mapping=cube_major run all_reduce",
               "kernbench: error: --set ccl.defaults.mapping=cube_major: kernbench run runs "
               "benches, which read only the buffer and chunk_size of ccl.ring_default_ws (the "
               "all_reduce bench's ring takes them; unset there, ccl.defaults'); other ccl.yaml "
               "keys apply to kernbench ccl bench --algo ENTRY\n");
  // An entry's setting in run and sweep is checked as the loader checks it, at its option.
  expect_error("--set ccl.ring_defualt_ws.chunk_size=16K run all_reduce",
               "kernbench: error: --set ccl.ring_defualt_ws.chunk_size=16K: ccl.ring_defualt_ws: "
               "unknown ccl entry 'ring_defualt_ws' (did you mean 'ring_default_ws'?); known: "
               "ring_default_ws, ring_tcm_8, hbm_8, sram_8, multi_cube, mesh_2x2, tree_binary_7, "
               "halving_doubling_8\n");
  expect_error("sweep all_reduce --sweep ccl.ring_default_ws.chunk_sise=4K,16K",
               "kernbench: error: --sweep ccl.ring_default_ws.chunk_sise=4K: "
               "ccl.ring_default_ws.chunk_sise: unknown key, did you mean "
               "ccl.ring_default_ws.chunk_size?\n");
  expect_error("sweep all_reduce --sweep ccl.ring_default_ws.chunk_size=16K,16Q",
               "kernbench: error: --sweep ccl.ring_default_ws.chunk_size=16Q: "
               "ccl.ring_default_ws.chunk_size: expected a size such as \"16K\" or \"16 KiB\" "
               "(B, K or KiB, M or MiB, G or GiB, T or TiB) or plain bytes, found \"16Q\"\n");
  expect_error("sweep all_reduce --sweep ccl.defaults.buffer=hbm,dram",
               "kernbench: error: --sweep ccl.defaults.buffer=dram: ccl.defaults.buffer: expected "
               "one of tcm | sram | hbm, found \"dram\"\n");
  // ccl bench --sweep: ccl.yaml keys only, each value checked at its --sweep.
  expect_error("ccl bench --algo hbm_8 --sweep ccl.hbm_8.chunk_size=4K,4Q",
               "kernbench: error: --sweep ccl.hbm_8.chunk_size=4Q: ccl.hbm_8.chunk_size: expected "
               "a size such as \"16K\" or \"16 KiB\" (B, K or KiB, M or MiB, G or GiB, T or TiB) "
               "or plain bytes, found \"4Q\"\n");
  expect_error("ccl bench --sweep sip.cube_mesh.w=1,2",
               "kernbench: error: --sweep sip.cube_mesh.w=1,2: ccl bench sweeps ccl.yaml keys "
               "(ccl.ENTRY.KEY, ccl.defaults.KEY); a machine's key is kernbench sweep's\n");
  const auto run = kernbench::tests::run_kernbench_limited(
      "--set ccl.ring_tcm_8.chunk_size=0 --set ccl.hbm_8.fanout=2 validate");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out,
            "<embedded configs/ahbm_default.yaml>: 2 problems\n"
            "  --set ccl.ring_tcm_8.chunk_size=0: ccl.ring_tcm_8.chunk_size: expected a positive "
            "size, found 0\n"
            "  --set ccl.hbm_8.fanout=2: ccl.hbm_8.fanout: applies only to kind tree\n");
}

}  // namespace
