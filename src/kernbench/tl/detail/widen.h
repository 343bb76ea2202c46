// Internal: f16 and bf16 widened to f32, one by one (every element load, element.h) or in bulk
// (dot's operand panels). Same values as base's conversions to the bit (tests/tl/dot_test.cc
// checks all 65536 encodings of each), but branch-free and inline, so the loops vectorise.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

namespace kernbench::tl::detail {

/// f16 bits to f32: exact for every encoding (subnormals, infinities, NaN payloads).
inline float f16_to_f32(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t magnitude = h & 0x7fffu;
  // Moved into f32's fields, the magnitude reads as the value times 2^-112 (an f16 subnormal
  // becomes an f32 subnormal); scaling by a power of two is exact.
  const std::uint32_t scaled =
      std::bit_cast<std::uint32_t>(std::bit_cast<float>(magnitude << 13) * 0x1p112f);
  const std::uint32_t special = (magnitude << 13) | 0x7f800000u;  // infinity, NaN
  // A mask rather than a branch, so the loop below vectorises.
  const std::uint32_t is_special = 0u - static_cast<std::uint32_t>(magnitude >= 0x7c00u);
  return std::bit_cast<float>((special & is_special) | (scaled & ~is_special) | sign);
}

/// `n` f16 encodings to f32.
inline void f16_to_f32(const std::uint16_t* in, std::size_t n, float* out) {
  for (std::size_t i = 0; i < n; ++i) out[i] = f16_to_f32(in[i]);
}

/// bf16 bits to f32: the high half of an f32 (exact).
inline float bf16_to_f32(std::uint16_t b) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(b) << 16);
}

/// `n` bf16 encodings to f32.
inline void bf16_to_f32(const std::uint16_t* in, std::size_t n, float* out) {
  for (std::size_t i = 0; i < n; ++i) out[i] = bf16_to_f32(in[i]);
}

}  // namespace kernbench::tl::detail
