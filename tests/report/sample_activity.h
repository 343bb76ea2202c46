// Hand-made activity for the HTML report's tests: every PE of SIP 0 of the default machine (128
// PEs) busy on five unit kinds, mesh links and HBM slices loaded unevenly, and two SIPs on a
// ring with one SIP link busy. Thousands of spans, so the timeline's file size is tested too.
#pragma once

#include <fmt/format.h>

#include "hw_tracks.h"

#include "kernbench/report/activity_recorder.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::report::testing {

using namespace base::literals;

/// The default machine with two SIPs on a ring.
inline topo::TopologySpec two_sip_spec() { return topo::default_topology({"system.sips.count=2"}); }

inline void fill_sample_activity(sim::TraceSink& sink, const topo::TopologySpec& spec) {
  const auto ns = [](std::int64_t v) { return base::SimTime::from_ps(v * 1000); };
  for (int c = 0; c < spec.cubes_per_sip(); ++c) {
    for (int p = 0; p < spec.pes_per_cube(); ++p) {
      const std::string pe = fmt::format("sip0/cube{}/pe{}/", c, p);
      const std::int64_t skew = (c * spec.pes_per_cube() + p) * 10;  // ns
      sink.span(testing::track(sink, pe + "core"), "kernel", 0_ns, 100_us);
      for (std::int64_t j = 0; j < 1000; ++j)  // DMA bursts: 40 of every 100 ns, twice
        if (j < 300 || (j >= 600 && j < 900))
          sink.span(testing::track(sink, pe + "dma"), "load", ns(j * 100 + skew),
                    ns(j * 100 + skew + 40));
      for (std::int64_t j = 300; j < 600; ++j)
        sink.span(testing::track(sink, pe + "vector"), "add", ns(j * 100), ns(j * 100 + 60));
      sink.span(testing::track(sink, pe + "matrix"), "dot", ns(30'000 + skew), ns(60'000 + skew));
      sink.span(testing::track(sink, pe + "wait"), "wait", 60_us, 62_us);
      sink.span(testing::track(sink, pe + "port.in"), "busy", 0_us, 50_us);
    }
    sink.span(testing::track(sink, fmt::format("sip0/cube{}/hbm0", c)), "busy", 0_us,
              ns(100'000 - 5'000 * c));
    if (c % spec.sip.mesh_w + 1 < spec.sip.mesh_w)
      sink.span(testing::track(sink, fmt::format("sip0/cube{}/mesh.x+", c)), "busy", 0_us,
                ns(6'000 * c));
  }
  sink.span(testing::track(sink, "sip0/ring.next"), "busy", 0_us, 50_us);
  sink.span(testing::track(sink, "sip1/ring.prev"), "busy", 0_us, 20_us);
}

}  // namespace kernbench::report::testing
