// Internal: what load, store, the atomics and block pointers share — the pointer's program, the
// mask broadcast to the pointer's shape, and the active lanes planned into translated runs.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "kernbench/tl/dma_request.h"
#include "kernbench/tl/operand.h"
#include "kernbench/tl/tile.h"

namespace kernbench::tl::detail {

/// The program a pointer tile came from; SemanticError for a non-pointer or program-less tile.
Program& program_of_pointer(const Tile& ptr, const char* op);
/// The mask as a bool tile of the pointer's shape (same-rank broadcast), or nullopt for "all".
std::optional<Tile> mask_for(const Tile* mask, const Tile& ptr, const char* op);
/// The active lanes grouped into maximal address-contiguous runs that each sit in one mapping,
/// translated; first_lane[r] is the lane run r starts in. Throws AddressError for the first
/// active lane outside every mapping.
std::vector<DmaRun> plan_runs(Program& program, const Tile& ptr, const std::optional<Tile>& mask,
                              const char* op, std::vector<std::int64_t>& first_lane);

/// load for `program` (which the pointer tile need not carry: block pointers build theirs
/// outside any program so their addresses take no TCM).
Tile load_lanes(Program& program, const Tile& ptr, const Tile* mask, const Operand* other);
/// store for `program`, as load_lanes.
void store_lanes(Program& program, const Tile& ptr, const Operand& value, const Tile* mask);

}  // namespace kernbench::tl::detail
