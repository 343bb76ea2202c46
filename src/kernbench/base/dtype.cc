#include "kernbench/base/dtype.h"

#include <bit>
#include <cmath>

namespace kernbench::base {
namespace {

struct DTypeName {
  DType type;
  std::string_view name;
  std::string_view long_name;
};
constexpr std::array<DTypeName, 12> kNames{{
    {DType::f16, "f16", "float16"},
    {DType::bf16, "bf16", "bfloat16"},
    {DType::f32, "f32", "float32"},
    {DType::f64, "f64", "float64"},
    {DType::i8, "i8", "int8"},
    {DType::i16, "i16", "int16"},
    {DType::i32, "i32", "int32"},
    {DType::i64, "i64", "int64"},
    {DType::u8, "u8", "uint8"},
    {DType::u16, "u16", "uint16"},
    {DType::u32, "u32", "uint32"},
    {DType::boolean, "bool", "int1"},
}};

// Rounds `value >> shift` to nearest, ties to even.
std::uint32_t shift_round_even(std::uint32_t value, unsigned shift) {
  const std::uint32_t kept = value >> shift;
  const std::uint32_t rest = value & ((1u << shift) - 1);
  const std::uint32_t half = 1u << (shift - 1);
  return kept + ((rest > half || (rest == half && (kept & 1u))) ? 1u : 0u);
}

}  // namespace

std::string_view name(DType t) { return kNames[static_cast<std::size_t>(t)].name; }

std::optional<DType> parse_dtype(std::string_view text) {
  for (const auto& n : kNames)
    if (text == n.name || text == n.long_name) return n.type;
  return std::nullopt;
}

std::uint16_t f32_to_f16_bits(float value) {
  const std::uint32_t x = std::bit_cast<std::uint32_t>(value);
  const auto sign = static_cast<std::uint16_t>((x >> 16) & 0x8000u);
  const std::uint32_t abs = x & 0x7fffffffu;
  if (abs > 0x7f800000u)  // NaN: keep the top payload bits, force quiet
    return static_cast<std::uint16_t>(sign | 0x7e00u | ((abs >> 13) & 0x3ffu));
  if (abs >= 0x477ff000u)  // >= 65520 (halfway past the largest finite 65504) or infinity
    return static_cast<std::uint16_t>(sign | 0x7c00u);
  if (abs >= 0x38800000u)  // normal in f16: rebias the exponent 127 -> 15, round 13 bits away
    return static_cast<std::uint16_t>(sign | shift_round_even(abs - 0x38000000u, 13));
  if (abs <= 0x33000000u)  // at most 2^-25, half the smallest subnormal: ties to even give zero
    return sign;
  // Subnormal in f16: value / 2^-24 with the implicit bit made explicit.
  const std::uint32_t exponent = abs >> 23;
  const std::uint32_t mantissa = (abs & 0x7fffffu) | 0x800000u;
  return static_cast<std::uint16_t>(sign | shift_round_even(mantissa, 126 - exponent));
}

float f16_bits_to_f32(std::uint16_t bits) {
  const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
  const std::uint32_t exponent = (bits >> 10) & 0x1fu;
  const std::uint32_t mantissa = bits & 0x3ffu;
  if (exponent == 0x1f) return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
  if (exponent == 0) {
    const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -magnitude : magnitude;
  }
  return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

std::uint16_t f32_to_bf16_bits(float value) {
  const std::uint32_t x = std::bit_cast<std::uint32_t>(value);
  if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<std::uint16_t>((x >> 16) | 0x0040u);
  // Adding 0x7fff plus the lowest kept bit rounds to nearest even; a carry into the exponent
  // is the correct result (up to infinity).
  const std::uint32_t rounding = 0x7fffu + ((x >> 16) & 1u);
  return static_cast<std::uint16_t>((x + rounding) >> 16);
}

float bf16_bits_to_f32(std::uint16_t bits) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16);
}

}  // namespace kernbench::base
