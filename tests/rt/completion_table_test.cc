#include "kernbench/rt/completion_table.h"

#include <sstream>

#include <gtest/gtest.h>

#include "rt_test_support.h"

#include "kernbench/rt/demo_kernels.h"

namespace kernbench::rt {
namespace {

TEST(CompletionTable, EveryPhaseLeavesARowWithItsTimes) {
  testing::Machine m;
  register_demo_kernels(m.runtime.kernels());
  Session& s = m.runtime.host();
  {
    Tensor t = s.zeros({256}, base::DType::f32, {{}, {}, LevelPlacement::rows(2)}, "v");
    t.copy_(HostTensor::zeros(base::DType::f32, {256}));
    s.launch("fill_index", Grid{1}, t);
    (void)t.to_host();
  }
  std::vector<std::string> phases;
  for (const PhaseRecord& r : m.runtime.records()) {
    phases.push_back(r.phase);
    const hw::Completion& c = m.system.completion(r.handle);
    EXPECT_TRUE(c.done);
    EXPECT_GT(c.end, c.start);
  }
  // 2 parts: map each on the SIP, fill each, write each, launch once, read each, unmap each.
  EXPECT_EQ(phases, (std::vector<std::string>{"map", "map", "write", "write", "write", "write",
                                              "launch", "read", "read", "unmap", "unmap"}));
  std::ostringstream out;
  write_completion_table(out, m.runtime);
  const std::string text = out.str();
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "phase    name                 targets        bytes          start       duration"
            "          dma       vector       matrix         wait");
  EXPECT_NE(text.find("\nlaunch   fill_index                 2            -       "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\nread     v                          0        512 B       "),
            std::string::npos)
      << text;
  EXPECT_EQ(std::ranges::count(text, '\n'), 12);

  std::ostringstream summary;
  write_phase_summary(summary, m.system, m.runtime.records());
  const std::string rows = summary.str();
  EXPECT_EQ(std::ranges::count(rows, '\n'), 6);  // header, map, write (fill + copy), launch ...
  EXPECT_NE(rows.find("\nwrite    v                           4       0        2 KiB"),
            std::string::npos)
      << rows;
}

TEST(CompletionTable, RowsAsValuesMatchTheRequests) {
  testing::Machine m;
  register_demo_kernels(m.runtime.kernels());
  Session& s = m.runtime.host();
  Tensor t = s.zeros({256}, base::DType::f32, {{}, {}, LevelPlacement::rows(2)}, "v");
  s.launch("fill_index", Grid{1}, t);
  (void)t.to_host();
  const std::vector<PhaseRow> rows = completion_rows(m.system, m.runtime.records());
  ASSERT_EQ(rows.size(), m.runtime.records().size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const hw::Completion& c = m.system.completion(m.runtime.records()[i].handle);
    EXPECT_EQ(rows[i].requests, 1u);
    EXPECT_EQ(rows[i].targets, c.targets);
    EXPECT_EQ(rows[i].start, c.start);
    EXPECT_EQ(rows[i].end, c.end);
  }
  // map (2), write (2 fills), launch, read (2): the runs of one phase and name.
  const std::vector<PhaseRow> phases = phase_rows(m.system, m.runtime.records());
  ASSERT_EQ(phases.size(), 4u);
  EXPECT_EQ(phases[1].phase, "write");
  EXPECT_EQ(phases[1].requests, 2u);
  EXPECT_EQ(phases[1].bytes, base::Bytes(1024));
  EXPECT_EQ(phases[3].phase, "read");
  EXPECT_EQ(phases[3].end, rows.back().end);
  EXPECT_EQ(phases[2].reported, 0);  // fill_index reports no breakdown
}

}  // namespace
}  // namespace kernbench::rt
