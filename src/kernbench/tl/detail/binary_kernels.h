// Internal: the element functions of the binary ops, on a dtype's compute type. Integers wrap
// (computed in 64-bit unsigned), never trap: x / 0 gives all ones and x % 0 gives x, and
// MIN / -1 gives MIN (RISC-V's rules); shifts by an amount outside [0, bits) give 0 (or all sign
// bits for an arithmetic right shift). Float min/max ignore a NaN unless asked to propagate it.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace kernbench::tl::detail {

template <class C>
C wrap(std::uint64_t v) {
  return static_cast<C>(v);
}
template <class C>
std::uint64_t widen(C v) {
  return static_cast<std::uint64_t>(
      static_cast<std::conditional_t<std::is_signed_v<C>, std::int64_t, std::uint64_t>>(v));
}

template <class C>
C add(C a, C b) {
  if constexpr (std::is_floating_point_v<C>)
    return a + b;
  else
    return wrap<C>(widen(a) + widen(b));
}
template <class C>
C sub(C a, C b) {
  if constexpr (std::is_floating_point_v<C>)
    return a - b;
  else
    return wrap<C>(widen(a) - widen(b));
}
template <class C>
C mul(C a, C b) {
  if constexpr (std::is_floating_point_v<C>)
    return a * b;
  else
    return wrap<C>(widen(a) * widen(b));
}
template <class C>
C int_div(C a, C b) {  // truncating, toward zero
  if (b == 0) return static_cast<C>(~C{0});
  if constexpr (std::is_signed_v<C>) {
    if (a == std::numeric_limits<C>::min() && b == C{-1}) return a;
  }
  return static_cast<C>(a / b);
}
template <class C>
C int_mod(C a, C b) {  // sign of the dividend
  if (b == 0) return a;
  if constexpr (std::is_signed_v<C>) {
    if (b == C{-1}) return 0;
  }
  return static_cast<C>(a % b);
}
template <class C>
C shl(C a, C b, int bits) {
  if (b < 0 || static_cast<std::int64_t>(b) >= bits) return 0;
  return wrap<C>(widen(a) << static_cast<int>(b));
}
template <class C>
C shr(C a, C b, int bits) {
  if (b < 0 || static_cast<std::int64_t>(b) >= bits)
    return (std::is_signed_v<C> && a < 0) ? C(-1) : C(0);
  return static_cast<C>(a >> static_cast<int>(b));  // arithmetic for signed (C++20), logical else
}
template <class C>
C max_ignore_nan(C a, C b) {
  if constexpr (std::is_floating_point_v<C>) {
    if (std::isnan(a)) return b;
    if (std::isnan(b)) return a;
  }
  return a < b ? b : a;
}
template <class C>
C min_ignore_nan(C a, C b) {
  if constexpr (std::is_floating_point_v<C>) {
    if (std::isnan(a)) return b;
    if (std::isnan(b)) return a;
  }
  return b < a ? b : a;
}
template <class C>
C max_propagate_nan(C a, C b) {
  if constexpr (std::is_floating_point_v<C>) {
    if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<C>::quiet_NaN();
  }
  return a < b ? b : a;
}
template <class C>
C min_propagate_nan(C a, C b) {
  if constexpr (std::is_floating_point_v<C>) {
    if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<C>::quiet_NaN();
  }
  return b < a ? b : a;
}

}  // namespace kernbench::tl::detail
