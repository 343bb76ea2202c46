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

}  // namespace
}  // namespace kernbench::report
