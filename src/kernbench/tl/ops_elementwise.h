// Element-wise operators and functions (TRITON.md §2.3) with Triton's broadcasting (§4.5) and
// promotion (§4.3-4.4): operands are tiles or weak C++ numbers. C++ has one `/`: on two integer
// operands it is Triton's `//` (truncating), otherwise Triton's `/`; truediv / floordiv are
// explicit.
#pragma once

#include <cstdint>

#include "kernbench/tl/operand.h"
#include "kernbench/tl/tile.h"

namespace kernbench::tl {

enum class BinaryOp : std::uint8_t {
  add,
  sub,
  mul,
  div,
  truediv,
  floordiv,
  mod,  // div: `//` on integers, truediv otherwise
  bit_and,
  bit_or,
  bit_xor,
  shl,
  shr,
  lt,
  le,
  gt,
  ge,
  eq,
  ne,
  minimum,
  maximum,
  minimum_nan,
  maximum_nan,  // *_nan: propagate_nan=ALL
};

/// NaN handling of minimum / maximum: NONE ignores a NaN operand (Triton's default), ALL returns
/// NaN.
enum class PropagateNan : std::uint8_t { none, all };

/// The generic binary op: promotion, broadcasting, then one typed loop.
Tile binary(BinaryOp op, const Operand& a, const Operand& b);

Tile operator+(const Operand& a, const Operand& b);
Tile operator-(const Operand& a, const Operand& b);
Tile operator*(const Operand& a, const Operand& b);
Tile operator/(const Operand& a, const Operand& b);
Tile operator%(const Operand& a, const Operand& b);
Tile operator&(const Operand& a, const Operand& b);
Tile operator|(const Operand& a, const Operand& b);
Tile operator^(const Operand& a, const Operand& b);
Tile operator<<(const Operand& a, const Operand& b);
Tile operator>>(const Operand& a, const Operand& b);
Tile operator<(const Operand& a, const Operand& b);
Tile operator<=(const Operand& a, const Operand& b);
Tile operator>(const Operand& a, const Operand& b);
Tile operator>=(const Operand& a, const Operand& b);
Tile operator==(const Operand& a, const Operand& b);
Tile operator!=(const Operand& a, const Operand& b);
/// -x = 0 - x in x's dtype (pointers rejected).
Tile operator-(const Tile& x);
Tile operator+(const Tile& x);
/// Bitwise not (integers and bool).
Tile operator~(const Tile& x);
/// Logical not: x == 0, as bool.
Tile operator!(const Tile& x);

/// Compound assignment rebinds the name, as in Python: the dtype may change by promotion.
Tile& operator+=(Tile& a, const Operand& b);
Tile& operator-=(Tile& a, const Operand& b);
Tile& operator*=(Tile& a, const Operand& b);
Tile& operator/=(Tile& a, const Operand& b);
Tile& operator%=(Tile& a, const Operand& b);
Tile& operator&=(Tile& a, const Operand& b);
Tile& operator|=(Tile& a, const Operand& b);

/// Triton's `/`: ints -> f32, f16/bf16 -> f32, float/float -> the wider.
Tile truediv(const Operand& a, const Operand& b);
/// Triton's `//`: integers only, truncating toward zero.
Tile floordiv(const Operand& a, const Operand& b);
/// Element-wise minimum / maximum; bf16 operands compute in f32 (TRITON.md §4.4).
Tile minimum(const Operand& a, const Operand& b, PropagateNan nan = PropagateNan::none);
Tile maximum(const Operand& a, const Operand& b, PropagateNan nan = PropagateNan::none);
/// minimum(maximum(x, lo), hi) for floats.
Tile clamp(const Operand& x, const Operand& lo, const Operand& hi,
           PropagateNan nan = PropagateNan::none);
/// Both sides are evaluated; cond is cast to bool; x, y promote together (pointers allowed).
Tile where(const Operand& cond, const Operand& x, const Operand& y);
/// x * y + z with one rounding (floats); pairwise promotion.
Tile fma(const Operand& x, const Operand& y, const Operand& z);
/// (x + d - 1) / d, truncating: the number of blocks of d covering x.
Tile cdiv(const Operand& x, const Operand& d);
/// Host / constexpr form on plain integers.
constexpr std::int64_t cdiv(std::int64_t x, std::int64_t d) { return (x + d - 1) / d; }
/// Bitwise logical and / or after casting both to bool.
Tile logical_and(const Operand& a, const Operand& b);
Tile logical_or(const Operand& a, const Operand& b);

}  // namespace kernbench::tl
