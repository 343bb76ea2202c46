#include "kernbench/sim/recording_trace_sink.h"

#include <string>

#include <gtest/gtest.h>

#include "kernbench/sim/shifted_trace_sink.h"

namespace kernbench::sim {
namespace {

using namespace base::literals;

TEST(RecordingTraceSink, CopiesStringsItWasHandedAndKeepsOrder) {
  RecordingTraceSink sink;
  {
    std::string track = "link(0,1)";
    sink.span(track, "chunk", 2_ns, 4_ns);
    track = "overwritten";
  }
  sink.instant("host", "submit", 1_ns);
  ASSERT_EQ(sink.records().size(), 2u);
  EXPECT_EQ(sink.records()[0].track, "link(0,1)");
  EXPECT_EQ(sink.records()[0].name, "chunk");
  EXPECT_EQ(sink.records()[1].name, "submit");
  EXPECT_EQ(sink.records()[1].end, 1_ns);
}

// A busy span is recorded as a span; a flow keeps its two ends.
TEST(RecordingTraceSink, KeepsBusySpansAndFlows) {
  RecordingTraceSink sink;
  const TraceArg bytes[] = {{"bytes", std::int64_t{64}}};
  sink.busy_span("sip0/cube0/pe0/dma", "ipcq send", 1_ns, 2_ns, bytes);
  sink.flow("sip0/cube0/pe0/dma", 1_ns, "sip0/cube1/pe0/ipcq", 3_ns);
  ASSERT_EQ(sink.records().size(), 1u);
  EXPECT_EQ(sink.records()[0].name, "ipcq send");
  EXPECT_EQ(sink.records()[0].args.at(0).second, "64");
  ASSERT_EQ(sink.flows().size(), 1u);
  EXPECT_EQ(sink.flows()[0].from_track, "sip0/cube0/pe0/dma");
  EXPECT_EQ(sink.flows()[0].from, 1_ns);
  EXPECT_EQ(sink.flows()[0].to_track, "sip0/cube1/pe0/ipcq");
  EXPECT_EQ(sink.flows()[0].to, 3_ns);
}

// A shifted sink moves busy spans and flows like spans, so flows of later benches stay joined.
TEST(ShiftedTraceSink, ShiftsBusySpansAndFlows) {
  RecordingTraceSink sink;
  ShiftedTraceSink shifted(10_ns, {&sink});
  shifted.busy_span("a", "ipcq send", 1_ns, 2_ns);
  shifted.flow("a", 1_ns, "b", 3_ns);
  ASSERT_EQ(sink.records().size(), 1u);
  EXPECT_EQ(sink.records()[0].start, 11_ns);
  EXPECT_EQ(sink.records()[0].end, 12_ns);
  ASSERT_EQ(sink.flows().size(), 1u);
  EXPECT_EQ(sink.flows()[0].from, 11_ns);
  EXPECT_EQ(sink.flows()[0].to, 13_ns);
}

}  // namespace
}  // namespace kernbench::sim
