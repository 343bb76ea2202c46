// Which PEs map which copy of a tensor: every PE of a SIP that holds shards maps, for every
// distinct part held in that SIP, the nearest copy -- its own, else one in its cube, else the
// SIP's first -- at the part's VA. PEs that map the same copy share one map request.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "kernbench/hw/targets.h"
#include "kernbench/rt/placement.h"

namespace kernbench::rt {

/// One map request: `targets` map part `part` onto the memory of shards[`source`].
struct PartMapping {
  int part = 0;
  std::size_t source = 0;
  hw::Targets targets;
};

/// The map requests for `shards` on `spec`, ordered by SIP, part, then source copy.
std::vector<PartMapping> plan_mappings(const topo::TopologySpec& spec,
                                       std::span<const Shard> shards);

/// Index into `shards` of the copy of `part` nearest to `pe` within pe's SIP (same PE, same
/// cube, else the SIP's first), or npos when the SIP holds no copy of it.
std::size_t nearest_copy(std::span<const Shard> shards, int part, topo::PeCoord pe);

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

}  // namespace kernbench::rt
