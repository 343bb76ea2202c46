#include "kernbench/report/trace_filter.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace kernbench::report {
namespace {

using namespace base::literals;

TraceFilter make_filter(std::vector<std::string> prefixes, base::SimTime from, base::SimTime to) {
  TraceFilter filter{.track_prefixes = std::move(prefixes)};
  filter.from = from;
  filter.to = to;
  return filter;
}

TEST(TraceFilter, DefaultKeepsEverything) {
  const TraceFilter filter;
  EXPECT_TRUE(filter.keeps_span("sip3/cube1/pe0/dma", 0_ps, 1_ps));
  EXPECT_TRUE(filter.keeps_instant("host", base::SimTime::from_ps(-5)));
  EXPECT_TRUE(filter.keeps_instant("", 1000_s));
}

TEST(TraceFilter, PrefixesMatchWholeComponents) {
  const TraceFilter filter{.track_prefixes = {"sip0/cube1", "sip1/"}};
  EXPECT_TRUE(filter.keeps_track("sip0/cube1"));
  EXPECT_TRUE(filter.keeps_track("sip0/cube1/pe0/dma"));
  EXPECT_FALSE(filter.keeps_track("sip0/cube10/pe0/dma"));
  EXPECT_FALSE(filter.keeps_track("sip0/cube"));
  EXPECT_TRUE(filter.keeps_track("sip1/host.in"));
  EXPECT_FALSE(filter.keeps_track("sip10/host.in"));
}

TEST(TraceFilter, WindowIsHalfOpenAndSpansOverlapping) {
  const TraceFilter filter = make_filter({}, 10_ns, 20_ns);
  EXPECT_TRUE(filter.keeps_instant("t", 10_ns));
  EXPECT_FALSE(filter.keeps_instant("t", 20_ns));
  EXPECT_FALSE(filter.keeps_instant("t", 9_ns));
  EXPECT_TRUE(filter.keeps_span("t", 5_ns, 11_ns));    // overlaps the start
  EXPECT_TRUE(filter.keeps_span("t", 19_ns, 30_ns));   // overlaps the end
  EXPECT_TRUE(filter.keeps_span("t", 0_ns, 100_ns));   // covers the window
  EXPECT_FALSE(filter.keeps_span("t", 0_ns, 10_ns));   // ends where the window starts
  EXPECT_FALSE(filter.keeps_span("t", 20_ns, 30_ns));  // starts where it ends
  EXPECT_TRUE(filter.keeps_span("t", 10_ns, 10_ns));   // zero length: an instant
  EXPECT_FALSE(filter.keeps_span("t", 20_ns, 20_ns));
}

TEST(TraceFilter, TrackAndWindowBothApply) {
  const TraceFilter filter = make_filter({"sip0"}, 10_ns, 20_ns);
  EXPECT_TRUE(filter.keeps_span("sip0/x", 12_ns, 13_ns));
  EXPECT_FALSE(filter.keeps_span("sip1/x", 12_ns, 13_ns));
  EXPECT_FALSE(filter.keeps_instant("sip0/x", 25_ns));
}

}  // namespace
}  // namespace kernbench::report
