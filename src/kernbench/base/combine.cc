#include "kernbench/base/combine.h"

#include <array>
#include <cstring>

#include "kernbench/base/assert.h"

namespace kernbench::base {
namespace {

constexpr std::array<std::string_view, 4> kOpNames{"sum", "prod", "max", "min"};

template <typename T>
void combine_typed(CombineOp op, std::span<std::byte> acc, std::span<const std::byte> in) {
  const std::size_t n = acc.size() / sizeof(T);
  for (std::size_t i = 0; i < n; ++i) {
    T a, b;
    std::memcpy(&a, acc.data() + i * sizeof(T), sizeof(T));
    std::memcpy(&b, in.data() + i * sizeof(T), sizeof(T));
    const T r = combine(op, a, b);
    std::memcpy(acc.data() + i * sizeof(T), &r, sizeof(T));
  }
}

template <float (*ToF32)(std::uint16_t), std::uint16_t (*FromF32)(float)>
void combine_half(CombineOp op, std::span<std::byte> acc, std::span<const std::byte> in) {
  const std::size_t n = acc.size() / 2;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint16_t a, b;
    std::memcpy(&a, acc.data() + i * 2, 2);
    std::memcpy(&b, in.data() + i * 2, 2);
    const std::uint16_t r = FromF32(combine(op, ToF32(a), ToF32(b)));
    std::memcpy(acc.data() + i * 2, &r, 2);
  }
}

// Bool elements are bytes; any nonzero byte is true (reading them as `bool` would be undefined).
void combine_bool(CombineOp op, std::span<std::byte> acc, std::span<const std::byte> in) {
  for (std::size_t i = 0; i < acc.size(); ++i)
    acc[i] = static_cast<std::byte>(combine(op, acc[i] != std::byte{0}, in[i] != std::byte{0}));
}

}  // namespace

std::string_view name(CombineOp op) { return kOpNames[static_cast<std::size_t>(op)]; }

std::optional<CombineOp> parse_combine_op(std::string_view text) {
  for (std::size_t i = 0; i < kOpNames.size(); ++i)
    if (text == kOpNames[i]) return static_cast<CombineOp>(i);
  return std::nullopt;
}

void combine_into(DType type, CombineOp op, std::span<std::byte> acc,
                  std::span<const std::byte> in) {
  KB_ASSERT(acc.size() == in.size(), "combine over spans of different sizes");
  KB_ASSERT(acc.size() % size_bytes(type) == 0, "combine over a partial element");
  switch (type) {
    case DType::f16: return combine_half<f16_bits_to_f32, f32_to_f16_bits>(op, acc, in);
    case DType::bf16: return combine_half<bf16_bits_to_f32, f32_to_bf16_bits>(op, acc, in);
    case DType::f32: return combine_typed<float>(op, acc, in);
    case DType::f64: return combine_typed<double>(op, acc, in);
    case DType::i8: return combine_typed<std::int8_t>(op, acc, in);
    case DType::i16: return combine_typed<std::int16_t>(op, acc, in);
    case DType::i32: return combine_typed<std::int32_t>(op, acc, in);
    case DType::i64: return combine_typed<std::int64_t>(op, acc, in);
    case DType::u8: return combine_typed<std::uint8_t>(op, acc, in);
    case DType::u16: return combine_typed<std::uint16_t>(op, acc, in);
    case DType::u32: return combine_typed<std::uint32_t>(op, acc, in);
    case DType::boolean: return combine_bool(op, acc, in);
  }
}

}  // namespace kernbench::base
