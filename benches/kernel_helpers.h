// Small integer helpers the benches' kernels and grids share (Triton's cdiv and
// next_power_of_2, and reading a tensor argument in a grid function).
#pragma once

#include <cstdint>
#include <span>
#include <variant>

#include "kernbench/rt/kernel_args.h"

namespace kernbench::benches {

/// ceil(a / b) for positive b.
constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

/// The smallest power of two >= n (1 for n <= 1), as triton.next_power_of_2.
constexpr std::int64_t next_power_of_2(std::int64_t n) {
  std::int64_t p = 1;
  while (p < n) p *= 2;
  return p;
}

/// Tensor argument `i` of a launch, as a grid function sees it (its local shard).
inline const rt::TensorArg& tensor_arg(std::span<const rt::KernelArg> args, std::size_t i) {
  return std::get<rt::TensorArg>(args[i]);
}

}  // namespace kernbench::benches
