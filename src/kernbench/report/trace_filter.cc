#include "kernbench/report/trace_filter.h"

#include <algorithm>
#include <array>
#include <optional>

#include "kernbench/report/track_path.h"

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
bool level_kept(const std::vector<int>& wanted, std::optional<int> number) {
  return wanted.empty() || !number || std::ranges::find(wanted, *number) != wanted.end();
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view cube_kind(std::string_view leaf) {
  if (leaf == "sram") return "sram";
  if (leaf.starts_with("hbm") && all_digits(leaf.substr(3))) return "hbm";
  if (leaf.starts_with("mesh.")) return "mesh";
  for (std::string_view corner : {"nw.", "ne.", "sw.", "se."})
    if (leaf.starts_with(corner)) return "corner";
  return "other";
}

std::string_view sip_kind(std::string_view leaf) {
  if (leaf == "host.in" || leaf == "host.out") return "host";
  if (leaf == "host/requests") return "requests";
  if (leaf.starts_with("ring.") || leaf.starts_with("to.sip") || leaf.starts_with("switch."))
    return "sip_link";
  return "other";
}

}  // namespace

std::string_view unit_kind(std::string_view track) {
  const TrackCoords at = parse_track_coords(track);
  if (at.pe) {
    if (at.leaf.starts_with("port.")) return "port";
    if (at.leaf.empty() || at.leaf.find('/') != std::string_view::npos) return "other";
    return at.leaf;
  }
  if (at.cube) return cube_kind(at.leaf);
  if (at.sip) return sip_kind(at.leaf);
  return "other";
}

std::vector<std::string_view> known_unit_kinds() { return {kUnitKinds.begin(), kUnitKinds.end()}; }

bool TraceFilter::keeps_track(std::string_view track) const {
  if (!track_prefixes.empty() &&
      !std::ranges::any_of(track_prefixes,
                           [track](const std::string& prefix) { return under(track, prefix); }))
    return false;
  if (!sips.empty() || !cubes.empty() || !pes.empty()) {
    const TrackCoords at = parse_track_coords(track);
    if (!level_kept(sips, at.sip) || !level_kept(cubes, at.cube) || !level_kept(pes, at.pe))
      return false;
  }
  return unit_kinds.empty() || std::ranges::find(unit_kinds, unit_kind(track)) != unit_kinds.end();
}

bool TraceFilter::keeps_span(std::string_view track, base::SimTime start, base::SimTime end) const {
  if (start == end) return keeps_instant(track, start);
  return start < to && end > from && keeps_track(track);
}

bool TraceFilter::keeps_instant(std::string_view track, base::SimTime at) const {
  return at >= from && at < to && keeps_track(track);
}

}  // namespace kernbench::report
