// Triton's type promotion (TRITON.md §4.2-4.4): how a weak C++ literal is typed, and which dtype
// a binary op computes in. Pure functions of dtypes and literal values, shared by every op.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "kernbench/base/dtype.h"

namespace kernbench::tl {

using base::DType;

/// Kinds order bool < integer < floating; signed and unsigned integers are one kind.
enum class TypeKind : std::uint8_t { boolean, integer, floating };

/// A C++ bool / integer / floating value used directly in an op: Triton's weak Python number.
struct WeakScalar {
  TypeKind kind = TypeKind::integer;
  std::int64_t int_value = 0;  // bool and integer
  double float_value = 0.0;    // floating
};

/// The kind of a dtype.
TypeKind kind_of(DType t);
/// The dtype a weak scalar takes when it must be materialised alone (§4.2): bool -> bool; int ->
/// i32, u32 or i64 by range; float -> f32 when representable in f32's normal range (or 0, inf,
/// NaN), else f64.
DType materialized_type(const WeakScalar& w);
/// Integer promotion (§4.3 rule 6): same signedness -> wider; mixed -> the unsigned type if it is
/// at least as wide, else the signed one. Bool counts as the narrowest signed integer.
DType integer_promote(DType a, DType b);
/// §4.3 rules 1-6 for two typed operands. `div_or_mod` is true for /, // and %. SemanticError
/// naming `op` on mixed signedness for div/mod.
DType computation_type(DType a, DType b, bool div_or_mod, std::string_view op);
/// §4.3 rule 0: the computation type of a weak scalar with a typed operand `other`, or nullopt
/// when the weak value has a higher kind (then it is materialised and rules 1-6 apply). Checks the
/// weak value fits (SemanticError naming `op`: negative with unsigned, out of an integer's range).
std::optional<DType> weak_computation_type(const WeakScalar& w, DType other, bool div_or_mod,
                                           std::string_view op);
/// Whether `w` is representable in integer dtype `t` (bool: 0 or 1).
bool fits_integer(const WeakScalar& w, DType t);

}  // namespace kernbench::tl
