// Fuzzes the --trace-filter parser, then asks a parsed filter about a few tracks and times. A bad
// filter may be refused with base::ConfigError; anything else escaping is a finding.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kernbench/base/error.h"
#include "kernbench/report/trace_filter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::array<std::string_view, 5> kTracks{
      "sip0/cube1/pe3/dma", "sip0/cube10/hbm2", "sip1/link.x+", "host/requests", "ccl/ring_tcm_8"};
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const kernbench::report::TraceFilter filter = kernbench::report::parse_trace_filter(text);
    for (std::string_view track : kTracks) {
      (void)filter.keeps_track(track, kernbench::sim::TrackFacts{1, 0, 1, 3, 2});
      (void)filter.keeps_track(track, kernbench::sim::TrackFacts{});
    }
    (void)filter.keeps_span(kernbench::base::SimTime::from_ps(1000),
                            kernbench::base::SimTime::from_ps(5'000'000));
    (void)filter.keeps_instant(kernbench::base::SimTime::zero());
  } catch (const kernbench::base::ConfigError&) {
  }
  return 0;
}
