#include "kernbench/report/trace_filter.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "hw_tracks.h"

#include "kernbench/base/error.h"

namespace kernbench::report {
namespace {

using namespace base::literals;

TraceFilter make_filter(std::vector<std::string> prefixes, base::SimTime from, base::SimTime to) {
  TraceFilter filter{.track_prefixes = std::move(prefixes)};
  filter.from = from;
  filter.to = to;
  return filter;
}

// Whether `filter` keeps the track named `track` (hw's, with its facts) at all.
bool keeps(const TraceFilter& filter, std::string_view track) {
  return filter.keeps_track(track, testing::hw_track(track).facts());
}

// Whether `filter` keeps a span on `track` from `start` to `end`.
bool keeps(const TraceFilter& filter, std::string_view track, base::SimTime start,
           base::SimTime end) {
  return keeps(filter, track) && filter.keeps_span(start, end);
}

// Whether `filter` keeps an instant on `track` at `at`.
bool keeps_at(const TraceFilter& filter, std::string_view track, base::SimTime at) {
  return keeps(filter, track) && filter.keeps_instant(at);
}

std::string_view unit_kind(std::string_view track) {
  return report::unit_kind(testing::hw_track(track).facts());
}

TEST(TraceFilter, DefaultKeepsEverything) {
  const TraceFilter filter;
  EXPECT_TRUE(keeps(filter, "sip3/cube1/pe0/dma", 0_ps, 1_ps));
  EXPECT_TRUE(keeps_at(filter, "host", base::SimTime::from_ps(-5)));
  EXPECT_TRUE(keeps_at(filter, "", 1000_s));
}

TEST(TraceFilter, PrefixesMatchWholeComponents) {
  const TraceFilter filter{.track_prefixes = {"sip0/cube1", "sip1/"}};
  EXPECT_TRUE(keeps(filter, "sip0/cube1"));
  EXPECT_TRUE(keeps(filter, "sip0/cube1/pe0/dma"));
  EXPECT_FALSE(keeps(filter, "sip0/cube10/pe0/dma"));
  EXPECT_FALSE(keeps(filter, "sip0/cube"));
  EXPECT_TRUE(keeps(filter, "sip1/host.in"));
  EXPECT_FALSE(keeps(filter, "sip10/host.in"));
}

TEST(TraceFilter, WindowIsHalfOpenAndSpansOverlapping) {
  const TraceFilter filter = make_filter({}, 10_ns, 20_ns);
  EXPECT_TRUE(keeps_at(filter, "t", 10_ns));
  EXPECT_FALSE(keeps_at(filter, "t", 20_ns));
  EXPECT_FALSE(keeps_at(filter, "t", 9_ns));
  EXPECT_TRUE(keeps(filter, "t", 5_ns, 11_ns));    // overlaps the start
  EXPECT_TRUE(keeps(filter, "t", 19_ns, 30_ns));   // overlaps the end
  EXPECT_TRUE(keeps(filter, "t", 0_ns, 100_ns));   // covers the window
  EXPECT_FALSE(keeps(filter, "t", 0_ns, 10_ns));   // ends where the window starts
  EXPECT_FALSE(keeps(filter, "t", 20_ns, 30_ns));  // starts where it ends
  EXPECT_TRUE(keeps(filter, "t", 10_ns, 10_ns));   // zero length: an instant
  EXPECT_FALSE(keeps(filter, "t", 20_ns, 20_ns));
}

TEST(TraceFilter, TrackAndWindowBothApply) {
  const TraceFilter filter = make_filter({"sip0"}, 10_ns, 20_ns);
  EXPECT_TRUE(keeps(filter, "sip0/x", 12_ns, 13_ns));
  EXPECT_FALSE(keeps(filter, "sip1/x", 12_ns, 13_ns));
  EXPECT_FALSE(keeps_at(filter, "sip0/x", 25_ns));
}

TEST(TraceFilter, StructuralNumbersApplyToTracksThatCarryThatLevel) {
  TraceFilter filter;
  filter.cubes = {1, 2};
  filter.pes = {0};
  EXPECT_TRUE(keeps(filter, "sip0/cube1/pe0/dma"));
  EXPECT_FALSE(keeps(filter, "sip0/cube1/pe3/dma"));
  EXPECT_FALSE(keeps(filter, "sip0/cube3/pe0/dma"));
  EXPECT_TRUE(keeps(filter, "sip0/cube2/hbm5"));  // the kept cube's own memory
  EXPECT_FALSE(keeps(filter, "sip0/cube4/hbm5"));
  EXPECT_TRUE(keeps(filter, "sip0/ring.next"));  // above the cube level
  filter.sips = {1};
  EXPECT_FALSE(keeps(filter, "sip0/ring.next"));
  EXPECT_TRUE(keeps(filter, "sip1/cube2/pe0/vector"));
}

TEST(TraceFilter, UnitKindsSelectTracks) {
  TraceFilter filter;
  filter.unit_kinds = {"dma", "hbm", "sip_link"};
  EXPECT_TRUE(keeps(filter, "sip0/cube1/pe0/dma"));
  EXPECT_FALSE(keeps(filter, "sip0/cube1/pe0/vector"));
  EXPECT_TRUE(keeps(filter, "sip0/cube1/hbm7"));
  EXPECT_FALSE(keeps(filter, "sip0/cube1/sram"));
  EXPECT_TRUE(keeps(filter, "sip3/to.sip1"));
  EXPECT_FALSE(keeps(filter, "sip3/host.in"));
}

TEST(TraceFilter, UnitKindOfEachTrackShape) {
  EXPECT_EQ(unit_kind("sip0/cube1/pe2/core"), "core");
  EXPECT_EQ(unit_kind("sip0/cube1/pe2/wait"), "wait");
  EXPECT_EQ(unit_kind("sip0/cube1/pe2/port.out"), "port");
  EXPECT_EQ(unit_kind("sip0/cube1/pe2/tcm"), "tcm");
  EXPECT_EQ(unit_kind("sip0/cube1/hbm12"), "hbm");
  EXPECT_EQ(unit_kind("sip0/cube1/sram"), "sram");
  EXPECT_EQ(unit_kind("sip0/cube1/se.in"), "corner");
  EXPECT_EQ(unit_kind("sip0/cube1/mesh.y-"), "mesh");
  EXPECT_EQ(unit_kind("sip0/ring.prev"), "sip_link");
  EXPECT_EQ(unit_kind("sip0/switch.in"), "sip_link");
  EXPECT_EQ(unit_kind("sip0/host.out"), "host");
  EXPECT_EQ(unit_kind("sip0/host/requests"), "requests");
  EXPECT_EQ(unit_kind("t"), "other");
  EXPECT_EQ(unit_kind("sip0/cube1/hbmX"), "other");
}

TEST(TraceFilter, ParsesTheCommandLineForm) {
  const TraceFilter f = parse_trace_filter(
      "sip=0,cube=1-3|7,pe=0,unit=dma|vector,track=sip0/cube1|sip1,from=10us,"
      "to=20us");
  EXPECT_EQ(f.sips, std::vector<int>{0});
  EXPECT_EQ(f.cubes, (std::vector<int>{1, 2, 3, 7}));
  EXPECT_EQ(f.pes, std::vector<int>{0});
  EXPECT_EQ(f.unit_kinds, (std::vector<std::string>{"dma", "vector"}));
  EXPECT_EQ(f.track_prefixes, (std::vector<std::string>{"sip0/cube1", "sip1"}));
  EXPECT_EQ(f.from, 10_us);
  EXPECT_EQ(f.to, 20_us);
  EXPECT_TRUE(keeps(f, "sip0/cube1/pe0/dma", 15_us, 16_us));
  EXPECT_FALSE(keeps(f, "sip0/cube1/pe0/dma", 21_us, 22_us));
  const TraceFilter all = parse_trace_filter("");
  EXPECT_TRUE(keeps(all, "anything", 0_ps, 1_ps));
}

// The message of the ConfigError parse_trace_filter throws for `text`.
std::string parse_error(std::string_view text) {
  try {
    parse_trace_filter(text);
  } catch (const base::ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(TraceFilterErrors, NameTheItemAndWhatWasExpected) {
  EXPECT_EQ(parse_error("cube=3-1"),
            "--trace-filter: 'cube=3-1': expected numbers or ranges like 1-3, separated by '|'");
  EXPECT_EQ(parse_error("pe=x"),
            "--trace-filter: 'pe=x': expected numbers or ranges like 1-3, separated by '|'");
  EXPECT_EQ(parse_error("unit=dmaa"),
            "--trace-filter: 'unit=dmaa': expected unit kinds separated by '|', from: core, dma, "
            "mmu, vector, matrix, wait, ipcq, port, tcm, hbm, sram, corner, mesh, sip_link, host, "
            "requests");
  EXPECT_EQ(
      parse_error("colour=red"),
      "--trace-filter: 'colour=red': expected a key from: sip, cube, pe, unit, track, from, to");
  EXPECT_EQ(parse_error("sip"),
            "--trace-filter: 'sip': expected key=value with a key from: sip, "
            "cube, pe, unit, track, from, to");
  EXPECT_EQ(parse_error("sip=0,sip=1"), "--trace-filter: 'sip=1': expected 'sip' at most once");
  EXPECT_EQ(
      parse_error("from=10"),
      "--trace-filter: 'from=10': expected a time with a unit (ps, ns, us, ms, s), like 10us");
  EXPECT_EQ(parse_error("from=2us,to=1us"),
            "--trace-filter: 'from=2us,to=1us': expected 'from' before 'to'");
  EXPECT_EQ(parse_error("sip=0,,pe=1"),
            "--trace-filter: '': expected key=value with a key from: "
            "sip, cube, pe, unit, track, from, to");
}

}  // namespace
}  // namespace kernbench::report
