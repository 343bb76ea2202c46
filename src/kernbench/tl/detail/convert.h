// Internal: element conversions with one documented rounding each. Float narrowing rounds to
// nearest even exactly once: wider sources are first rounded to odd at f32 precision (exact for the
// final f16/bf16 rounding, since f32 has more than 11 + 2 bits), so no double rounding occurs.
// Float -> int truncates toward zero and saturates (NaN -> 0); int -> int wraps; x -> bool is x !=
// 0.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "kernbench/tl/detail/element.h"
#include "kernbench/tl/dtype_promotion.h"
#include "kernbench/tl/tile.h"

namespace kernbench::tl::detail {

/// double -> float rounded to odd (truncate, then set the last bit if anything was cut off).
inline float to_float_round_odd(double d) {
  float f = static_cast<float>(d);
  if (std::isnan(d) || static_cast<double>(f) == d) return f;
  if (std::fabs(static_cast<double>(f)) > std::fabs(d)) f = std::nextafter(f, 0.0f);
  return std::bit_cast<float>(std::bit_cast<std::uint32_t>(f) | 1u);
}

/// int64 -> double rounded to odd (exact below 2^53; beyond, the cut-off bits become a sticky bit).
inline double to_double_round_odd(std::int64_t v) {
  const bool neg = v < 0;
  std::uint64_t m = neg ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  const int width = 64 - std::countl_zero(m);
  if (width <= 53) return static_cast<double>(v);
  const int shift = width - 53;
  const bool sticky = (m & ((std::uint64_t{1} << shift) - 1)) != 0;
  m = (m >> shift) | (sticky ? 1u : 0u);
  const double mag = std::ldexp(static_cast<double>(m), shift);
  return neg ? -mag : mag;
}

/// Float value `d` (exact as a double) to float dtype D, rounding as asked.
template <class D>
typename D::Storage float_to_float(double d, Rounding rounding) {
  using S = typename D::Storage;
  S r;
  if constexpr (D::kDType == DType::f64) {
    return d;
  } else if constexpr (D::kDType == DType::f32) {
    r = static_cast<float>(d);
  } else {
    r = D::store(to_float_round_odd(d));
  }
  if (rounding == Rounding::rtz && !std::isnan(d)) {
    const double back = static_cast<double>(D::load(r));
    if (std::fabs(back) > std::fabs(d)) {  // rounded away from zero: step one ulp back
      if constexpr (std::is_same_v<S, float>) {
        r = std::nextafter(r, 0.0f);
      } else {
        r = static_cast<S>(r - 1);  // magnitude bits of f16/bf16 are ordered like integers
      }
    }
  }
  return r;
}

/// A compute value `v` (float, double or integer) to dtype D's storage.
template <class D, class V>
typename D::Storage convert(V v, Rounding rounding = Rounding::rtne) {
  using S = typename D::Storage;
  if constexpr (D::kDType == DType::boolean) {
    return v != V{0} ? 1 : 0;
  } else if constexpr (kIsFloat<D>) {
    if constexpr (std::is_same_v<V, float> &&
                  (D::kDType == DType::f16 || D::kDType == DType::bf16)) {
      // A float is exact at f32 precision, so rounding it to nearest even is D's own store (which
      // quiets a NaN as the trip through double would).
      if (rounding == Rounding::rtne) return D::store(v);
      return float_to_float<D>(static_cast<double>(v), rounding);
    } else if constexpr (std::is_floating_point_v<V>) {
      return float_to_float<D>(static_cast<double>(v), rounding);
    } else if constexpr (D::kDType == DType::f64) {
      return static_cast<double>(v);
    } else if constexpr (std::is_same_v<V, std::int64_t>) {
      return float_to_float<D>(to_double_round_odd(v), Rounding::rtne);
    } else {
      return float_to_float<D>(static_cast<double>(v), Rounding::rtne);
    }
  } else if constexpr (std::is_floating_point_v<V>) {
    // Compared before truncating, the same saturation (the bounds are integers, or 2^63), and the
    // conversion truncates by itself: no call to trunc in the loop. A float compares in float:
    // each min is exact there and each max is exact or rounds up to the next power of two with no
    // float in between, so the comparisons decide as they would in double.
    using F = std::conditional_t<std::is_same_v<V, float>, float, double>;
    const F f = static_cast<F>(v);
    if (std::isnan(f)) return 0;
    if (f <= static_cast<F>(std::numeric_limits<S>::min())) return std::numeric_limits<S>::min();
    if (f >= static_cast<F>(std::numeric_limits<S>::max())) return std::numeric_limits<S>::max();
    return static_cast<S>(f);
  } else {
    return static_cast<S>(v);  // modular since C++20
  }
}

/// A weak number as dtype D's storage, converted as a cast would (what `full` fills a tile with).
template <class D>
typename D::Storage convert_weak(const WeakScalar& w) {
  return w.kind == TypeKind::floating ? convert<D>(w.float_value) : convert<D>(w.int_value);
}

}  // namespace kernbench::tl::detail
