// `kernbench run`: the default suite's report and JSON as golden files, determinism, what goes to
// stdout and stderr, the outputs of --trace / --json / --report, and timing-only runs.
// Regenerate the golden files after an intended change with
//   KERNBENCH_UPDATE_GOLDEN=1 ctest --test-dir build -L golden
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "command_runner.h"
#include "support/golden_file.h"

namespace {

using kernbench::tests::read_file;
using kernbench::tests::run_kernbench_split;
using kernbench::tests::scratch_dir;

// `text` with every occurrence of `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size())
    text.replace(at, from.size(), to);
  return text;
}

// The default suite: its report text and its JSON (with the scratch path made neutral, so the
// file is the same in every checkout).
TEST(RunCommandGolden, DefaultSuiteReportAndJson) {
  const auto dir = scratch_dir("run-golden");
  const std::string json = (dir / "run.json").string();
  const auto run = run_kernbench_split("run --quiet --json '" + json + "'");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");  // --quiet: no wall clock
  kernbench::tests::expect_matches_golden(run.out, "tests/apps/golden/run_default.txt");
  kernbench::tests::expect_matches_golden(replaced(read_file(json), json, "<scratch>/run.json"),
                                          "tests/apps/golden/run_default.json");
}

TEST(RunCommand, StdoutIsByteIdenticalRunToRunAndWallClockGoesToStderr) {
  const auto first = run_kernbench_split("run softmax all_reduce");
  const auto second = run_kernbench_split("run softmax all_reduce");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, second.out);
  EXPECT_EQ(first.out.find(" s wall"), std::string::npos);
  EXPECT_NE(first.err.find("kernbench: softmax took "), std::string::npos) << first.err;
  EXPECT_NE(first.err.find("kernbench: 2 benches in "), std::string::npos) << first.err;
  EXPECT_NE(first.out.find("# legend:"), std::string::npos);
  EXPECT_EQ(first.out.find("vector_add"), std::string::npos);  // only the named benches
}

// Benches run in parallel (-j) are placed on the run's timeline afterwards: the same report and
// JSON as one at a time, and as a run with a trace (which goes one at a time).
TEST(RunCommand, ParallelSequentialAndTracedRunsGiveTheSameResults) {
  const auto dir = scratch_dir("run-parallel");
  const auto benches_of = [&](const std::string& name, const std::string& extra) {
    const std::string json = (dir / name).string();
    const auto run =
        run_kernbench_split("run deploy softmax all_reduce --quiet --json '" + json + "' " + extra);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return std::pair{run.out, nlohmann::json::parse(read_file(json)).at("benches")};
  };
  const auto one = benches_of("1.json", "-j 1");
  const auto two = benches_of("2.json", "-j 2");
  const auto traced = benches_of("t.json", "--trace '" + (dir / "trace.json").string() + "'");
  EXPECT_EQ(one.first, two.first);
  EXPECT_EQ(one.second, two.second);
  EXPECT_EQ(one.second, traced.second);
  EXPECT_GT(one.second.at(2).at("phases").at(0).at("start_ps").get<std::int64_t>(), 0);
}

TEST(RunCommand, WritesTheTraceJsonAndHtmlReportOfTheRun) {
  const auto dir = scratch_dir("run-outputs");
  const std::string trace = (dir / "trace.json").string();
  const std::string json = (dir / "run.json").string();
  const std::string html = (dir / "report.html").string();
  const auto run = run_kernbench_split(
      "run softmax --quiet --set 'sip.cube_mesh.link.bandwidth=512 GB/s' --trace '" + trace +
      "' --trace-filter 'cube=1,pe=0' --json '" + json + "' --report '" + html + "'");
  ASSERT_EQ(run.exit_code, 0) << run.err;

  const auto events = nlohmann::json::parse(read_file(trace)).at("traceEvents");
  ASSERT_GT(events.size(), 10u);
  for (const auto& e : events) {
    if (e.at("ph") != "M" || e.at("name") != "thread_name") continue;
    const std::string thread = e.at("args").at("name");
    EXPECT_EQ(thread.find("pe1/"), std::string::npos) << thread;  // --trace-filter pe=0
  }
  for (const auto& e : events) {
    if (e.at("ph") == "M" && e.at("name") == "process_name") {
      EXPECT_EQ(std::string(e.at("args").at("name")).find("cube0"), std::string::npos);
    }
  }

  const auto record = nlohmann::json::parse(read_file(json));
  EXPECT_EQ(record.at("version"), "kernbench 0.1.0");
  EXPECT_EQ(record.at("config").at("sip.cube_mesh.link.bandwidth"), "512 GB/s");
  EXPECT_EQ(record.at("command_line").at(5), "sip.cube_mesh.link.bandwidth=512 GB/s");
  ASSERT_EQ(record.at("benches").size(), 1u);
  EXPECT_EQ(record.at("benches").at(0).at("name"), "softmax");

  const std::string page = read_file(html);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("<svg"), std::string::npos);
}

// --trace-join-gap joins a track's busy spans closer than TIME (links' and memories' busy runs
// too): fewer spans, none of them shorter than before, the same report; a bad TIME is named.
TEST(RunCommand, TraceJoinGapJoinsCloseBusySpans) {
  const auto dir = scratch_dir("run-join-gap");
  const auto busy_spans = [&](const std::string& name, const std::string& gap) {
    const std::string trace = (dir / name).string();
    const auto run = run_kernbench_split(
        "--topology configs/ahbm_small.yaml --timing-only --quiet run all_reduce --trace '" +
        trace + "'" + gap);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    std::vector<std::int64_t> durations_ps;
    const auto events = nlohmann::json::parse(read_file(trace));
    for (const auto& e : events.at("traceEvents"))
      if (e.at("ph") == "X" && e.at("name") == "busy")
        durations_ps.push_back(std::llround(e.at("dur").get<double>() * 1e6));
    return std::make_pair(durations_ps, run.out);
  };
  const auto [every, report] = busy_spans("every.json", "");
  const auto [joined, joined_report] = busy_spans("joined.json", " --trace-join-gap '1 us'");
  EXPECT_EQ(report, joined_report);
  ASSERT_FALSE(joined.empty());
  EXPECT_LT(joined.size(), every.size());
  EXPECT_GE(*std::max_element(joined.begin(), joined.end()),
            *std::max_element(every.begin(), every.end()));
  const auto not_written = scratch_dir("run-join-gap") / "x.json";
  const auto bad =
      run_kernbench_split("--trace-join-gap 3 run vector_add --trace " + not_written.string());
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(bad.err.starts_with("kernbench: error: --trace-join-gap 3: expected a time"))
      << bad.err;
  EXPECT_FALSE(std::filesystem::exists(not_written));  // a refused option leaves no trace file
}

TEST(RunCommand, TimingOnlyMeasuresTheSameTimeAndChecksNothing) {
  const auto checked = run_kernbench_split("run layernorm --quiet --json /dev/stdout");
  const auto timing = run_kernbench_split("run layernorm --quiet --timing-only --json /dev/stdout");
  ASSERT_EQ(timing.exit_code, 0) << timing.err;
  EXPECT_NE(timing.out.find("not checked (timing only)"), std::string::npos) << timing.out;
  const auto time_of = [](const std::string& out) {
    const auto json = nlohmann::json::parse(out.substr(out.find("{\n")));
    return json.at("benches").at(0).at("time_ps").get<std::int64_t>();
  };
  EXPECT_EQ(time_of(timing.out), time_of(checked.out));
}

TEST(RunCommand, UsesTheMachineOfTheGlobalOptions) {
  const auto run = run_kernbench_split(
      "--set sip.cube_mesh.w=1 --set sip.cube_mesh.h=1 --set system.sips.cubes_per_sip=1 run "
      "softmax --quiet");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // The bench's row: its name, then its PEs.
  std::istringstream row(run.out.substr(run.out.find("\nsoftmax ") + 1));
  std::string name, pes;
  row >> name >> pes;
  EXPECT_EQ(pes, "8") << run.out;
  EXPECT_NE(run.out.find("shape: 128x1000 f32"), std::string::npos) << run.out;
}

// The all_reduce bench's ring takes the buffer and chunk size of ccl.yaml's ring_default_ws
// entry: --set ccl.ring_default_ws.KEY, ccl.defaults.KEY where the entry sets none (the entry's
// own value wins), and a --ccl file's entry of that name, which the run says replaces it.
TEST(RunCommand, TheAllReduceBenchTakesTheBufferAndChunkSizeOfRingDefaultWs) {
  const auto dir = scratch_dir("run-ccl-entry");
  const std::string file = (dir / "ring.yaml").string();
  std::ofstream(file) << "algorithms:\n  ring_default_ws:\n    kind: ring\n    chunk_size: 8K\n";
  const auto run = [](const std::string& options) {
    return run_kernbench_split("--topology configs/ahbm_small.yaml --quiet --timing-only " +
                               options + " run all_reduce --param count=65536 --json /dev/stdout");
  };
  const auto shape_and_time = [](const kernbench::tests::SplitRun& r) {
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto bench = nlohmann::json::parse(r.out.substr(r.out.find("{\n"))).at("benches").at(0);
    return std::pair(bench.at("shape").get<std::string>(), bench.at("time_ps").get<std::int64_t>());
  };
  const auto plain = shape_and_time(run(""));
  const auto entry = shape_and_time(run("--set ccl.ring_default_ws.chunk_size=16K"));
  const auto both = shape_and_time(
      run("--set ccl.ring_default_ws.chunk_size=16K --set ccl.defaults.chunk_size=4K"));
  const auto defaults = shape_and_time(run("--set ccl.defaults.buffer=hbm"));
  const auto replaced_run = run("--ccl '" + file + "'");
  const auto replaced = shape_and_time(replaced_run);
  EXPECT_TRUE(plain.first.ends_with("ring into TCM in 64 KiB chunks")) << plain.first;
  EXPECT_TRUE(entry.first.ends_with("ring into TCM in 16 KiB chunks")) << entry.first;
  EXPECT_EQ(both, entry);
  EXPECT_TRUE(defaults.first.ends_with("ring into HBM in 64 KiB chunks")) << defaults.first;
  EXPECT_TRUE(replaced.first.ends_with("ring into TCM in 8 KiB chunks")) << replaced.first;
  EXPECT_EQ(replaced_run.err, "kernbench: " + file +
                                  ":2:3: entry ring_default_ws replaces the built-in entry of "
                                  "that name\n");
  EXPECT_NE(entry.second, plain.second);
  EXPECT_NE(defaults.second, plain.second);
  EXPECT_NE(replaced.second, entry.second);
}

TEST(RunCommand, SummaryPrintsOneBenchLineAndItsBound) {
  const auto run = run_kernbench_split("run vector_add softmax --quiet --summary");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("\nvector_add "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\nsoftmax "), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("\n  launch "), std::string::npos) << run.out;  // no phase rows
  EXPECT_EQ(run.out.find("shape: "), std::string::npos) << run.out;
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 3 + 2 * 2) << run.out;
}

}  // namespace
