#include "kernbench/tl/dot.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/tl/detail/charge.h"
#include "kernbench/tl/detail/widen.h"
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

// An operand as f32 values, row-major: an f32 tile's own buffer, else its elements converted
// once (every f16, bf16 and i8 value is exact in f32).
class Panel {
 public:
  Panel(const Tile& t, bool to_tf32) {
    const std::size_t n = static_cast<std::size_t>(t.numel());
    if (t.dtype() == DType::f32 && !to_tf32) {
      data_ = reinterpret_cast<const float*>(t.data());
      return;
    }
    owned_.resize(n);
    const std::byte* raw = t.data();
    switch (t.dtype()) {
      case DType::f16:
        detail::f16_to_f32(reinterpret_cast<const std::uint16_t*>(raw), n, owned_.data());
        break;
      case DType::bf16:
        detail::bf16_to_f32(reinterpret_cast<const std::uint16_t*>(raw), n, owned_.data());
        break;
      case DType::i8: {
        const auto* in = reinterpret_cast<const std::int8_t*>(raw);
        for (std::size_t i = 0; i < n; ++i) owned_[i] = static_cast<float>(in[i]);
        break;
      }
      default: {  // f32 rounded to tf32
        const auto* in = reinterpret_cast<const float*>(raw);
        for (std::size_t i = 0; i < n; ++i) owned_[i] = tf32(in[i]);
      }
    }
    data_ = owned_.data();
  }
  const float* data() const { return data_; }

 private:
  const float* data_ = nullptr;
  std::vector<float> owned_;
};

// Four f32 lanes (GCC/Clang vector extension): the SIMD width every x86-64 and AArch64 target
// has, so the block below is vector code at any optimisation level and ISA.
using F32x4 = float __attribute__((vector_size(16)));

F32x4 load4(const float* p) {
  F32x4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

void store4(float* p, F32x4 v) { std::memcpy(p, &v, sizeof v); }

// A row-major (m, k) @ (k, n) product added into c, one batch. Every c element sums its products
// in k order, each product rounded then added (this file is compiled with -ffp-contract=off, so
// never fused), so the result is the i-k-j loop's to the bit. Speed comes from keeping an R x W
// block of c in registers over the whole k, W / 4 vectors per row.
struct Gemm {
  const float* a;
  const float* b;
  float* c;
  std::int64_t m, n, k;
  std::int64_t lda, ldb, ldc;  // row strides in elements

  template <int R, int W>
  void block(std::int64_t i, std::int64_t j) const {
    constexpr int kVectors = W / 4;
    F32x4 acc[R][kVectors];
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
      for (int v = 0; v < kVectors; ++v) acc[r][v] = load4(c + (i + r) * ldc + j + 4 * v);
    for (std::int64_t p = 0; p < k; ++p) {
      F32x4 brow[kVectors];
#pragma GCC unroll 8
      for (int v = 0; v < kVectors; ++v) brow[v] = load4(b + p * ldb + j + 4 * v);
#pragma GCC unroll 8
      for (int r = 0; r < R; ++r) {
        const float x = a[(i + r) * lda + p];
        const F32x4 xs = {x, x, x, x};
#pragma GCC unroll 8
        for (int v = 0; v < kVectors; ++v) acc[r][v] += xs * brow[v];
      }
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
      for (int v = 0; v < kVectors; ++v) store4(c + (i + r) * ldc + j + 4 * v, acc[r][v]);
  }

  // Rows [i, i + rows) and columns [j, n), element by element (the ragged right edge).
  void edge(std::int64_t i, std::int64_t rows, std::int64_t j) const {
    for (std::int64_t r = i; r < i + rows; ++r)
      for (std::int64_t q = j; q < n; ++q) {
        float sum = c[r * ldc + q];
        for (std::int64_t p = 0; p < k; ++p) sum += a[r * lda + p] * b[p * ldb + q];
        c[r * ldc + q] = sum;
      }
  }

  // Rows [i, i + R): 16 columns at a time, then one 8- and one 4-wide block for narrow
  // remainders, then element by element.
  template <int R>
  void rows(std::int64_t i) const {
    std::int64_t j = 0;
    for (; j + 16 <= n; j += 16) block<R, 16>(i, j);
    if (j + 8 <= n) {
      block<R, 8>(i, j);
      j += 8;
    }
    if (j + 4 <= n) {
      block<R, 4>(i, j);
      j += 4;
    }
    edge(i, R, j);
  }

  void run() const {
    std::int64_t i = 0;
    for (; i + 4 <= m; i += 4) rows<4>(i);
    for (; i < m; ++i) rows<1>(i);
  }
};

// acc + a @ b over every batch, in f32.
void multiply_f32(const Panel& a, const Panel& b, float* c, std::int64_t batch, std::int64_t m,
                  std::int64_t n, std::int64_t k) {
  for (std::int64_t z = 0; z < batch; ++z)
    Gemm{a.data() + z * m * k, b.data() + z * k * n, c + z * m * n, m, n, k, k, n, n}.run();
}

// acc + a @ b for i8 operands, wrapping in i32 like the hardware's adders. The products (at
// most 2^14 in magnitude) are summed in f32 over runs of kExactRun k steps, whose partial sums
// stay within 2^24 and so are exact integers; each run's sum is then added to c in i32. Integer
// addition being associative modulo 2^32, this is the k-ordered i32 sum to the bit.
void multiply_i8(const Panel& a, const Panel& b, std::int32_t* c, std::int64_t batch,
                 std::int64_t m, std::int64_t n, std::int64_t k) {
  constexpr std::int64_t kExactRun = 1024;  // 1024 * 2^14 = 2^24
  std::vector<float> part(static_cast<std::size_t>(m * n));
  for (std::int64_t z = 0; z < batch; ++z)
    for (std::int64_t p0 = 0; p0 < k; p0 += kExactRun) {
      std::fill(part.begin(), part.end(), 0.0f);
      const std::int64_t run = std::min(kExactRun, k - p0);
      Gemm{a.data() + z * m * k + p0, b.data() + (z * k + p0) * n, part.data(), m, n, run, k, n, n}
          .run();
      std::int32_t* cz = c + z * m * n;
      for (std::size_t i = 0; i < part.size(); ++i)
        cz[i] = static_cast<std::int32_t>(
            static_cast<std::uint32_t>(cz[i]) +
            static_cast<std::uint32_t>(static_cast<std::int32_t>(part[i])));
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
  if (!a.has_data() || !b.has_data() || (acc && !acc->has_data())) {
    a.wait_filled();  // in the order the product reads them
    b.wait_filled();
    if (acc) acc->wait_filled();
    Tile out = Tile::dataless(shape, r);
    detail::charge_matrix(program, a.dtype(), batch, m, n, k);
    return out.with_program(program);
  }
  const bool to_tf32 = precision == InputPrecision::tf32 && a.dtype() == DType::f32;
  const Panel pa(a, to_tf32), pb(b, to_tf32);
  Tile out(shape, r);  // zeros, or acc's values below
  if (acc)
    std::memcpy(out.mutable_data(), acc->data(),
                static_cast<std::size_t>(out.numel()) * out.element_bytes());
  if (r == DType::i32) {
    multiply_i8(pa, pb, reinterpret_cast<std::int32_t*>(out.mutable_data()), batch, m, n, k);
  } else if (r == DType::f32) {
    multiply_f32(pa, pb, reinterpret_cast<float*>(out.mutable_data()), batch, m, n, k);
  } else {  // f16 result: accumulate in f32, round once at the end
    std::vector<float> c(static_cast<std::size_t>(shape.numel()));
    auto* bits = reinterpret_cast<std::uint16_t*>(out.mutable_data());
    detail::f16_to_f32(bits, c.size(), c.data());
    multiply_f32(pa, pb, c.data(), batch, m, n, k);
    for (std::size_t i = 0; i < c.size(); ++i) bits[i] = base::f32_to_f16_bits(c[i]);
  }
  detail::charge_matrix(program, a.dtype(), batch, m, n, k);
  return out.with_program(program);
}

Tile dot(const Tile& a, const Tile& b, const DotOptions& options) {
  return dot(a, b, options.acc, options.input_precision, options.out_dtype);
}

}  // namespace kernbench::tl
