// The home-HBM-slice rule (DESIGN.md): which slices of its cube a PE allocates from, for any ratio
// of slices S to PEs P. PEs are numbered corner by corner and slices are laid out around the same
// corners in the same order, so a PE's home slices sit at (or next to) its own corner.
#pragma once

#include "kernbench/topo/topology_spec.h"

namespace kernbench::topo {

/// A PE's home slices: [first, first + count) within its cube.
struct HomeSlices {
  int first = 0;
  int count = 1;
  bool contains(int slice) const { return slice >= first && slice < first + count; }
  auto operator<=>(const HomeSlices&) const = default;
};

/// PE p's home slices: [floor(p*S/P), max(floor(p*S/P) + 1, floor((p+1)*S/P))).
/// One each when S == P; S/P each when S > P; one shared by P/S PEs when S < P.
HomeSlices home_hbm_slices(const TopologySpec& spec, int pe);
/// The corner PE `pe` (index within its cube) sits at: corners[pe / pe_per_corner].
Corner pe_corner(const TopologySpec& spec, int pe);
/// The corner HBM slice `slice` sits at: corners[floor(slice * C / S)] with C corners.
Corner slice_corner(const TopologySpec& spec, int slice);

}  // namespace kernbench::topo
