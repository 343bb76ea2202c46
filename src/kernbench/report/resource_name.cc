#include "kernbench/report/resource_name.h"

#include <cmath>

#include <fmt/format.h>

#include "kernbench/report/trace_filter.h"
#include "kernbench/report/track_path.h"

namespace kernbench::report {
namespace {

// "sip 0, cube 1, pe 4" for the levels the track has.
std::string where(const TrackCoords& at) {
  std::string text = fmt::format("sip {}", at.sip.value_or(0));
  if (at.cube) text += fmt::format(", cube {}", *at.cube);
  if (at.pe) text += fmt::format(", pe {}", *at.pe);
  return text;
}

// The part of `leaf` after its first '.' ("port.in" -> "in", "mesh.x+" -> "x+").
std::string_view after_dot(std::string_view leaf) { return leaf.substr(leaf.find('.') + 1); }

std::optional<ResourceName> describe_pe_track(const TrackCoords& at, std::string_view kind) {
  const std::string pe = where(at);
  // A core holds a launch, a wait is no work, an IPCQ span is a descriptor or credit in flight
  // (latency, not occupancy): none of them can bind a phase.
  if (kind == "core" || kind == "wait" || kind == "ipcq") return std::nullopt;
  if (kind == "port")
    return ResourceName{ResourceKind::link,
                        fmt::format("PE port ({}, {})", pe, after_dot(at.leaf))};
  if (kind == "tcm") return ResourceName{ResourceKind::memory, fmt::format("TCM ({})", pe)};
  if (kind == "dma") return ResourceName{ResourceKind::unit, fmt::format("DMA engine ({})", pe)};
  if (kind == "mmu") return ResourceName{ResourceKind::unit, fmt::format("MMU ({})", pe)};
  if (kind == "vector" || kind == "matrix")
    return ResourceName{ResourceKind::unit, fmt::format("{} unit ({})", kind, pe)};
  return ResourceName{ResourceKind::unit, fmt::format("{} ({})", kind, pe)};
}

std::optional<ResourceName> describe_cube_track(const TrackCoords& at, std::string_view kind) {
  const std::string cube = where(at);
  if (kind == "hbm")
    return ResourceName{ResourceKind::memory,
                        fmt::format("HBM slice ({}, slice {})", cube, at.leaf.substr(3))};
  if (kind == "sram") return ResourceName{ResourceKind::memory, fmt::format("SRAM ({})", cube)};
  if (kind == "mesh")
    return ResourceName{ResourceKind::link,
                        fmt::format("mesh link ({}, {})", cube, after_dot(at.leaf))};
  if (kind == "corner") {
    const std::string_view corner = at.leaf.substr(0, at.leaf.find('.'));
    return ResourceName{ResourceKind::link,
                        fmt::format("corner link ({}, {}, {})", cube, corner, after_dot(at.leaf))};
  }
  return std::nullopt;
}

std::optional<ResourceName> describe_sip_track(const TrackCoords& at, std::string_view kind) {
  const int s = *at.sip;
  const std::string_view leaf = at.leaf;
  if (kind == "host") {
    if (leaf == "host.in")
      return ResourceName{ResourceKind::link, fmt::format("host link (host -> sip {})", s)};
    return ResourceName{ResourceKind::link, fmt::format("host link (sip {} -> host)", s)};
  }
  if (kind != "sip_link") return std::nullopt;
  if (leaf == "switch.in")
    return ResourceName{ResourceKind::link, fmt::format("SIP link (switch -> sip {})", s)};
  const std::string_view to = leaf == "switch.out"      ? std::string_view("switch")
                              : leaf.starts_with("to.") ? std::string_view(leaf.substr(3))
                                                        : after_dot(leaf);
  const std::string target =
      to.starts_with("sip") ? fmt::format("sip {}", to.substr(3)) : std::string(to);
  return ResourceName{ResourceKind::link, fmt::format("SIP link (sip {} -> {})", s, target)};
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

std::optional<ResourceName> describe_track(std::string_view track) {
  const TrackCoords at = parse_track_coords(track);
  const std::string_view kind = unit_kind(track);
  if (kind == "other" || !at.sip) return std::nullopt;
  if (at.pe) return describe_pe_track(at, kind);
  if (at.cube) return describe_cube_track(at, kind);
  return describe_sip_track(at, kind);
}

std::string percent(double fraction) { return fmt::format("{:.0f}%", std::round(fraction * 100)); }

}  // namespace kernbench::report
