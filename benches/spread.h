// How far a bench spreads over the machine: one PE, the PEs of one cube, or every PE of every cube
// of one SIP. Row-split tensors cut dimension 0 at the cube and PE levels; shared operands
// (weights, keys) get one copy per PE so every read stays local.
#pragma once

#include <string_view>

#include "kernbench/rt/placement.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::benches {

enum class Spread { pe, cube, sip };

/// "one PE", "one cube", "one SIP".
std::string_view name(Spread spread);
/// Dimension 0 split over the spread's cubes and PEs.
rt::Placement split_rows(Spread spread);
/// A whole copy on every PE of the spread.
rt::Placement copy_per_pe(Spread spread);
/// PEs the spread covers on `spec` (the number of row parts).
int pes_of(const topo::TopologySpec& spec, Spread spread);

}  // namespace kernbench::benches
