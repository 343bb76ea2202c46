#include "kernbench/sim/recording_trace_sink.h"

#include <string>

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace kernbench::sim
