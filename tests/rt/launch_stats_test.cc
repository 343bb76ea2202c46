// Where a launch's time went: each program's reported breakdown reaches the launch handle (per
// program, summed per PE and over the launch), the completion table and the trace; programs of
// kernels that report nothing still get their place and time.
#include "kernbench/rt/launch_stats.h"

#include <sstream>

#include <gtest/gtest.h>

#include "rt_test_support.h"

#include "kernbench/base/error.h"
#include "kernbench/hw/pe.h"
#include "kernbench/rt/completion_table.h"
#include "kernbench/sim/process.h"
#include "kernbench/sim/recording_trace_sink.h"

namespace kernbench::rt {
namespace {

using base::DType;
using base::SimTime;
using topo::PeCoord;

// A kernel that spends `work` (100 ns times (1 + x)) and reports it as 10% DMA (half of it
// translation), 50% vector, 20% matrix, 30% wait, 8 TLB lookups of which 1 + x miss, and a TLB
// reach of 256 KiB: every figure follows from its program id alone.
void reporting_kernel(ProgramContext& ctx) {
  const std::int64_t work_ps = 100'000 * (1 + ctx.program_id(0));
  ctx.process().wait(SimTime::from_ps(work_ps));
  ProgramStats s;
  s.elapsed = SimTime::from_ps(work_ps);
  s.dma = SimTime::from_ps(work_ps / 10);
  s.vector = SimTime::from_ps(work_ps / 2);
  s.matrix = SimTime::from_ps(work_ps / 5);
  s.wait = SimTime::from_ps(work_ps * 3 / 10);
  s.dma_requests = 2;
  s.tcm_peak_bytes = static_cast<std::uint64_t>(1000 * (1 + ctx.program_id(0)));
  s.translation = SimTime::from_ps(work_ps / 20);
  s.tlb_lookups = 8;
  s.tlb_misses = 1 + ctx.program_id(0);
  s.tlb_reach_bytes = 256 * 1024;
  ctx.record(s);
}

// Rows over both SIPs, then over the 4 PEs of each SIP's first cube: 8 target PEs.
Tensor spread(Session& s) {
  return s.zeros({8, 4}, DType::f32,
                 {LevelPlacement::rows(), LevelPlacement::rows(1), LevelPlacement::rows()}, "t");
}

TEST(LaunchStats, EachProgramsReportIsSummedPerPeAndOverTheLaunch) {
  testing::Machine m;
  Session& s = m.runtime.host();
  const Tensor t = spread(s);
  const LaunchHandle h = s.launch(reporting_kernel, Grid{3}, t);
  ASSERT_TRUE(h.stats);
  const LaunchStats& stats = *h.stats;
  ASSERT_EQ(stats.pes().size(), 8u);
  ASSERT_EQ(stats.programs().size(), 24u);
  // One PE: programs 0, 1, 2 run one after another, 100 + 200 + 300 ns.
  const PeStats& pe = stats.pe({1, 0, 2});
  EXPECT_EQ(pe.programs, 3);
  EXPECT_EQ(pe.reported, 3);
  EXPECT_EQ(pe.total.elapsed, SimTime::from_ps(600'000));
  EXPECT_EQ(pe.total.dma, SimTime::from_ps(60'000));
  EXPECT_EQ(pe.total.vector, SimTime::from_ps(300'000));
  EXPECT_EQ(pe.total.matrix, SimTime::from_ps(120'000));
  EXPECT_EQ(pe.total.wait, SimTime::from_ps(180'000));
  EXPECT_EQ(pe.total.dma_requests, 6);
  EXPECT_EQ(pe.total.tcm_peak_bytes, 3000u);  // the largest, not the sum
  EXPECT_EQ(pe.total.translation, SimTime::from_ps(30'000));
  EXPECT_EQ(pe.total.tlb_lookups, 3 * 8);
  EXPECT_EQ(pe.total.tlb_misses, 1 + 2 + 3);
  EXPECT_EQ(pe.total.tlb_reach_bytes, 256u * 1024);  // the PE's, not a sum over programs
  EXPECT_EQ(pe.end - pe.start, SimTime::from_ps(600'000));
  // Sums over PEs equal sums over programs.
  ProgramStats over_programs;
  for (const ProgramRecord& r : stats.programs()) {
    EXPECT_TRUE(r.reported);
    EXPECT_EQ(r.end - r.start, r.stats.elapsed);
    over_programs += r.stats;
  }
  EXPECT_EQ(stats.total(), over_programs);
  EXPECT_EQ(stats.total().vector, SimTime::from_ps(8 * 300'000));
  ProgramStats per_sip = stats.total(0);
  per_sip += stats.total(1);
  EXPECT_EQ(per_sip, stats.total());
  EXPECT_EQ(stats.total(0).dma_requests, 4 * 6);
  EXPECT_EQ(stats.total().tlb_misses, 8 * 6);
  EXPECT_THROW((void)stats.pe({0, 1, 0}), base::NotFoundError);  // not a target
}

TEST(LaunchStats, ProgramsOfASilentKernelGetTheirPlaceAndTimeOnly) {
  testing::Machine m;
  Session& s = m.runtime.host();
  const Tensor t = s.zeros({4}, DType::f32, {}, "t");  // one PE
  const LaunchHandle h = s.launch(
      [](ProgramContext& ctx) { ctx.process().wait(SimTime::from_ps(5000)); }, Grid{2, 2}, t);
  const auto programs = h.stats->programs();
  ASSERT_EQ(programs.size(), 4u);
  // x outermost, then y (as Triton's interpreter)
  const std::vector<std::array<std::int64_t, 3>> order{{0, 0, 0}, {0, 1, 0}, {1, 0, 0}, {1, 1, 0}};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(programs[i].pe, (PeCoord{0, 0, 0}));
    EXPECT_EQ(programs[i].program_id, order[i]);
    EXPECT_FALSE(programs[i].reported);
    EXPECT_EQ(programs[i].stats.elapsed, SimTime::from_ps(5000));
    EXPECT_EQ(programs[i].stats.vector, SimTime::zero());
    if (i > 0) {
      EXPECT_EQ(programs[i].start, programs[i - 1].end);
    }
  }
  EXPECT_EQ(h.stats->pes()[0].reported, 0);
}

TEST(LaunchStats, CompletionTableAndPhaseSummaryShowTheBreakdownWithUnits) {
  testing::Machine m;
  Session& s = m.runtime.host();
  const Tensor t = spread(s);
  s.launch(reporting_kernel, Grid{3}, t);
  std::ostringstream table;
  write_completion_table(table, m.runtime);
  const std::string text = table.str();
  EXPECT_NE(text.find("duration          dma       vector       matrix         wait\n"),
            std::string::npos)
      << text;
  // Per SIP (one request each): 4 PEs x 600 ns of work split 10/50/20/30 %.
  const std::string sip_row = "     240 ns       1.2 us       480 ns       720 ns\n";
  std::size_t launch_rows = 0;
  for (std::size_t at = text.find("\nlaunch "); at != std::string::npos;
       at = text.find("\nlaunch ", at + 1)) {
    ++launch_rows;
    EXPECT_EQ(text.substr(text.find('\n', at + 1) - sip_row.size() + 1, sip_row.size()), sip_row)
        << text;
  }
  EXPECT_EQ(launch_rows, 2u);
  EXPECT_NE(text.find("           -            -            -            -\n"), std::string::npos)
      << "map rows have no breakdown\n"
      << text;

  std::ostringstream summary;
  write_phase_summary(summary, m.system, m.runtime.records());
  const std::string rows = summary.str();
  EXPECT_NE(rows.find("     480 ns       2.4 us       960 ns      1.44 us\n"), std::string::npos)
      << rows;
}

TEST(LaunchStats, TheTraceShowsEachProgramAndEachPesGridWithTheirBreakdown) {
  testing::Machine m;
  Session& s = m.runtime.host();
  const Tensor t = s.zeros({4}, DType::f32, {}, "t");  // PE (0, 0, 0)
  sim::RecordingTraceSink sink;
  m.engine.set_trace_sink(&sink);
  s.launch(reporting_kernel, Grid{2}, t);
  m.engine.set_trace_sink(nullptr);
  std::vector<sim::RecordingTraceSink::Record> programs, kernels;
  for (const auto& r : sink.records()) {
    if (r.track == "sip0/cube0/pe0/core/programs") programs.push_back(r);
    if (r.track == "sip0/cube0/pe0/core/launches") kernels.push_back(r);
  }
  ASSERT_EQ(programs.size(), 2u);
  EXPECT_EQ(programs[0].name, "kernel (0, 0, 0)");
  EXPECT_EQ(programs[1].name, "kernel (1, 0, 0)");
  EXPECT_EQ(programs[1].end - programs[1].start, SimTime::from_ps(200'000));
  EXPECT_EQ(programs[1].start, programs[0].end);
  using Args = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(programs[1].args, (Args{{"dma_ps", "20000"},
                                    {"vector_ps", "100000"},
                                    {"matrix_ps", "40000"},
                                    {"wait_ps", "60000"},
                                    {"translation_ps", "10000"},
                                    {"dma_requests", "2"},
                                    {"tcm_peak_bytes", "2000"},
                                    {"tlb_lookups", "8"},
                                    {"tlb_misses", "2"},
                                    {"tlb_reach_bytes", "262144"}}));
  ASSERT_EQ(kernels.size(), 1u);
  EXPECT_EQ(kernels[0].name, "kernel");
  EXPECT_EQ(kernels[0].start, programs[0].start);
  EXPECT_EQ(kernels[0].end, programs[1].end);
  EXPECT_EQ(kernels[0].args.front(), (std::pair<std::string, std::string>{"programs", "2"}));
  EXPECT_EQ(kernels[0].args[1], (std::pair<std::string, std::string>{"dma_ps", "30000"}));
}

}  // namespace
}  // namespace kernbench::rt
