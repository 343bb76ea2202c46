// The element-wise combine ops (sum, prod, max, min) shared by the kernel language's reductions
// and atomics and by the collectives' reductions, so both compute bit-identical results.
//
// Semantics, for every dtype:
//  - integers wrap modulo 2^bits on overflow (sum, prod), like the hardware's adders;
//  - f16 / bf16 combine in f32 and round once to nearest even;
//  - max / min propagate NaN (if either input is NaN the result is NaN), as torch.maximum does;
//  - bool: sum and max are "or", prod and min are "and".
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>

#include "kernbench/base/dtype.h"

namespace kernbench::base {

enum class CombineOp : std::uint8_t { sum, prod, max, min };
inline constexpr std::array<CombineOp, 4> kAllCombineOps{CombineOp::sum, CombineOp::prod,
                                                         CombineOp::max, CombineOp::min};

std::string_view name(CombineOp op);
std::optional<CombineOp> parse_combine_op(std::string_view text);

/// Combines two values of one C++ arithmetic type (the f32 path of f16 / bf16 is combine_into's).
template <typename T>
constexpr T combine(CombineOp op, T a, T b) {
  if constexpr (std::is_same_v<T, bool>) {
    return (op == CombineOp::sum || op == CombineOp::max) ? (a || b) : (a && b);
  } else if constexpr (std::is_floating_point_v<T>) {
    switch (op) {
      case CombineOp::sum: return a + b;
      case CombineOp::prod: return a * b;
      case CombineOp::max: return (std::isnan(a) || std::isnan(b)) ? a + b : (a < b ? b : a);
      case CombineOp::min: return (std::isnan(a) || std::isnan(b)) ? a + b : (b < a ? b : a);
    }
    return a;
  } else {
    using U = std::make_unsigned_t<T>;
    switch (op) {  // unsigned arithmetic: wraps without undefined behaviour
      case CombineOp::sum: return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
      case CombineOp::prod:
        return static_cast<T>(static_cast<std::uint64_t>(static_cast<U>(a)) *
                              static_cast<std::uint64_t>(static_cast<U>(b)));
      case CombineOp::max: return a < b ? b : a;
      case CombineOp::min: return b < a ? b : a;
    }
    return a;
  }
}

/// acc[i] = combine(op, acc[i], in[i]) over raw element bytes of `type`. Both spans hold the
/// same whole number of elements (checked).
void combine_into(DType type, CombineOp op, std::span<std::byte> acc,
                  std::span<const std::byte> in);

}  // namespace kernbench::base

template <>
struct fmt::formatter<kernbench::base::CombineOp> : fmt::formatter<std::string_view> {
  auto format(kernbench::base::CombineOp op, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(kernbench::base::name(op), ctx);
  }
};
