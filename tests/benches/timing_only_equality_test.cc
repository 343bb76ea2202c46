// Timing-only runs (issue 18 point 1): every default bench, run with DataMode::timing_only, has
// the checked run's simulated times to the picosecond — the bench's time and each phase's — with
// kernels that compute nothing from loaded data. Only the phases that move data alone (writing
// inputs, reading results back) go away. The benches launch every kernel of the suite's registry.
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "benches/default_benches.h"
#include "benches/suite_kernels.h"

#include "kernbench/topo/topology_loader.h"

namespace kernbench::benches {
namespace {

report::BenchRecord run(const Bench& bench, DataMode data) {
  BenchContext ctx;
  ctx.spec = topo::default_topology();
  ctx.data = data;
  return bench.run(ctx);
}

bool moves_data(const report::PhaseRecord& p) { return p.name.rfind("deploy", 0) == 0; }

// The phases of `timed` are those of `checked` in the same order, less the ones that only move
// data (reading results back); the deploys, which write the inputs in a checked run and only map
// them in a timing-only one, are left out. Each other phase has the checked phase's duration, and
// starts as long after the previous one as in the checked run when no phase went away between.
void expect_same_phases(const report::BenchRecord& checked, const report::BenchRecord& timed) {
  std::size_t c = 0, compared = 0;
  const report::PhaseRecord *prev_t = nullptr, *prev_c = nullptr;
  for (const report::PhaseRecord& t : timed.phases) {
    if (moves_data(t)) {
      prev_t = nullptr;
      continue;
    }
    const std::size_t from = c;
    while (c < checked.phases.size() && checked.phases[c].name != t.name) ++c;
    ASSERT_LT(c, checked.phases.size()) << "phase '" << t.name << "' not in the checked run";
    const report::PhaseRecord& k = checked.phases[c++];
    EXPECT_EQ(t.duration.ps(), k.duration.ps()) << t.name;
    if (prev_t != nullptr && c - 1 == from) {
      EXPECT_EQ((t.start - prev_t->start).ps(), (k.start - prev_c->start).ps()) << t.name;
    }
    prev_t = &t;
    prev_c = &k;
    ++compared;
  }
  EXPECT_GT(compared, 0U) << "no phase compared";
}

TEST(TimingOnlyEquality, EveryDefaultBenchTakesTheCheckedRunsTimeToThePicosecond) {
  BenchRegistry registry;
  register_default_benches(registry);
  ASSERT_GE(registry.size(), 8U);
  std::set<std::string> launched;  // the kernels the benches launched
  for (const std::string& name : registry.names()) {
    SCOPED_TRACE(name);
    const report::BenchRecord checked = run(registry.find(name), DataMode::checked);
    const report::BenchRecord timed = run(registry.find(name), DataMode::timing_only);
    ASSERT_TRUE(checked.check.checked) << "the checked run checked nothing";
    EXPECT_FALSE(timed.check.checked);
    EXPECT_EQ(timed.time.ps(), checked.time.ps());
    EXPECT_FALSE(timed.phases.empty());
    expect_same_phases(checked, timed);
    for (const report::PhaseRecord& p : timed.phases)
      if (p.name.rfind("launch ", 0) == 0) launched.insert(p.name.substr(7));
  }
  // So every kernel of the suite's registry (and rt's vector_add) was compared above.
  rt::KernelRegistry kernels;
  register_suite_kernels(kernels);
  for (const std::string& kernel : kernels.names())
    EXPECT_TRUE(launched.contains(kernel)) << kernel;
  EXPECT_TRUE(launched.contains("vector_add"));
}

}  // namespace
}  // namespace kernbench::benches
