// `kernbench ccl plan` and `ccl bench`: the plan of a default entry as a golden file, its errors,
// --ccl FILE and --set ccl.* (also through load_ccl_config directly). Regenerate
// after an intended change with  KERNBENCH_UPDATE_GOLDEN=1 ctest -R CclCommandGolden
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "command_runner.h"
#include "support/golden_file.h"
#include "support/run_kernbench.h"

#include "kernbench/base/error.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/ccl_config.h"

namespace {

using kernbench::tests::run_kernbench;

TEST(CclCommandGolden, TreeOfSevenOnTheDefaultMachine) {
  const auto run = run_kernbench("ccl plan tree_binary_7");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  kernbench::tests::expect_matches_golden(run.output,
                                          "tests/apps/golden/ccl_plan_tree_binary_7.txt");
}

TEST(CclCommandErrors, UnknownEntryAndWorldThatDoesNotFit) {
  auto run = run_kernbench("ccl plan ring_tmc_8");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("kernbench: error: unknown ccl algorithm 'ring_tmc_8' (did you mean "
                            "'ring_tcm_8'?)"),
            std::string::npos)
      << run.output;
  run = run_kernbench("ccl plan ring_tcm_8 --set cube.pe_layout.pe_per_corner=1");
  EXPECT_EQ(run.exit_code, 0) << run.output;  // 4 PEs per cube, 64 in all: 8 still fit
  run = run_kernbench(
      "ccl plan ring_tcm_8 --set sip.cube_mesh.w=1 --set sip.cube_mesh.h=1 "
      "--set system.sips.cubes_per_sip=1 --set cube.pe_layout.pe_per_corner=1");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("algorithms.ring_tcm_8: world size 8 does not fit this machine: it has "
                            "4 PEs (1 SIP(s) x 1 cubes x 4 PEs)"),
            std::string::npos)
      << run.output;
  EXPECT_EQ(run_kernbench("ccl plan").exit_code, 2);  // usage error: NAME is required
}

TEST(CclCommandGolden, BenchTimingOnlySweep) {
  const auto run = run_kernbench("ccl bench --op all_reduce --algo ring_tcm_8 -b 1K -e 64K -f 8");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  kernbench::tests::expect_matches_golden(run.output, "tests/apps/golden/ccl_bench_ring_tcm_8.txt");
}

TEST(CclCommand, BenchCheckCountsNothingWrong) {
  const auto run = run_kernbench(
      "ccl bench --op all_gather --algo hbm_8 -b 64 -e 64K -f 32 --check --dtype i16");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output.find("N/A"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("i16    sum"), std::string::npos) << run.output;
}

TEST(CclCommand, BenchRunsEveryKindAndOp) {
  for (const char* cmd :
       {"ccl bench --op broadcast --algo tree_binary_7 -b 1K -e 4K -f 4 --check --root 6",
        "ccl bench --op all_reduce --algo halving_doubling_8 -b 1K -e 4K -f 4 --check",
        "ccl bench --op all_to_all --algo mesh_2x2 -b 1K -e 4K -f 4 --check",
        "ccl bench --op reduce_scatter --algo multi_cube -b 4K -e 4K --check"}) {
    const auto run = run_kernbench(cmd);
    ASSERT_EQ(run.exit_code, 0) << cmd << "\n" << run.output;
    EXPECT_EQ(run.output.find("N/A"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("      0\n"), std::string::npos) << run.output;  // #wrong
  }
}

TEST(CclCommandErrors, BenchRejectsWhatItCannotRun) {
  EXPECT_NE(run_kernbench("ccl bench --op gather").output.find("--op: unknown collective op"),
            std::string::npos);
  EXPECT_NE(run_kernbench("ccl bench --op broadcast --algo tree_binary_7 --root 7")
                .output.find("--root 7: expected a rank of tree_binary_7 (0 .. 6)"),
            std::string::npos);
  EXPECT_EQ(run_kernbench("ccl bench -e 12X").exit_code, 1);
  EXPECT_EQ(run_kernbench("ccl bench --dtype f128").exit_code, 2);  // a usage error
}

// Several entries in one sweep: one table each on stdout, one collective sweep each in --json and
// one busbw curve each in the --report chart.
TEST(CclCommand, BenchOfSeveralEntriesWritesJsonAndReport) {
  using kernbench::tests::read_file;
  const auto dir = kernbench::tests::scratch_dir("ccl-bench-outputs");
  const std::string json = (dir / "ccl.json").string(), html = (dir / "ccl.html").string();
  const auto run = kernbench::tests::run_kernbench_split(
      "ccl bench --algo ring_tcm_8,halving_doubling_8 -b 1K -e 16K -f 4 --json '" + json +
      "' --report '" + html + "'");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("all_reduce with ring_tcm_8"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("all_reduce with halving_doubling_8"), std::string::npos) << run.out;
  const auto sweeps = nlohmann::json::parse(read_file(json)).at("collective_sweeps");
  ASSERT_EQ(sweeps.size(), 2u);
  EXPECT_EQ(sweeps[1].at("algorithm"), "halving_doubling_8");
  EXPECT_EQ(sweeps[0].at("rows").size(), 3u);  // 1K, 4K, 16K
  const std::string page = read_file(html);
  const auto chart = page.find("data-chart=\"busbw\"");
  ASSERT_NE(chart, std::string::npos);
  const auto chart_end = page.find("</svg>", chart);
  int series = 0;
  for (auto at = page.find("data-series=", chart); at < chart_end;
       at = page.find("data-series=", at + 1))
    ++series;
  EXPECT_EQ(series, 2);
  // The ranks' PEs worked (issue 17: this said "No PE activity was recorded"): their DMA
  // engines, vector units and IPCQ are drawn in the timeline.
  EXPECT_EQ(page.find("No PE activity"), std::string::npos);
  const auto timeline = page.find("<svg data-chart=\"timeline\"");
  ASSERT_NE(timeline, std::string::npos);
  const std::string drawn = page.substr(timeline, page.find("</svg>", timeline) - timeline);
  for (const char* unit : {"dma", "vector", "ipcq"})
    EXPECT_NE(drawn.find(std::string("data-series=\"") + unit + "\""), std::string::npos) << unit;
}

// --trace: every size of every entry on one timeline, one after another, with the links' and
// memories' busy spans inside them.
TEST(CclCommand, BenchTraceHoldsEverySizeOneAfterAnother) {
  using kernbench::tests::read_file;
  const auto dir = kernbench::tests::scratch_dir("ccl-bench-trace");
  const std::string trace = (dir / "trace.json").string();
  const auto run = kernbench::tests::run_kernbench_split(
      "ccl bench --algo ring_tcm_8,halving_doubling_8 -b 1K -e 16K -f 4 --quiet --trace '" + trace +
      "'");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto events = nlohmann::json::parse(read_file(trace)).at("traceEvents");
  std::vector<std::pair<double, double>> sizes;  // (start, end) in us of each size's span
  int busy = 0;
  for (const auto& e : events) {
    if (e.at("ph") != "X") continue;
    const std::string name = e.at("name");
    if (name.rfind("all_reduce ", 0) == 0)
      sizes.emplace_back(e.at("ts").get<double>(),
                         e.at("ts").get<double>() + e.at("dur").get<double>());
    busy += name == "busy" ? 1 : 0;
  }
  ASSERT_EQ(sizes.size(), 6u);  // 1K, 4K, 16K for each entry
  std::sort(sizes.begin(), sizes.end());
  // ts and dur are printed in microseconds to the picosecond; their sum in doubles may land a
  // rounding error past the next start.
  for (std::size_t i = 1; i < sizes.size(); ++i)
    EXPECT_GE(sizes[i].first + 1e-6, sizes[i - 1].second);
  EXPECT_GT(busy, 6);
}

}  // namespace

namespace {

// One size syntax on the command line: -b/-e as "16K", "16 KiB", "16KiB" or plain bytes give the
// same table; a ccl.yaml chunk_size written "16K" is read by the same parser.
TEST(CclCommand, SizesReadTheSameInEverySyntax) {
  const auto table = [](const std::string& b, const std::string& e) {
    const auto run = kernbench::tests::run_kernbench_split(
        "--quiet ccl bench --algo ring_tcm_8 -b '" + b + "' -e '" + e + "'");
    EXPECT_EQ(run.exit_code, 0) << b << " " << e << "\n" << run.err;
    return run.out;
  };
  const std::string expected = table("16384", "32768");
  EXPECT_NE(expected.find("\n         16384 "), std::string::npos) << expected;
  EXPECT_NE(expected.find("\n         32768 "), std::string::npos) << expected;
  EXPECT_EQ(table("16K", "32K"), expected);
  EXPECT_EQ(table("16 KiB", "32KiB"), expected);
  const auto dir = kernbench::tests::scratch_dir("ccl_sizes");
  std::ofstream(dir / "ccl.yaml") << "algorithms:\n  ring_16k:\n    kind: ring\n"
                                     "    world_size: 8\n    chunk_size: 16K\n";
  const auto listed = kernbench::tests::run_kernbench_split(
      "--ccl '" + (dir / "ccl.yaml").string() + "' list algorithms ring_16k");
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("ring_16k  ring, world size 8,"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find(", chunk 16 KiB\n"), std::string::npos) << listed.out;
}

}  // namespace

namespace {

// --ccl FILE adds to the built-in entries: one of the same name replaces it, and stderr says so.
TEST(CclCommand, AFileAddsToTheBuiltInEntries) {
  const auto run =
      kernbench::tests::run_kernbench_split("--ccl tests/apps/data/two_rings.yaml list algorithms");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err,
            "kernbench: tests/apps/data/two_rings.yaml:3:3: entry ring_tcm_8 replaces the built-in "
            "entry of that name\n");
  EXPECT_NE(run.out.find("Collective algorithms of <embedded configs/ccl.yaml> + "
                         "tests/apps/data/two_rings.yaml (9)\n"),
            std::string::npos)
      << run.out;
  for (const char* line : {"\n  tree_binary_7       tree, world size 7",
                           "\n  ring_hbm_8          ring, world size 8, buffer HBM"})
    EXPECT_NE(run.out.find(line), std::string::npos) << line << "\n" << run.out;
}

// --set ccl.ENTRY.KEY and ccl.defaults.KEY reach what ccl bench runs: the table's title says the
// chunk and buffer, and a smaller chunk changes the time.
TEST(CclCommand, SetChangesAnEntryForTheBench) {
  const auto bench = [](const std::string& sets) {
    const auto run = kernbench::tests::run_kernbench_split(
        "--quiet " + sets + " ccl bench --algo ring_tcm_8,ring_default_ws -b 1M -e 1M");
    EXPECT_EQ(run.exit_code, 0) << sets << "\n" << run.err;
    return run.out;
  };
  const std::string plain = bench("");
  const std::string set = bench("--set ccl.ring_tcm_8.chunk_size=4K --set ccl.defaults.buffer=hbm");
  EXPECT_NE(plain.find("ring_tcm_8 (8 ranks, buffer TCM, chunk 64 KiB"), std::string::npos)
      << plain;
  EXPECT_NE(set.find("ring_tcm_8 (8 ranks, buffer TCM, chunk 4 KiB"), std::string::npos) << set;
  EXPECT_NE(set.find("ring_default_ws (128 ranks, buffer HBM, chunk 64 KiB"), std::string::npos)
      << set;
  const auto first_row = [](const std::string& out) {
    const auto at = out.find("\n       1048576 ");
    return at == std::string::npos ? std::string() : out.substr(at, 90);
  };
  EXPECT_NE(first_row(plain), first_row(set));
}

// --sweep KEY=v1,v2 over ccl.yaml keys: a table per point and entry, named by the point's values
// (in the text and the JSON), each point's value in force (chunk and time), the others unchanged.
TEST(CclCommand, SweepGivesATablePerPointAndEntry) {
  const auto json_file = kernbench::tests::scratch_dir("ccl-bench-sweep") / "s.json";
  const auto run = kernbench::tests::run_kernbench_split(
      "--quiet --timing-only --json '" + json_file.string() +
      "' ccl bench --algo hbm_8,ring_tcm_8 -b 1M -e 1M --sweep ccl.hbm_8.chunk_size=4K,64K");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto json = nlohmann::json::parse(kernbench::tests::read_file(json_file));
  const auto& sweeps = json.at("collective_sweeps");
  ASSERT_EQ(sweeps.size(), 4u);
  std::vector<std::string> names;
  for (const auto& s : sweeps) names.push_back(s.at("algorithm").get<std::string>());
  EXPECT_EQ(names,
            (std::vector<std::string>{
                "hbm_8 (ccl.hbm_8.chunk_size=4K)", "ring_tcm_8 (ccl.hbm_8.chunk_size=4K)",
                "hbm_8 (ccl.hbm_8.chunk_size=64K)", "ring_tcm_8 (ccl.hbm_8.chunk_size=64K)"}));
  EXPECT_NE(run.out.find("# all_reduce with hbm_8 (ccl.hbm_8.chunk_size=4K) (8 ranks, buffer "
                         "HBM, chunk 4 KiB), timing only\n"),
            std::string::npos)
      << run.out;
  const auto time = [&](std::size_t i) { return sweeps.at(i).at("rows").at(0).at("time_ps"); };
  EXPECT_NE(time(0), time(2));
  EXPECT_EQ(time(1), time(3));
}

}  // namespace

// load_ccl_config, called directly: a --ccl file's entries added to the embedded ones, and
// --set ccl.* settings read and checked as a file's values, each problem at its --set.
namespace kernbench::ccl {
namespace {

using namespace base::literals;

const AlgorithmRegistry& registry() {
  static const AlgorithmRegistry r = default_algorithm_registry();
  return r;
}

std::string write_file(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "kernbench_ccl_settings_test";
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

// Every problem, one per line.
std::string problems_of(const CclInputs& inputs) {
  try {
    load_ccl_config(inputs, registry());
  } catch (const base::ConfigError& e) {
    std::string out;
    for (const std::string& p : e.problems()) out += p + "\n";
    return out;
  }
  return "no error";
}

TEST(CclSettings, NoneGiveTheEmbeddedFile) {
  const CclConfig c = load_ccl_config({}, registry());
  const CclConfig embedded = default_ccl_config(registry());
  EXPECT_EQ(c.source, embedded.source);
  EXPECT_EQ(c.names(), embedded.names());
  EXPECT_TRUE(c.notes.empty());
}

TEST(CclSettings, AFileAddsEntriesAndReplacesOnesOfTheSameName) {
  const std::string file = write_file("added.yaml",
                                      "defaults:\n  buffer: sram\n"
                                      "algorithms:\n"
                                      "  ring_tcm_8:\n    kind: ring\n    world_size: 4\n"
                                      "  tree4:\n    kind: tree\n    world_size: 4\n");
  const CclConfig c = load_ccl_config({file, {}}, registry());
  std::vector<std::string> names = default_ccl_config(registry()).names();
  names.push_back("tree4");  // replaced entries keep their place, new ones follow
  EXPECT_EQ(c.names(), names);
  EXPECT_EQ(c.source, "<embedded configs/ccl.yaml> + " + file);
  EXPECT_EQ(c.find("ring_tcm_8").world_size, 4);
  EXPECT_EQ(c.find("ring_tcm_8").buffer, mem::MemoryKind::sram);  // the file's defaults
  EXPECT_EQ(c.find("hbm_8").buffer, mem::MemoryKind::hbm);
  EXPECT_EQ(c.find("sram_8").buffer, mem::MemoryKind::sram);
  EXPECT_EQ(c.find("ring_default_ws").buffer, mem::MemoryKind::tcm);  // the embedded defaults
  ASSERT_EQ(c.notes.size(), 1u);
  EXPECT_EQ(c.notes[0], file + ":4:3: entry ring_tcm_8 replaces the built-in entry of that name");
}

TEST(CclSettings, SettingsChangeAnEntryOrTheDefaults) {
  const CclConfig c = load_ccl_config(
      {"",
       {"ccl.ring_tcm_8.chunk_size=16K", "ccl.defaults.buffer=hbm", "ccl.tree_binary_7.fanout=3",
        "ccl.mesh_2x2.mesh.rows=1", "ccl.mesh_2x2.mesh.cols=4"}},
      registry());
  EXPECT_EQ(c.find("ring_tcm_8").chunk_size, 16_KiB);
  EXPECT_EQ(c.find("ring_tcm_8").buffer, mem::MemoryKind::tcm);  // its own key beats defaults
  EXPECT_EQ(c.find("hbm_8").chunk_size, 64_KiB);
  EXPECT_EQ(c.find("ring_default_ws").buffer, mem::MemoryKind::hbm);
  EXPECT_EQ(c.find("tree_binary_7").fanout, 3);
  EXPECT_EQ(c.find("mesh_2x2").mesh_rows, 1);
  EXPECT_EQ(c.find("mesh_2x2").mesh_cols, 4);
  // The defaults themselves, as a bench's own ring reads them (CclConfig::defaults).
  EXPECT_EQ(c.defaults.buffer, mem::MemoryKind::hbm);
  EXPECT_EQ(c.defaults.chunk_size, 64_KiB);
  EXPECT_EQ(default_ccl_config(registry()).defaults.buffer, mem::MemoryKind::tcm);
  // The last of two settings of one key wins; a setting reaches a file's entry too.
  const std::string file =
      write_file("one.yaml", "algorithms:\n  mine:\n    kind: ring\n    world_size: 2\n");
  const CclConfig d = load_ccl_config(
      {file,
       {"ccl.mine.chunk_size=1K", "ccl.mine.chunk_size=2 KiB", "ccl.defaults.mapping=cube_major"}},
      registry());
  EXPECT_EQ(d.find("mine").chunk_size, 2_KiB);
  EXPECT_EQ(d.find("mine").mapping, RankMapping::cube_major);
  EXPECT_EQ(d.find("ring_tcm_8").mapping, RankMapping::cube_major);
}

TEST(CclSettingsErrors, EachProblemPointsAtItsSet) {
  EXPECT_EQ(problems_of({"", {"ccl.ring_tcm_8.chunk_sise=16K"}}),
            "--set ccl.ring_tcm_8.chunk_sise=16K: ccl.ring_tcm_8.chunk_sise: unknown key, did you "
            "mean ccl.ring_tcm_8.chunk_size?\n");
  EXPECT_EQ(problems_of({"", {"ccl.ring_tcm8.chunk_size=16K"}}),
            "--set ccl.ring_tcm8.chunk_size=16K: ccl.ring_tcm8: unknown ccl entry 'ring_tcm8' (did "
            "you mean 'ring_tcm_8'?); known: ring_default_ws, ring_tcm_8, hbm_8, sram_8, "
            "multi_cube, mesh_2x2, tree_binary_7, halving_doubling_8\n");
  EXPECT_EQ(problems_of({"", {"ccl.defaults.world_size=3", "ccl.defaults.buffer=dram"}}),
            "--set ccl.defaults.world_size=3: ccl.defaults.world_size: unknown key, valid keys "
            "under ccl.defaults: buffer, chunk_size, mapping\n"
            "--set ccl.defaults.buffer=dram: ccl.defaults.buffer: expected one of tcm | sram | "
            "hbm, found \"dram\"\n");
  EXPECT_EQ(problems_of({"", {"ccl.ring_tcm_8=1", "ccl.x.=1", "ccl.ring_tcm_8.chunk_size"}}),
            "--set ccl.ring_tcm_8=1: expected ccl.ENTRY.KEY=value or ccl.defaults.KEY=value\n"
            "--set ccl.x.=1: expected ccl.ENTRY.KEY=value or ccl.defaults.KEY=value\n"
            "--set ccl.ring_tcm_8.chunk_size: expected ccl.ENTRY.KEY=value or "
            "ccl.defaults.KEY=value\n");
  EXPECT_EQ(problems_of({"",
                         {"ccl.ring_tcm_8.chunk_size=0", "ccl.ring_tcm_8.fanout=3",
                          "ccl.mesh_2x2.mesh.rowz=2", "ccl.mesh_2x2.mesh.rows=3"}}),
            "--set ccl.ring_tcm_8.chunk_size=0: ccl.ring_tcm_8.chunk_size: expected a positive "
            "size, found 0\n"
            "--set ccl.ring_tcm_8.fanout=3: ccl.ring_tcm_8.fanout: applies only to kind tree\n"
            "--set ccl.mesh_2x2.mesh.rowz=2: ccl.mesh_2x2.mesh.rowz: unknown key, did you mean "
            "ccl.mesh_2x2.mesh.rows?\n"
            "--set ccl.mesh_2x2.mesh.rows=3: ccl.mesh_2x2.mesh: expected rows x cols = world_size "
            "4, found 3 x 2\n");
}

// A defaults setting reaches both files, and its problem is said once.
TEST(CclSettingsErrors, ADefaultsProblemIsSaidOnceWithAFile) {
  const std::string file =
      write_file("two.yaml", "algorithms:\n  mine:\n    kind: ring\n    world_size: 2\n");
  EXPECT_EQ(problems_of({file, {"ccl.defaults.chunk_size=-1K"}}),
            "--set ccl.defaults.chunk_size=-1K: ccl.defaults.chunk_size: expected a size such as "
            "\"16K\" or \"16 KiB\" (B, K or KiB, M or MiB, G or GiB, T or TiB) or plain bytes, "
            "found \"-1K\"\n");
}

}  // namespace
}  // namespace kernbench::ccl
