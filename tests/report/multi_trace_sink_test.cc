#include "kernbench/report/multi_trace_sink.h"

#include <gtest/gtest.h>

#include "hw_tracks.h"

#include "kernbench/sim/recording_trace_sink.h"

namespace kernbench::report {
namespace {

using namespace base::literals;

TEST(MultiTraceSink, ForwardsEveryRecordToEverySink) {
  sim::RecordingTraceSink first;
  sim::RecordingTraceSink second;
  MultiTraceSink fan_out({&first});
  fan_out.add(second);
  const sim::TraceArg args[] = {{"bytes", std::int64_t{64}}};
  fan_out.span(testing::track(fan_out, "sip0/host.in"), "write", 1_ns, 2_ns, args);
  fan_out.instant(testing::track(fan_out, "sip0/cube0/mcpu"), "fan-out", 2_ns);
  for (const auto* sink : {&first, &second}) {
    ASSERT_EQ(sink->records().size(), 2u);
    EXPECT_EQ(sink->records()[0].name, "write");
    EXPECT_EQ(sink->records()[0].args.at(0).second, "64");
    EXPECT_TRUE(sink->records()[1].is_instant);
  }
}

// A sink added after tracks were declared is told of them, so ids keep matching.
TEST(MultiTraceSink, ASinkAddedLateLearnsTheTracksDeclaredBefore) {
  sim::RecordingTraceSink first, late;
  late.declare({"the late sink's own"});
  MultiTraceSink fan_out({&first});
  const sim::TrackId a = fan_out.declare({"a", sim::TrackFacts{3, 1}});
  fan_out.add(late);
  const sim::TrackId b = fan_out.declare({"b"});
  fan_out.span(a, "on a", 1_ns, 2_ns);
  fan_out.flow(b, 1_ns, a, 2_ns);
  for (const auto* sink : {&first, &late}) {
    ASSERT_EQ(sink->records().size(), 1u);
    EXPECT_EQ(sink->records()[0].track, "a");
    ASSERT_EQ(sink->flows().size(), 1u);
    EXPECT_EQ(sink->flows()[0].from_track, "b");
    EXPECT_EQ(sink->tracks()[*sink->tracks().find("a")].facts, (sim::TrackFacts{3, 1}));
  }
}

}  // namespace
}  // namespace kernbench::report
