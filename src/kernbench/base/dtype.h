// The one element-type enum shared by tensors, kernels and collectives, with sizes, names and the
// f16 / bf16 conversions (round to nearest, ties to even).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include <fmt/format.h>

namespace kernbench::base {

enum class DType : std::uint8_t { f16, bf16, f32, f64, i8, i16, i32, i64, u8, u16, u32, boolean };

/// Every dtype, in declaration order (for tests and listings).
inline constexpr std::array<DType, 12> kAllDTypes{
    DType::f16, DType::bf16, DType::f32, DType::f64, DType::i8,  DType::i16,
    DType::i32, DType::i64,  DType::u8,  DType::u16, DType::u32, DType::boolean};

/// Bytes per element (bool takes one byte).
constexpr std::size_t size_bytes(DType t) {
  switch (t) {
    case DType::f16:
    case DType::bf16:
    case DType::i16:
    case DType::u16: return 2;
    case DType::f32:
    case DType::i32:
    case DType::u32: return 4;
    case DType::f64:
    case DType::i64: return 8;
    case DType::i8:
    case DType::u8:
    case DType::boolean: return 1;
  }
  return 0;
}

constexpr bool is_floating(DType t) {
  return t == DType::f16 || t == DType::bf16 || t == DType::f32 || t == DType::f64;
}
constexpr bool is_signed_integer(DType t) {
  return t == DType::i8 || t == DType::i16 || t == DType::i32 || t == DType::i64;
}
constexpr bool is_unsigned_integer(DType t) {
  return t == DType::u8 || t == DType::u16 || t == DType::u32;
}

/// The name users write: "f16", "bf16", ..., "bool".
std::string_view name(DType t);
/// Parses a name (also the long forms "float16", "bfloat16", "float32", "int32", ...).
std::optional<DType> parse_dtype(std::string_view text);

/// f32 -> f16 bits, round to nearest even; overflow gives infinity, NaN stays a (quiet) NaN.
std::uint16_t f32_to_f16_bits(float value);
/// f16 bits -> f32 (exact).
float f16_bits_to_f32(std::uint16_t bits);
/// f32 -> bf16 bits, round to nearest even; NaN stays a (quiet) NaN.
std::uint16_t f32_to_bf16_bits(float value);
/// bf16 bits -> f32 (exact).
float bf16_bits_to_f32(std::uint16_t bits);

}  // namespace kernbench::base

template <>
struct fmt::formatter<kernbench::base::DType> : fmt::formatter<std::string_view> {
  auto format(kernbench::base::DType t, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(kernbench::base::name(t), ctx);
  }
};
