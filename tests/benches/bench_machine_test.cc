// BenchMachine's record (phases from the runtime's requests, busiest resources, the run's
// timeline), the deployment and cube all-reduce benches, and timing-only runs of the suite.
#include "benches/bench_machine.h"

#include <gtest/gtest.h>

#include "benches/cube_all_reduce.h"
#include "benches/default_benches.h"
#include "benches/deploy.h"
#include "benches/softmax.h"

#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/sim/recording_trace_sink.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::benches {
namespace {

topo::TopologySpec small_machine() {
  return topo::load_topology_file(KERNBENCH_SOURCE_DIR "/configs/ahbm_small.yaml");
}

std::vector<std::string> phase_names(const report::BenchRecord& r) {
  std::vector<std::string> names;
  for (const auto& p : r.phases) names.push_back(p.name);
  return names;
}

TEST(BenchMachine, RecordHasAPhasePerRunOfRequestsWithItsBusiestResources) {
  BenchMachine machine(small_machine());
  const BenchResult result = run_softmax(machine.session(), 32 * 4, 100, Spread::sip);
  const report::BenchRecord r = machine.record(result);
  EXPECT_EQ(phase_names(r),
            (std::vector<std::string>{"deploy x, y", "launch softmax", "read y", "free y, x"}));
  const report::PhaseRecord& launch = r.phases[1];
  EXPECT_EQ(launch.bytes, static_cast<std::uint64_t>(result.bytes));
  EXPECT_LE(launch.start, result.start);
  EXPECT_GE(launch.start + launch.duration, result.start + result.time);
  ASSERT_FALSE(launch.busiest.empty());
  for (const auto& b : launch.busiest) {
    EXPECT_GT(b.utilization, 0.0) << b.resource;
    EXPECT_LE(b.utilization, 1.0) << b.resource;
  }
  EXPECT_EQ(r.phases[0].bytes, 32u * 4 * 100 * 4);  // x written once, y only mapped
  ASSERT_FALSE(r.busiest.empty());
  EXPECT_TRUE(r.check.checked && r.check.pass) << r.check.detail;
  EXPECT_EQ(r.time, result.time);
}

TEST(BenchMachine, ContextSinksSeeTheMachineShiftedToItsStartOnTheRunTimeline) {
  sim::RecordingTraceSink sink;
  const base::SimTime offset = base::SimTime::from_ps(1'000'000);
  BenchContext context{small_machine(), DataMode::checked, {&sink}, offset};
  BenchMachine machine(context);
  const report::BenchRecord r =
      machine.record(run_softmax(machine.session(), 32, 64, Spread::cube));
  ASSERT_FALSE(sink.records().empty());
  base::SimTime first = base::SimTime::max();
  for (const auto& rec : sink.records()) first = std::min(first, rec.start);
  EXPECT_GE(first, offset);
  EXPECT_EQ(r.phases.front().start, offset);  // the first request is submitted at time zero
}

TEST(DeployBench, CopiesTheTensorToEveryCubeWithinTheHostLinks) {
  BenchMachine machine(small_machine());
  const BenchResult r = run_deploy(machine.session(), 8 * 64, 256);
  const topo::TopologySpec& spec = machine.spec();
  EXPECT_TRUE(r.check.checked && r.check.pass) << r.check.detail;
  EXPECT_EQ(r.pes, spec.total_pes());
  EXPECT_DOUBLE_EQ(r.bytes, 8.0 * 64 * 256 * 2 * spec.total_cubes());
  EXPECT_GT(r.time.ps(), 0);
  EXPECT_LE(r.bytes_per_second(), r.peak_bytes_per_second);
  EXPECT_GT(r.bytes_per_second(), 0.5 * r.peak_bytes_per_second);
}

TEST(CubeAllReduceBench, EveryCubeEndsWithTheSumWithinTheMeshLinkBandwidth) {
  BenchMachine machine(small_machine());
  const BenchResult r = run_cube_all_reduce(machine.session(), 1 << 14);
  EXPECT_TRUE(r.check.checked && r.check.pass) << r.check.detail;
  EXPECT_EQ(r.pes, machine.spec().total_cubes());
  EXPECT_GT(r.time.ps(), 0);
  EXPECT_LE(r.bytes_per_second(), r.peak_bytes_per_second);
  const report::BenchRecord record = machine.record(r);
  const auto names = phase_names(record);
  EXPECT_NE(std::find(names.begin(), names.end(), "all_reduce"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "install cube ring"), names.end());
}

// The ring takes ccl.yaml's defaults: smaller chunks pipeline the ring's steps more finely, and
// the default (TCM, 64 KiB) is what the bench runs without them; every setting still sums right.
TEST(CubeAllReduceBench, TakesTheBufferAndChunkSizeOfTheCclDefaults) {
  const ccl::AlgorithmEntry defaults =
      ccl::default_ccl_config(ccl::default_algorithm_registry()).defaults;
  EXPECT_EQ(defaults.buffer, mem::MemoryKind::tcm);
  EXPECT_EQ(defaults.chunk_size, base::Bytes(64 * 1024));
  const auto run = [](const ccl::AlgorithmEntry* settings) {
    BenchMachine machine(small_machine());
    return run_cube_all_reduce(machine.session(), 1 << 16, DataMode::checked, settings);
  };
  const BenchResult plain = run(nullptr);
  EXPECT_EQ(run(&defaults).time, plain.time);
  EXPECT_NE(plain.shape.find("into TCM in 64 KiB chunks"), std::string::npos) << plain.shape;
  ccl::AlgorithmEntry small_chunks = defaults;
  small_chunks.chunk_size = base::Bytes(4 * 1024);
  ccl::AlgorithmEntry into_hbm = defaults;
  into_hbm.buffer = mem::MemoryKind::hbm;
  for (const ccl::AlgorithmEntry* s : {&small_chunks, &into_hbm}) {
    const BenchResult r = run(s);
    EXPECT_TRUE(r.check.checked && r.check.pass) << r.check.detail;
    EXPECT_NE(r.time, plain.time) << r.shape;
  }
  EXPECT_NE(run(&small_chunks).shape.find("into TCM in 4 KiB chunks"), std::string::npos);
  EXPECT_NE(run(&into_hbm).shape.find("into HBM in 64 KiB chunks"), std::string::npos);
}

// Timing only moves no data and checks nothing, yet every bench measures the same time.
TEST(DefaultBenches, TimingOnlyMeasuresTheSameTimeAndChecksNothing) {
  BenchRegistry registry;
  register_default_benches(registry);
  for (const std::string& name : registry.names()) {
    const Bench& bench = registry.find(name);
    const report::BenchRecord checked = bench.run({small_machine(), DataMode::checked, {}, {}});
    const report::BenchRecord timing = bench.run({small_machine(), DataMode::timing_only, {}, {}});
    EXPECT_TRUE(checked.check.checked && checked.check.pass) << name << checked.check.detail;
    EXPECT_FALSE(timing.check.checked) << name;
    EXPECT_EQ(timing.check.detail, "not checked (timing only)") << name;
    EXPECT_EQ(timing.time, checked.time) << name;
    EXPECT_GT(checked.time.ps(), 0) << name;
  }
}

}  // namespace
}  // namespace kernbench::benches
