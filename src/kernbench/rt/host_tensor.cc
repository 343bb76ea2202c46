#include "kernbench/rt/host_tensor.h"

#include <fmt/format.h>

#include "kernbench/base/error.h"

namespace kernbench::rt {
namespace {

// Calls f(whole_byte_offset, packed_byte_offset, run_bytes) for each contiguous row of the box.
template <typename F>
void for_each_row(std::span<const std::int64_t> shape, std::span<const std::int64_t> offset,
                  std::span<const std::int64_t> box, std::size_t element_bytes, F f) {
  if (numel(box) == 0) return;
  const Shape strides = row_major_strides(shape);
  const std::size_t nd = shape.size();
  const std::int64_t row = nd == 0 ? 1 : box[nd - 1];
  Shape index(nd, 0);  // position within the box; the last dimension stays 0
  for (std::int64_t packed = 0;; packed += row) {
    std::int64_t element = 0;
    for (std::size_t i = 0; i < nd; ++i) element += (offset[i] + index[i]) * strides[i];
    f(static_cast<std::size_t>(element) * element_bytes,
      static_cast<std::size_t>(packed) * element_bytes,
      static_cast<std::size_t>(row) * element_bytes);
    std::size_t d = nd == 0 ? 0 : nd - 1;  // odometer over the leading dimensions
    while (d > 0 && ++index[d - 1] == box[d - 1]) index[--d] = 0;
    if (d == 0) return;
  }
}

}  // namespace

HostTensor::HostTensor(base::DType dtype, Shape shape, std::vector<std::byte> bytes)
    : dtype_(dtype), shape_(std::move(shape)), bytes_(std::move(bytes)) {
  check_shape("<host>", shape_);
  const auto expected = static_cast<std::size_t>(rt::numel(shape_)) * base::size_bytes(dtype_);
  if (bytes_.size() != expected)
    throw base::ShapeError(fmt::format("host data of shape {} and dtype {} needs {} bytes, got {}",
                                       to_string(shape_), dtype_, expected, bytes_.size()));
}

HostTensor HostTensor::zeros(base::DType dtype, Shape shape) {
  check_shape("<host>", shape);
  const auto n = static_cast<std::size_t>(rt::numel(shape)) * base::size_bytes(dtype);
  return HostTensor(dtype, std::move(shape), std::vector<std::byte>(n));
}

HostTensor HostTensor::from_floats(base::DType dtype, std::span<const float> values, Shape shape) {
  std::vector<std::byte> bytes(values.size() * base::size_bytes(dtype));
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::byte* out = bytes.data() + i * base::size_bytes(dtype);
    if (dtype == base::DType::f16 || dtype == base::DType::bf16) {
      const std::uint16_t bits = dtype == base::DType::f16 ? base::f32_to_f16_bits(values[i])
                                                           : base::f32_to_bf16_bits(values[i]);
      std::memcpy(out, &bits, 2);
    } else if (dtype == base::DType::f32) {
      std::memcpy(out, &values[i], 4);
    } else if (dtype == base::DType::f64) {
      const double d = values[i];
      std::memcpy(out, &d, 8);
    } else {
      throw base::ShapeError(fmt::format("from_floats: {} is not a floating dtype", dtype));
    }
  }
  return HostTensor(dtype, std::move(shape), std::move(bytes));
}

std::vector<float> HostTensor::to_floats() const {
  if (!base::is_floating(dtype_))
    throw base::ShapeError(fmt::format("to_floats: host data is {}, not a floating dtype", dtype_));
  const std::size_t width = base::size_bytes(dtype_);
  std::vector<float> out(bytes_.size() / width);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::byte* in = bytes_.data() + i * width;
    if (width == 2) {
      std::uint16_t bits;
      std::memcpy(&bits, in, 2);
      out[i] =
          dtype_ == base::DType::f16 ? base::f16_bits_to_f32(bits) : base::bf16_bits_to_f32(bits);
    } else if (width == 4) {
      std::memcpy(&out[i], in, 4);
    } else {
      double d;
      std::memcpy(&d, in, 8);
      out[i] = static_cast<float>(d);
    }
  }
  return out;
}

void HostTensor::check_dtype(base::DType wanted) const {
  if (wanted != dtype_)
    throw base::ShapeError(fmt::format("host data is {}, read as {}", dtype_, wanted));
}

std::array<std::byte, 8> encode_element(double value, base::DType dtype) {
  using base::DType;
  std::array<std::byte, 8> b{};
  const auto put = [&b](auto v) { std::memcpy(b.data(), &v, sizeof(v)); };
  const auto i = static_cast<std::int64_t>(value);
  switch (dtype) {
    case DType::f16: put(base::f32_to_f16_bits(static_cast<float>(value))); break;
    case DType::bf16: put(base::f32_to_bf16_bits(static_cast<float>(value))); break;
    case DType::f32: put(static_cast<float>(value)); break;
    case DType::f64: put(value); break;
    case DType::i8: put(static_cast<std::int8_t>(i)); break;
    case DType::i16: put(static_cast<std::int16_t>(i)); break;
    case DType::i32: put(static_cast<std::int32_t>(i)); break;
    case DType::i64: put(i); break;
    case DType::u8: put(static_cast<std::uint8_t>(i)); break;
    case DType::u16: put(static_cast<std::uint16_t>(i)); break;
    case DType::u32: put(static_cast<std::uint32_t>(i)); break;
    case DType::boolean: put(static_cast<std::uint8_t>(value != 0.0)); break;
  }
  return b;
}

std::vector<std::byte> extract_box(std::span<const std::byte> whole,
                                   std::span<const std::int64_t> shape,
                                   std::span<const std::int64_t> offset,
                                   std::span<const std::int64_t> box, std::size_t element_bytes) {
  std::vector<std::byte> packed(static_cast<std::size_t>(numel(box)) * element_bytes);
  for_each_row(shape, offset, box, element_bytes, [&](std::size_t w, std::size_t p, std::size_t n) {
    std::memcpy(packed.data() + p, whole.data() + w, n);
  });
  return packed;
}

void insert_box(std::span<std::byte> whole, std::span<const std::int64_t> shape,
                std::span<const std::int64_t> offset, std::span<const std::int64_t> box,
                std::span<const std::byte> packed, std::size_t element_bytes) {
  for_each_row(shape, offset, box, element_bytes, [&](std::size_t w, std::size_t p, std::size_t n) {
    std::memcpy(whole.data() + w, packed.data() + p, n);
  });
}

}  // namespace kernbench::rt
