// Atomic read-modify-writes through pointer tiles (TRITON.md §2.8): each returns the old values.
// Ordering: an atomic takes effect at the instant its program issues it, in global simulated
// time (ties in the engine's FIFO order), so atomics of all PEs are linearizable in that order;
// the lanes of one call apply in row-major order (a repeated address sees the earlier lanes).
// Every atomic acts as acq_rel at system scope, at least as strong as any `sem`/`scope` Triton
// accepts, so none is taken. The combine is base::combine's (shared with the collectives).
#pragma once

#include "kernbench/tl/operand.h"
#include "kernbench/tl/tile.h"

namespace kernbench::tl {

/// *p += val per active lane; returns the old values. Pointee dtypes as Triton 3.3's type checks:
/// add f16, f32, f64, i32, i64, u8, u16, u32; max, min, xchg the same without f16; cas any 16-,
/// 32- or 64-bit element. Others are a SemanticError listing the accepted ones.
Tile atomic_add(const Tile& ptr, const Operand& val);
Tile atomic_add(const Tile& ptr, const Operand& val, const Tile& mask);
/// *p = max(*p, val) per active lane (NaN propagates, as base::combine); returns the old values.
Tile atomic_max(const Tile& ptr, const Operand& val);
Tile atomic_max(const Tile& ptr, const Operand& val, const Tile& mask);
/// *p = min(*p, val) per active lane (NaN propagates); returns the old values.
Tile atomic_min(const Tile& ptr, const Operand& val);
Tile atomic_min(const Tile& ptr, const Operand& val, const Tile& mask);
/// *p = val per active lane; returns the old values.
Tile atomic_xchg(const Tile& ptr, const Operand& val);
Tile atomic_xchg(const Tile& ptr, const Operand& val, const Tile& mask);
/// *p = val where the old bits equal cmp's (bitwise, as hardware compares); returns the old values.
Tile atomic_cas(const Tile& ptr, const Operand& cmp, const Operand& val);

}  // namespace kernbench::tl
