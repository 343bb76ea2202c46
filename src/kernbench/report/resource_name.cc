#include "kernbench/report/resource_name.h"

#include <cmath>

#include <fmt/format.h>

#include "kernbench/hw/trace_track.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::report {
namespace {

using hw::TrackKind;

// "sip 0, cube 1, pe 4" for the levels the track has.
std::string where(const sim::TrackFacts& at) {
  std::string text = fmt::format("sip {}", at.sip);
  if (at.cube != sim::TrackFacts::kNone) text += fmt::format(", cube {}", at.cube);
  if (at.pe != sim::TrackFacts::kNone) text += fmt::format(", pe {}", at.pe);
  return text;
}

std::string unit_text(TrackKind kind, const std::string& at) {
  switch (kind) {
    case TrackKind::dma: return fmt::format("DMA engine ({})", at);
    case TrackKind::mmu: return fmt::format("MMU ({})", at);
    case TrackKind::vector: return fmt::format("vector unit ({})", at);
    default: return fmt::format("matrix unit ({})", at);
  }
}

std::string memory_text(TrackKind kind, const sim::TrackFacts& f) {
  switch (kind) {
    case TrackKind::tcm: return fmt::format("TCM ({})", where(f));
    case TrackKind::hbm: return fmt::format("HBM slice ({}, slice {})", where(f), f.index);
    default: return fmt::format("SRAM ({})", where(f));
  }
}

std::string link_text(TrackKind kind, const sim::TrackFacts& f) {
  const int s = f.sip;
  switch (kind) {
    case TrackKind::pe_port_in: return fmt::format("PE port ({}, in)", where(f));
    case TrackKind::pe_port_out: return fmt::format("PE port ({}, out)", where(f));
    case TrackKind::corner_in:
    case TrackKind::corner_out:
      return fmt::format("corner link ({}, {}, {})", where(f),
                         topo::name(static_cast<topo::Corner>(f.index)),
                         kind == TrackKind::corner_in ? "in" : "out");
    case TrackKind::mesh:
      return fmt::format("mesh link ({}, {})", where(f), hw::direction_name(f.index));
    case TrackKind::host_in: return fmt::format("host link (host -> sip {})", s);
    case TrackKind::host_out: return fmt::format("host link (sip {} -> host)", s);
    case TrackKind::ring_next: return fmt::format("SIP link (sip {} -> next)", s);
    case TrackKind::ring_prev: return fmt::format("SIP link (sip {} -> prev)", s);
    case TrackKind::sip_to: return fmt::format("SIP link (sip {} -> sip {})", s, f.index);
    case TrackKind::switch_out: return fmt::format("SIP link (sip {} -> switch)", s);
    default: return fmt::format("SIP link (switch -> sip {})", s);
  }
}

}  // namespace

std::string_view name(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::unit: return "unit";
    case ResourceKind::link: return "link";
    case ResourceKind::memory: return "memory";
  }
  return "unit";
}

std::optional<ResourceKind> resource_kind(const sim::TrackFacts& facts) {
  switch (hw::track_kind(facts)) {
    case TrackKind::dma:
    case TrackKind::mmu:
    case TrackKind::vector:
    case TrackKind::matrix: return ResourceKind::unit;
    case TrackKind::tcm:
    case TrackKind::hbm:
    case TrackKind::sram: return ResourceKind::memory;
    case TrackKind::pe_port_out:
    case TrackKind::pe_port_in:
    case TrackKind::corner_out:
    case TrackKind::corner_in:
    case TrackKind::mesh:
    case TrackKind::host_in:
    case TrackKind::host_out:
    case TrackKind::ring_next:
    case TrackKind::ring_prev:
    case TrackKind::sip_to:
    case TrackKind::switch_out:
    case TrackKind::switch_in: return ResourceKind::link;
    default: return std::nullopt;
  }
}

std::optional<ResourceName> describe_track(const sim::TrackFacts& facts) {
  const std::optional<ResourceKind> kind = resource_kind(facts);
  if (!kind) return std::nullopt;
  const TrackKind track = hw::track_kind(facts);
  switch (*kind) {
    case ResourceKind::unit: return ResourceName{*kind, unit_text(track, where(facts))};
    case ResourceKind::memory: return ResourceName{*kind, memory_text(track, facts)};
    case ResourceKind::link: return ResourceName{*kind, link_text(track, facts)};
  }
  return std::nullopt;
}

std::string percent(double fraction) { return fmt::format("{:.0f}%", std::round(fraction * 100)); }

}  // namespace kernbench::report
