#include "kernbench/sim/recording_trace_sink.h"

#include <string>

#include <gtest/gtest.h>

#include "kernbench/sim/shifted_trace_sink.h"

namespace kernbench::sim {
namespace {

using namespace base::literals;

// The id of a track of `name` (no facts) in `sink`.
TrackId declared(TraceSink& sink, std::string_view name) { return sink.declare(TrackDecl{name}); }

TEST(RecordingTraceSink, CopiesStringsItWasHandedAndKeepsOrder) {
  RecordingTraceSink sink;
  {
    std::string track = "link(0,1)";
    sink.span(declared(sink, track), "chunk", 2_ns, 4_ns);
    track = "overwritten";
  }
  sink.instant(declared(sink, "host"), "submit", 1_ns);
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
  sink.busy_span(declared(sink, "sip0/cube0/pe0/dma"), "ipcq send", 1_ns, 2_ns, bytes);
  sink.flow(declared(sink, "sip0/cube0/pe0/dma"), 1_ns, declared(sink, "sip0/cube1/pe0/ipcq"),
            3_ns);
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
  shifted.busy_span(declared(shifted, "a"), "ipcq send", 1_ns, 2_ns);
  shifted.flow(declared(shifted, "a"), 1_ns, declared(shifted, "b"), 3_ns);
  ASSERT_EQ(sink.records().size(), 1u);
  EXPECT_EQ(sink.records()[0].start, 11_ns);
  EXPECT_EQ(sink.records()[0].end, 12_ns);
  ASSERT_EQ(sink.flows().size(), 1u);
  EXPECT_EQ(sink.flows()[0].from, 11_ns);
  EXPECT_EQ(sink.flows()[0].to, 13_ns);
}

// Every sink keeps its own ids; a shifted sink declares each track to its receivers once and
// translates its ids into theirs.
TEST(ShiftedTraceSink, TranslatesItsTrackIdsIntoEachReceiversOwn) {
  RecordingTraceSink first, second;
  const TrackFacts facts{7, 0, 1, 2, 3};
  declared(second, "only the second's");  // the second's ids are one ahead
  ShiftedTraceSink shifted(0_ns, {&first, &second});
  const TrackId b = declared(shifted, "b");
  const TrackId a = shifted.declare(TrackDecl{"a", facts});
  EXPECT_EQ(shifted.declare(TrackDecl{"a"}), a);  // a name declared again keeps its first id
  shifted.span(a, "x", 1_ns, 2_ns);
  shifted.flow(b, 1_ns, a, 2_ns);
  for (const RecordingTraceSink* sink : {&first, &second}) {
    ASSERT_EQ(sink->records().size(), 1u);
    EXPECT_EQ(sink->records()[0].track, "a");
    EXPECT_EQ(sink->flows().at(0).from_track, "b");
    EXPECT_EQ(sink->flows().at(0).to_track, "a");
    EXPECT_EQ(sink->tracks()[*sink->tracks().find("a")].facts, facts);
  }
  EXPECT_EQ(second.tracks().size(), 3u);
}

// A component's track is declared to a sink on first use there, and again to another sink.
TEST(TraceTrack, DeclaresItselfOncePerSink) {
  RecordingTraceSink first, second;
  declared(second, "other");
  TraceTrack track("sip0/x", TrackFacts{1, 0});
  EXPECT_EQ(track.id_in(first), 0u);
  EXPECT_EQ(track.id_in(first), 0u);
  EXPECT_EQ(first.tracks().size(), 1u);
  EXPECT_EQ(track.id_in(second), 1u);
  EXPECT_EQ(second.tracks()[1].name, "sip0/x");
  EXPECT_EQ(second.tracks()[1].facts, (TrackFacts{1, 0}));
}

}  // namespace
}  // namespace kernbench::sim
