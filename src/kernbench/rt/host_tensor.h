// Tensor data on the host: dtype, shape and the row-major bytes. What copy_ takes and to_host
// returns; typed views check the dtype, so host data of the wrong type is caught, not
// reinterpreted.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "kernbench/base/dtype.h"
#include "kernbench/rt/shape.h"

namespace kernbench::rt {

/// The dtype a C++ element type stands for (f16 and bf16 have none: use from_floats or bytes).
template <typename T>
constexpr base::DType dtype_of() {
  using base::DType;
  if constexpr (std::is_same_v<T, bool>)
    return DType::boolean;
  else if constexpr (std::is_same_v<T, float>)
    return DType::f32;
  else if constexpr (std::is_same_v<T, double>)
    return DType::f64;
  else if constexpr (std::is_same_v<T, std::int8_t>)
    return DType::i8;
  else if constexpr (std::is_same_v<T, std::int16_t>)
    return DType::i16;
  else if constexpr (std::is_same_v<T, std::int32_t>)
    return DType::i32;
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return DType::i64;
  else if constexpr (std::is_same_v<T, std::uint8_t>)
    return DType::u8;
  else if constexpr (std::is_same_v<T, std::uint16_t>)
    return DType::u16;
  else if constexpr (std::is_same_v<T, std::uint32_t>)
    return DType::u32;
  else
    static_assert(sizeof(T) == 0, "no DType for this element type");
}

class HostTensor {
 public:
  /// Raw row-major bytes; ShapeError unless their size is numel(shape) * size_bytes(dtype).
  HostTensor(base::DType dtype, Shape shape, std::vector<std::byte> bytes);
  /// All-zero data.
  static HostTensor zeros(base::DType dtype, Shape shape);
  /// Copies typed values; the dtype follows T (float -> f32, std::int32_t -> i32, bool -> bool).
  template <typename T>
  static HostTensor from(std::span<const T> values, Shape shape) {
    std::vector<std::byte> bytes(values.size() * sizeof(T));
    if (!bytes.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
    return HostTensor(dtype_of<T>(), std::move(shape), std::move(bytes));
  }
  template <typename T>
  static HostTensor from(const std::vector<T>& values, Shape shape) {
    return from(std::span<const T>(values), std::move(shape));
  }
  /// Converts floats to a floating dtype (f16 / bf16 round to nearest even).
  static HostTensor from_floats(base::DType dtype, std::span<const float> values, Shape shape);

  /// The elements as T; ShapeError if T does not match the dtype.
  template <typename T>
  std::vector<T> values() const {
    check_dtype(dtype_of<T>());
    std::vector<T> out(bytes_.size() / sizeof(T));
    if (!out.empty()) std::memcpy(out.data(), bytes_.data(), bytes_.size());
    return out;
  }
  /// The elements of a floating dtype as floats (f64 rounds); ShapeError for other dtypes.
  std::vector<float> to_floats() const;

  base::DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  std::int64_t numel() const { return rt::numel(shape_); }
  std::span<const std::byte> bytes() const { return bytes_; }
  std::span<std::byte> bytes() { return bytes_; }
  bool operator==(const HostTensor&) const = default;

 private:
  void check_dtype(base::DType wanted) const;

  base::DType dtype_;
  Shape shape_;
  std::vector<std::byte> bytes_;
};

/// `value` as one element of `dtype`, in its first size_bytes(dtype) bytes: integers truncate
/// toward zero (then wrap to the width), f16 / bf16 round to nearest even, bool is value != 0.
std::array<std::byte, 8> encode_element(double value, base::DType dtype);

/// The packed row-major bytes of the box (`offset`, `box`) of a row-major `whole` tensor.
std::vector<std::byte> extract_box(std::span<const std::byte> whole,
                                   std::span<const std::int64_t> shape,
                                   std::span<const std::int64_t> offset,
                                   std::span<const std::int64_t> box, std::size_t element_bytes);
/// Writes packed row-major bytes `packed` into the box (`offset`, `box`) of `whole`.
void insert_box(std::span<std::byte> whole, std::span<const std::int64_t> shape,
                std::span<const std::int64_t> offset, std::span<const std::int64_t> box,
                std::span<const std::byte> packed, std::size_t element_bytes);

}  // namespace kernbench::rt
