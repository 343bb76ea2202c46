// What a trace track is, in words a report reader knows: the kind of hardware resource behind a
// track ("sip0/cube5/hbm3") and its human name ("HBM slice (sip 0, cube 5, slice 3)").
#pragma once

#include <optional>
#include <string>
#include <string_view>

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

/// Names the resource behind one of hw's tracks, or nullopt for a track that is not a resource
/// whose busy time means load: a PE's "core" (its spans are whole kernel launches), "wait" (time a
/// program waited), "sipS/host/requests", and any track of an unknown shape.
/// Units: PE "dma", "vector", "matrix" (and any other unit name under "sipS/cubeC/peP/").
/// Links: PE ports, corner links, mesh links, SIP links, host links. Memories: TCM, HBM slices,
/// SRAM.
std::optional<ResourceName> describe_track(std::string_view track);

/// A utilization as a percentage with no decimals, as reports print it: 0.973 -> "97%".
std::string percent(double fraction);

}  // namespace kernbench::report
