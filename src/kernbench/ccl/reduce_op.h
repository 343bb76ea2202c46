// The reduction a bench asks of all_reduce: the combine ops of base plus avg, which is a sum
// followed by a division of every element by the group's size (on each rank's PE).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "kernbench/base/combine.h"
#include "kernbench/base/dtype.h"

namespace kernbench::ccl {

enum class ReduceOp : std::uint8_t { sum, prod, max, min, avg };

/// "sum", "prod", "max", "min", "avg".
std::string_view name(ReduceOp op);
/// The combine op the ring runs: avg sums.
base::CombineOp combine_op(ReduceOp op);
/// Divides every element of `data` (dtype elements) by `divisor`: integers truncate toward zero,
/// floats divide in their type (f16 / bf16 in f64, rounded once to nearest even); booleans stay.
void divide_elements(std::span<std::byte> data, base::DType dtype, int divisor);

}  // namespace kernbench::ccl
