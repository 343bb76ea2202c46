// Matrix product on the matrix unit (TRITON.md §2.7): (M,K)@(K,N) or batched (B,M,K)@(B,K,N).
// Operands share one dtype among f16, bf16, f32, i8. Result: i8 -> i32; f32 and bf16 -> f32;
// f16 -> out_dtype (f32 default, or f16). acc, if given, has exactly the result's dtype and shape.
#pragma once

#include <optional>

#include "kernbench/tl/tile.h"

namespace kernbench::tl {

/// f32 input precision. ieee: exact f32 products (the default here: no tf32 on AHBM's matrix
/// unit); tf32: operands rounded to 10 mantissa bits (nearest even) first, as NVIDIA's default.
enum class InputPrecision : std::uint8_t { ieee, tf32 };

/// The optional arguments of dot by name: `dot(a, b, {.acc = c, .out_dtype = DType::f16})`.
struct DotOptions {
  std::optional<Tile> acc = std::nullopt;
  InputPrecision input_precision = InputPrecision::ieee;
  DType out_dtype = DType::f32;
};

Tile dot(const Tile& a, const Tile& b, const DotOptions& options);

/// acc + a @ b, accumulated in f32 (i32 for i8) in k order, rounded once to the result dtype.
Tile dot(const Tile& a, const Tile& b, const std::optional<Tile>& acc = {},
         InputPrecision precision = InputPrecision::ieee, DType out_dtype = DType::f32);

}  // namespace kernbench::tl
