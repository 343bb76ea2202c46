#include "kernbench/report/resource_name.h"

#include <gtest/gtest.h>

#include "hw_tracks.h"

#include "kernbench/hw/trace_track.h"

namespace kernbench::report {
namespace {

// "kind: text" of hw's track named `track`, or "none" for a track that is not a resource.
std::string described(std::string_view track) {
  const auto r = describe_track(testing::hw_track(track).facts());
  return r ? std::string(name(r->kind)) + ": " + r->text : "none";
}

TEST(ResourceName, NamesEachKindOfTrack) {
  EXPECT_EQ(described("sip0/cube1/pe4/dma"), "unit: DMA engine (sip 0, cube 1, pe 4)");
  EXPECT_EQ(described("sip0/cube1/pe4/vector"), "unit: vector unit (sip 0, cube 1, pe 4)");
  EXPECT_EQ(described("sip2/cube15/pe7/matrix"), "unit: matrix unit (sip 2, cube 15, pe 7)");
  EXPECT_EQ(described("sip0/cube1/pe4/port.in"), "link: PE port (sip 0, cube 1, pe 4, in)");
  EXPECT_EQ(described("sip0/cube1/pe4/port.out"), "link: PE port (sip 0, cube 1, pe 4, out)");
  EXPECT_EQ(described("sip0/cube1/pe4/tcm"), "memory: TCM (sip 0, cube 1, pe 4)");
  EXPECT_EQ(described("sip0/cube5/hbm3"), "memory: HBM slice (sip 0, cube 5, slice 3)");
  EXPECT_EQ(described("sip0/cube5/sram"), "memory: SRAM (sip 0, cube 5)");
  EXPECT_EQ(described("sip0/cube2/mesh.x+"), "link: mesh link (sip 0, cube 2, x+)");
  EXPECT_EQ(described("sip0/cube2/nw.out"), "link: corner link (sip 0, cube 2, nw, out)");
  EXPECT_EQ(described("sip1/ring.next"), "link: SIP link (sip 1 -> next)");
  EXPECT_EQ(described("sip1/ring.prev"), "link: SIP link (sip 1 -> prev)");
  EXPECT_EQ(described("sip1/to.sip3"), "link: SIP link (sip 1 -> sip 3)");
  EXPECT_EQ(described("sip1/switch.out"), "link: SIP link (sip 1 -> switch)");
  EXPECT_EQ(described("sip1/switch.in"), "link: SIP link (switch -> sip 1)");
  EXPECT_EQ(described("sip0/host.in"), "link: host link (host -> sip 0)");
  EXPECT_EQ(described("sip0/host.out"), "link: host link (sip 0 -> host)");
}

TEST(ResourceName, LeavesOutTracksThatAreNotResources) {
  EXPECT_EQ(described("sip0/cube1/pe4/core"), "none");
  EXPECT_EQ(described("sip0/cube1/pe4/wait"), "none");
  EXPECT_EQ(described("sip0/host/requests"), "none");
  EXPECT_EQ(described("host"), "none");
  EXPECT_EQ(described("sip0/cube1/weird"), "none");
  EXPECT_EQ(described("t"), "none");
}

TEST(ResourceName, PercentRoundsToWholePercent) {
  EXPECT_EQ(percent(0.973), "97%");
  EXPECT_EQ(percent(1.0), "100%");
  EXPECT_EQ(percent(0.0), "0%");
  EXPECT_EQ(percent(0.996), "100%");
}

// The report reads a track's declaration: the same name without hw's facts is no resource.
TEST(ResourceName, ComesFromTheDeclarationNotTheName) {
  const sim::TraceTrack dma = hw::pe_track({1, 12, 7}, hw::TrackKind::dma);
  EXPECT_EQ(dma.name(), "sip1/cube12/pe7/dma");
  EXPECT_EQ(dma.facts(),
            (sim::TrackFacts{static_cast<std::uint16_t>(hw::TrackKind::dma), 1, 12, 7}));
  EXPECT_EQ(describe_track(dma.facts())->text, "DMA engine (sip 1, cube 12, pe 7)");
  EXPECT_FALSE(describe_track(sim::TrackFacts{}).has_value());
  const sim::TraceTrack slice = hw::cube_track({0, 5}, hw::TrackKind::hbm, 3);
  EXPECT_EQ(slice.name(), "sip0/cube5/hbm3");
  EXPECT_EQ(resource_kind(slice.facts()), ResourceKind::memory);
}

}  // namespace
}  // namespace kernbench::report
