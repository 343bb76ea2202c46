// Data-parallel placement (the previous tool's DPPolicy): per level -- SIP, cube, PE -- replicate
// or split by rows / columns over `count` units of the current device, from its first or a chosen
// one. Resolution is hierarchical: the tensor over SIPs, each SIP's part over its cubes, each
// cube's part over its PEs.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "kernbench/base/dtype.h"
#include "kernbench/base/units.h"
#include "kernbench/rt/device.h"
#include "kernbench/rt/shape.h"
#include "kernbench/topo/coord.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::rt {

/// How one level shares what it receives: a copy per unit, or a slice of dimension 0 (rows) or
/// of the last dimension (columns) per unit. For a 1-D tensor both splits cut dimension 0.
enum class Split : std::uint8_t { replicate, rows, columns };

/// One level's policy. `count` units take part (0: every unit of the device from `first` on),
/// units `first`, `first` + 1 ... by their index in the machine (SIP), in the SIP (cube) or in the
/// cube (PE); `first` -1 is the device's first unit at that level. The default -- one unit,
/// replicate -- keeps the level out of the way.
struct LevelPlacement {
  Split split = Split::replicate;
  int count = 1;
  int first = -1;

  static constexpr LevelPlacement replicate(int count = 0) { return {Split::replicate, count}; }
  static constexpr LevelPlacement rows(int count = 0) { return {Split::rows, count}; }
  static constexpr LevelPlacement columns(int count = 0) { return {Split::columns, count}; }
  /// Unit `index` alone.
  static constexpr LevelPlacement at(int index) { return {Split::replicate, 1, index}; }
  constexpr bool operator==(const LevelPlacement&) const = default;
};

/// A whole placement; Placement{} puts one copy on the device's first PE.
struct Placement {
  LevelPlacement sip;
  LevelPlacement cube;
  LevelPlacement pe;
  /// One copy on `pe` (which must lie in the current device).
  static constexpr Placement at(topo::PeCoord pe) {
    return {LevelPlacement::at(pe.sip), LevelPlacement::at(pe.cube), LevelPlacement::at(pe.pe)};
  }
  constexpr bool operator==(const Placement&) const = default;
};

/// One piece of a tensor on one PE. Replicas of the same piece share `part`.
struct Shard {
  topo::PeCoord pe;
  int part = 0;             // index of the distinct piece, in order of first appearance
  Shape global_offset;      // where the piece starts in the whole tensor
  Shape shape;              // the piece's extents (row-major, contiguous on its PE)
  base::Bytes byte_offset;  // of the piece's first element in the whole row-major tensor
  base::Bytes size;         // bytes of the piece
  bool operator==(const Shard&) const = default;
};

/// The shards of `tensor` (`shape`, `dtype`) placed over `device` (the current device) of
/// `spec`, in (sip, cube, pe) order. ShapeError when a dimension does not divide (naming the
/// tensor, dimension, size and parts) or the placement asks for units the device does not have.
std::vector<Shard> resolve_placement(const Placement& placement, std::string_view tensor,
                                     const Shape& shape, base::DType dtype,
                                     const topo::TopologySpec& spec, Device device);

/// Number of distinct parts among `shards` (1 + the largest part index; 0 if none).
int part_count(std::span<const Shard> shards);

std::string_view name(Split split);

}  // namespace kernbench::rt

/// Prints "rows(4)", "replicate(all)", "replicate(1 from 3)".
template <>
struct fmt::formatter<kernbench::rt::LevelPlacement> : fmt::formatter<std::string_view> {
  auto format(const kernbench::rt::LevelPlacement& l, format_context& ctx) const {
    auto out = fmt::format_to(ctx.out(), "{}(", kernbench::rt::name(l.split));
    out = l.count == 0 ? fmt::format_to(out, "all") : fmt::format_to(out, "{}", l.count);
    if (l.first != -1) out = fmt::format_to(out, " from {}", l.first);
    return fmt::format_to(out, ")");
  }
};
/// Prints "sip replicate(1), cube rows(all), pe columns(2)".
template <>
struct fmt::formatter<kernbench::rt::Placement> : fmt::formatter<std::string_view> {
  auto format(const kernbench::rt::Placement& p, format_context& ctx) const {
    return fmt::format_to(ctx.out(), "sip {}, cube {}, pe {}", p.sip, p.cube, p.pe);
  }
};
