#include "kernbench/sim/trace_sink.h"

#include <gtest/gtest.h>

#include "kernbench/sim/engine.h"
#include "kernbench/sim/recording_trace_sink.h"

namespace kernbench::sim {
namespace {

using namespace base::literals;

TEST(TraceSink, EngineRecordsNothingWithoutASink) {
  Engine engine;
  EXPECT_EQ(engine.trace_sink(), nullptr);
  TraceTrack dma("pe0/dma"), pe("pe0");
  engine.trace_span(dma, "copy", 0_ns, 5_ns);  // must be a harmless no-op
  engine.trace_instant(pe, "start");
  RecordingTraceSink sink;
  engine.set_trace_sink(&sink);
  engine.set_trace_sink(nullptr);
  engine.trace_instant(pe, "start");
  EXPECT_TRUE(sink.records().empty());
  EXPECT_EQ(sink.tracks().size(), 0u);  // nothing declared either
}

TEST(TraceSink, EngineForwardsSpansAndInstantsWithArgs) {
  Engine engine;
  RecordingTraceSink sink;
  engine.set_trace_sink(&sink);
  TraceTrack dma("sip0/cube0/pe1/dma"), pe("sip0/cube0/pe1");
  engine.schedule_at(3_ns, [&] {
    const TraceArg args[] = {{"bytes", std::int64_t{4096}}, {"dst", std::string_view("hbm2")}};
    engine.trace_span(dma, "copy", 1_ns, engine.now(), args);
    engine.trace_instant(pe, "launch");
  });
  engine.run();
  ASSERT_EQ(sink.records().size(), 2u);
  const auto& span = sink.records()[0];
  EXPECT_EQ(span.track, "sip0/cube0/pe1/dma");
  EXPECT_EQ(span.start, 1_ns);
  EXPECT_EQ(span.end, 3_ns);
  EXPECT_FALSE(span.is_instant);
  ASSERT_EQ(span.args.size(), 2u);
  EXPECT_EQ(span.args[0], (std::pair<std::string, std::string>{"bytes", "4096"}));
  EXPECT_EQ(span.args[1], (std::pair<std::string, std::string>{"dst", "hbm2"}));
  EXPECT_TRUE(sink.records()[1].is_instant);
  EXPECT_EQ(sink.records()[1].start, 3_ns);
}

}  // namespace
}  // namespace kernbench::sim
