#include "kernbench/tl/dot.h"

#include <bit>
#include <vector>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/tl/detail/charge.h"
#include "kernbench/tl/detail/element.h"
#include "kernbench/tl/semantic_error.h"

namespace kernbench::tl {

namespace {

DType result_dtype(const Tile& a, DType out_dtype) {
  switch (a.dtype()) {
    case DType::i8: return DType::i32;
    case DType::f32:
    case DType::bf16: return DType::f32;
    case DType::f16:
      if (out_dtype != DType::f32 && out_dtype != DType::f16)
        throw SemanticError(
            fmt::format("dot: out_dtype of an f16 product must be f32 or f16, "
                        "got {}",
                        out_dtype));
      return out_dtype;
    default:
      throw SemanticError(fmt::format("dot: operand dtype {} is not one of f16, bf16, f32, i8 ({})",
                                      a.dtype(), a.describe()));
  }
}

float tf32(float v) {  // keep 10 mantissa bits, round to nearest even
  if (std::isnan(v) || std::isinf(v)) return v;
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(v);
  const std::uint32_t rounded = (bits + 0xFFFu + ((bits >> 13) & 1u)) & ~0x1FFFu;
  return std::bit_cast<float>(rounded);
}

// Operand elements widened to the accumulation type (float or int32), row-major.
template <class Acc>
std::vector<Acc> widen(const Tile& t, bool to_tf32) {
  std::vector<Acc> v(static_cast<std::size_t>(t.numel()));
  detail::dispatch(t.dtype(), [&](auto e) {
    using E = decltype(e);
    const auto* in = reinterpret_cast<const typename E::Storage*>(t.data());
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<Acc>(E::load(in[i]));
  });
  if constexpr (std::is_same_v<Acc, float>) {
    if (to_tf32)
      for (float& x : v) x = tf32(x);
  }
  return v;
}

template <class Acc>
void multiply(const std::vector<Acc>& a, const std::vector<Acc>& b, std::vector<Acc>& c,
              std::int64_t batch, std::int64_t m, std::int64_t n, std::int64_t k) {
  for (std::int64_t z = 0; z < batch; ++z)
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t p = 0; p < k; ++p) {  // i-p-j order: contiguous rows of b and c
        const Acc x = a[static_cast<std::size_t>((z * m + i) * k + p)];
        const Acc* brow = &b[static_cast<std::size_t>((z * k + p) * n)];
        Acc* crow = &c[static_cast<std::size_t>((z * m + i) * n)];
        for (std::int64_t j = 0; j < n; ++j) {
          if constexpr (std::is_same_v<Acc, float>) {
            crow[j] += x * brow[j];
          } else {  // i8 products fit i32; the sum wraps like the hardware's adders
            crow[j] = static_cast<Acc>(static_cast<std::uint32_t>(crow[j]) +
                                       static_cast<std::uint32_t>(x * brow[j]));
          }
        }
      }
}

void check_shapes(const Tile& a, const Tile& b) {
  const bool ranks = (a.rank() == 2 || a.rank() == 3) && a.rank() == b.rank();
  const int r = a.rank();
  if (!ranks || a.shape()[r - 1] != b.shape()[r - 2] || (r == 3 && a.shape()[0] != b.shape()[0]))
    throw base::ShapeError(
        fmt::format("dot: cannot multiply {} by {} (need (M,K)@(K,N) or (B,M,K)@(B,K,N))",
                    a.describe(), b.describe()));
  if (a.dtype() != b.dtype() || a.is_pointer() || b.is_pointer())
    throw SemanticError(fmt::format("dot: operands must share one dtype, got {} and {}",
                                    a.describe(), b.describe()));
}

}  // namespace

Tile dot(const Tile& a, const Tile& b, const std::optional<Tile>& acc, InputPrecision precision,
         DType out_dtype) {
  check_shapes(a, b);
  const DType r = result_dtype(a, out_dtype);
  const int rank = a.rank();
  const std::int64_t batch = rank == 3 ? a.shape()[0] : 1, m = a.shape()[rank - 2],
                     k = a.shape()[rank - 1], n = b.shape()[rank - 1];
  const Shape shape = rank == 3 ? Shape{batch, m, n} : Shape{m, n};
  if (acc && (acc->dtype() != r || !(acc->shape() == shape) || acc->is_pointer()))
    throw SemanticError(fmt::format("dot: acc must be {}{}, got {}", r, shape, acc->describe()));
  Program* program = detail::program_of(a, &b, acc ? &*acc : nullptr);
  const bool to_tf32 = precision == InputPrecision::tf32 && a.dtype() == DType::f32;
  Tile out = [&] {
    if (a.dtype() == DType::i8) {
      std::vector<std::int32_t> c =
          acc ? widen<std::int32_t>(*acc, false)
              : std::vector<std::int32_t>(static_cast<std::size_t>(shape.numel()));
      multiply(widen<std::int32_t>(a, false), widen<std::int32_t>(b, false), c, batch, m, n, k);
      std::vector<std::int64_t> v(c.begin(), c.end());
      return Tile::from_ints(shape, r, v);
    }
    std::vector<float> c = acc ? widen<float>(*acc, false)
                               : std::vector<float>(static_cast<std::size_t>(shape.numel()));
    multiply(widen<float>(a, to_tf32), widen<float>(b, to_tf32), c, batch, m, n, k);
    std::vector<double> v(c.begin(), c.end());
    return Tile::from_doubles(shape, r, v);
  }();
  detail::charge_matrix(program, a.dtype(), batch, m, n, k);
  return out.with_program(program);
}

}  // namespace kernbench::tl
