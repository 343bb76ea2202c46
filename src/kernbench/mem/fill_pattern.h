// A repeating pattern of 1, 2, 4 or 8 bytes (a zero, an f32 1.0, a bf16 -inf ...) that the byte
// store keeps as an extent instead of materializing the bytes it stands for.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "kernbench/base/assert.h"

namespace kernbench::mem {

class FillPattern {
 public:
  /// The pattern of all zero bytes (one byte wide).
  constexpr FillPattern() = default;
  /// The bytes of `value` as it sits in memory (host byte order, which is the simulated one).
  template <typename T>
  requires std::is_trivially_copyable_v<T> &&
      (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8) static FillPattern
      of(const T& value) {
    FillPattern p;
    p.width_ = sizeof(T);
    std::memcpy(p.bytes_.data(), &value, sizeof(T));
    return p;
  }
  /// A pattern of `width` (1, 2, 4 or 8) raw bytes.
  static FillPattern of_bytes(const std::byte* bytes, std::size_t width) {
    KB_ASSERT(width == 1 || width == 2 || width == 4 || width == 8, "fill pattern width 1/2/4/8");
    FillPattern p;
    p.width_ = static_cast<std::uint8_t>(width);
    std::memcpy(p.bytes_.data(), bytes, width);
    return p;
  }

  std::size_t width() const { return width_; }
  /// Byte `i` of the infinite repetition of the pattern.
  std::byte at(std::uint64_t i) const { return bytes_[i % width_]; }
  /// True if every byte is zero (the store keeps zeros as nothing at all).
  bool is_zero() const {
    for (std::size_t i = 0; i < width_; ++i)
      if (bytes_[i] != std::byte{0}) return false;
    return true;
  }
  bool operator==(const FillPattern&) const = default;

 private:
  std::array<std::byte, 8> bytes_{};
  std::uint8_t width_ = 1;
};

}  // namespace kernbench::mem
