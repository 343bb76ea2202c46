#include "kernbench/report/trace_filter.h"

#include <algorithm>
#include <array>

#include "kernbench/hw/trace_track.h"

namespace kernbench::report {
namespace {

constexpr std::array<std::string_view, 16> kUnitKinds{
    "core", "dma", "mmu",  "vector", "matrix", "wait",     "ipcq", "port",
    "tcm",  "hbm", "sram", "corner", "mesh",   "sip_link", "host", "requests"};

bool under(std::string_view track, std::string_view prefix) {
  if (!track.starts_with(prefix)) return false;
  return track.size() == prefix.size() || prefix.empty() || prefix.back() == '/' ||
         track[prefix.size()] == '/';
}

// True when `wanted` is empty (no restriction), the track lacks the level, or its number is in it.
bool level_kept(const std::vector<int>& wanted, std::int32_t number) {
  return wanted.empty() || number == sim::TrackFacts::kNone ||
         std::ranges::find(wanted, number) != wanted.end();
}

}  // namespace

std::string_view unit_kind(const sim::TrackFacts& facts) {
  using hw::TrackKind;
  switch (hw::track_kind(facts)) {
    case TrackKind::core: return "core";
    case TrackKind::wait: return "wait";
    case TrackKind::dma: return "dma";
    case TrackKind::mmu: return "mmu";
    case TrackKind::vector: return "vector";
    case TrackKind::matrix: return "matrix";
    case TrackKind::ipcq: return "ipcq";
    case TrackKind::pe_port_out:
    case TrackKind::pe_port_in: return "port";
    case TrackKind::tcm: return "tcm";
    case TrackKind::corner_out:
    case TrackKind::corner_in: return "corner";
    case TrackKind::mesh: return "mesh";
    case TrackKind::hbm: return "hbm";
    case TrackKind::sram: return "sram";
    case TrackKind::host_in:
    case TrackKind::host_out: return "host";
    case TrackKind::host_requests: return "requests";
    case TrackKind::ring_next:
    case TrackKind::ring_prev:
    case TrackKind::sip_to:
    case TrackKind::switch_out:
    case TrackKind::switch_in: return "sip_link";
    case TrackKind::core_programs:
    case TrackKind::core_launches:
    case TrackKind::other: return "other";
  }
  return "other";
}

std::vector<std::string_view> known_unit_kinds() { return {kUnitKinds.begin(), kUnitKinds.end()}; }

bool TraceFilter::keeps_track(std::string_view name, const sim::TrackFacts& facts) const {
  if (!track_prefixes.empty() &&
      !std::ranges::any_of(track_prefixes,
                           [name](const std::string& prefix) { return under(name, prefix); }))
    return false;
  if (!level_kept(sips, facts.sip) || !level_kept(cubes, facts.cube) || !level_kept(pes, facts.pe))
    return false;
  return unit_kinds.empty() || std::ranges::find(unit_kinds, unit_kind(facts)) != unit_kinds.end();
}

bool TraceFilter::keeps_span(base::SimTime start, base::SimTime end) const {
  if (start == end) return keeps_instant(start);
  return start < to && end > from;
}

bool TraceFilter::keeps_instant(base::SimTime at) const { return at >= from && at < to; }

}  // namespace kernbench::report
