// load and store through pointer tiles (TRITON.md §2.8): each active lane's virtual address goes
// through the program's PE MMU to wherever the bytes live. Masked-out lanes are never touched nor
// checked; an active lane outside every mapping is an AddressError naming kernel, program, PE,
// op, lane and VA.
#pragma once

#include "kernbench/tl/operand.h"
#include "kernbench/tl/tile.h"

namespace kernbench::tl {

/// Every lane loaded.
Tile load(const Tile& ptr);
/// Lanes where `mask` is false read as 0 (TRITON.md §5: the interpreter's zeros, pinned).
Tile load(const Tile& ptr, const Tile& mask);
/// Lanes where `mask` is false read as `other`, cast to the pointee dtype.
Tile load(const Tile& ptr, const Tile& mask, const Operand& other);
/// Every lane stored; `value` broadcasts (same rank) and is cast to the pointee dtype.
void store(const Tile& ptr, const Operand& value);
/// Only lanes where `mask` is true are written.
void store(const Tile& ptr, const Operand& value, const Tile& mask);

}  // namespace kernbench::tl
