#include "kernbench/tl/dtype_promotion.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "kernbench/tl/semantic_error.h"

namespace kernbench::tl {

namespace {
int bits(DType t) { return t == DType::boolean ? 1 : static_cast<int>(base::size_bytes(t) * 8); }
bool is_unsigned(DType t) { return base::is_unsigned_integer(t); }
}  // namespace

TypeKind kind_of(DType t) {
  if (t == DType::boolean) return TypeKind::boolean;
  return base::is_floating(t) ? TypeKind::floating : TypeKind::integer;
}

DType materialized_type(const WeakScalar& w) {
  switch (w.kind) {
    case TypeKind::boolean: return DType::boolean;
    case TypeKind::integer: {
      const std::int64_t v = w.int_value;
      if (v >= std::numeric_limits<std::int32_t>::min() &&
          v <= std::numeric_limits<std::int32_t>::max())
        return DType::i32;
      if (v > 0 && v <= std::numeric_limits<std::uint32_t>::max()) return DType::u32;
      return DType::i64;
    }
    case TypeKind::floating: {
      const double a = std::fabs(w.float_value);
      const bool f32_ok = std::isnan(a) || std::isinf(a) || a == 0.0 ||
                          (a >= std::ldexp(1.0, -126) && a <= std::numeric_limits<float>::max());
      return f32_ok ? DType::f32 : DType::f64;
    }
  }
  return DType::i32;
}

DType integer_promote(DType a, DType b) {
  if (a == b) return a;
  const int ba = bits(a), bb = bits(b);
  if (is_unsigned(a) == is_unsigned(b)) return ba >= bb ? a : b;
  const DType u = is_unsigned(a) ? a : b, s = is_unsigned(a) ? b : a;
  return bits(u) >= bits(s) ? u : s;
}

DType computation_type(DType a, DType b, bool div_or_mod, std::string_view op) {
  const auto either = [&](DType t) { return a == t || b == t; };
  if (either(DType::f64)) return DType::f64;                            // rule 1
  if (either(DType::f32)) return DType::f32;                            // rule 2
  if (either(DType::f16)) return div_or_mod ? DType::f32 : DType::f16;  // rule 3
  if (a == DType::bf16 && b == DType::bf16) return div_or_mod ? DType::f32 : DType::bf16;
  if (either(DType::bf16)) return DType::f32;  // rule 4
  if (div_or_mod && is_unsigned(a) != is_unsigned(b) && a != DType::boolean && b != DType::boolean)
    throw SemanticError(fmt::format(
        "{}: cannot use {} and {} together: integer division and modulo need operands of one "
        "signedness (TRITON.md §4.3 rule 6)",
        op, a, b));
  return integer_promote(a, b);  // rule 6
}

bool fits_integer(const WeakScalar& w, DType t) {
  const std::int64_t v = w.int_value;
  if (t == DType::boolean) return v == 0 || v == 1;
  if (t == DType::i64) return true;
  const int b = bits(t);
  if (is_unsigned(t)) return v >= 0 && (b >= 64 || v < (std::int64_t{1} << b));
  return v >= -(std::int64_t{1} << (b - 1)) && v < (std::int64_t{1} << (b - 1));
}

std::optional<DType> weak_computation_type(const WeakScalar& w, DType other, bool div_or_mod,
                                           std::string_view op) {
  if (w.kind > kind_of(other)) return std::nullopt;
  DType r = other;
  if (div_or_mod && (other == DType::f16 || other == DType::bf16)) r = DType::f32;
  if (kind_of(r) != TypeKind::floating && w.kind != TypeKind::floating) {
    if (is_unsigned(r) && w.int_value < 0)
      throw SemanticError(fmt::format(
          "{}: the literal {} is negative but the other operand is unsigned {} (TRITON.md §4.3 "
          "rule 0)",
          op, w.int_value, other));
    if (w.kind == TypeKind::integer && !fits_integer(w, r))
      throw SemanticError(
          fmt::format("{}: the literal {} is out of the range of {} (TRITON.md §4.3 rule 0)", op,
                      w.int_value, r));
  }
  return r;
}

}  // namespace kernbench::tl
