#include "kernbench/ccl/reduce_op.h"

#include <cstring>

namespace kernbench::ccl {
namespace {

template <typename T>
void divide_as(std::span<std::byte> data, int divisor) {
  for (std::size_t i = 0; i + sizeof(T) <= data.size(); i += sizeof(T)) {
    T v;
    std::memcpy(&v, data.data() + i, sizeof v);
    v = static_cast<T>(v / static_cast<T>(divisor));
    std::memcpy(data.data() + i, &v, sizeof v);
  }
}

// f16 / bf16: widen to f32 (exact), divide in f64, round once to the 16-bit format.
template <std::uint16_t (*Encode)(float), float (*Decode)(std::uint16_t)>
void divide_half(std::span<std::byte> data, int divisor) {
  for (std::size_t i = 0; i + 2 <= data.size(); i += 2) {
    std::uint16_t bits;
    std::memcpy(&bits, data.data() + i, 2);
    const double q = static_cast<double>(Decode(bits)) / divisor;
    bits = Encode(static_cast<float>(q));
    std::memcpy(data.data() + i, &bits, 2);
  }
}

}  // namespace

std::string_view name(ReduceOp op) {
  switch (op) {
    case ReduceOp::sum: return "sum";
    case ReduceOp::prod: return "prod";
    case ReduceOp::max: return "max";
    case ReduceOp::min: return "min";
    case ReduceOp::avg: return "avg";
  }
  return "?";
}

base::CombineOp combine_op(ReduceOp op) {
  switch (op) {
    case ReduceOp::prod: return base::CombineOp::prod;
    case ReduceOp::max: return base::CombineOp::max;
    case ReduceOp::min: return base::CombineOp::min;
    case ReduceOp::sum:
    case ReduceOp::avg: break;
  }
  return base::CombineOp::sum;
}

void divide_elements(std::span<std::byte> data, base::DType dtype, int divisor) {
  using base::DType;
  switch (dtype) {
    case DType::f16:
      return divide_half<base::f32_to_f16_bits, base::f16_bits_to_f32>(data, divisor);
    case DType::bf16:
      return divide_half<base::f32_to_bf16_bits, base::bf16_bits_to_f32>(data, divisor);
    case DType::f32: return divide_as<float>(data, divisor);
    case DType::f64: return divide_as<double>(data, divisor);
    case DType::i8: return divide_as<std::int8_t>(data, divisor);
    case DType::i16: return divide_as<std::int16_t>(data, divisor);
    case DType::i32: return divide_as<std::int32_t>(data, divisor);
    case DType::i64: return divide_as<std::int64_t>(data, divisor);
    case DType::u8: return divide_as<std::uint8_t>(data, divisor);
    case DType::u16: return divide_as<std::uint16_t>(data, divisor);
    case DType::u32: return divide_as<std::uint32_t>(data, divisor);
    case DType::boolean: return;  // the sum of booleans is their logical or; avg leaves it
  }
}

}  // namespace kernbench::ccl
