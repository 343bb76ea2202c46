// What a trace track is, in words a report reader knows: the kind of hardware resource behind a
// track and its human name ("HBM slice (sip 0, cube 5, slice 3)"), read from the track's
// declaration (hw/trace_track.h), never from its name.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kernbench/sim/trace_sink.h"

namespace kernbench::report {

/// The three kinds of resource a phase can be bound by.
enum class ResourceKind { unit, link, memory };

/// "unit", "link" or "memory".
std::string_view name(ResourceKind kind);

/// A track seen as a hardware resource.
struct ResourceName {
  ResourceKind kind = ResourceKind::unit;
  std::string text;  // "DMA engine (sip 0, cube 1, pe 4)"
};

/// The kind of resource behind a track of hw's, or nullopt for a track whose busy time does not
/// mean load: a PE's "core" (its spans are whole kernel launches), programs and launches, "wait"
/// (time a program waited), "ipcq" (messages in flight), a SIP's host requests, and any track hw
/// did not declare. Units: DMA engine, MMU, vector and matrix units. Links: PE ports, corner,
/// mesh, SIP and host links. Memories: TCM, HBM slices, SRAM.
std::optional<ResourceKind> resource_kind(const sim::TrackFacts& facts);

/// The resource behind a track (nullopt as for resource_kind).
std::optional<ResourceName> describe_track(const sim::TrackFacts& facts);

/// A utilization as a percentage with no decimals, as reports print it: 0.973 -> "97%".
std::string percent(double fraction);

}  // namespace kernbench::report
