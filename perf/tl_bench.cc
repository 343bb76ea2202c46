// Functional speed of the kernel language (issue 5, point 17), side by side in one run:
// element-wise ops per element against the plain C++ loop computing the same numbers at tile sizes
// of 1024 and more (target: within 3x; BM_Tile<Op> over BM_PlainLoop<Op>, from
// `--benchmark_filter='PlainLoop|Tile(Add|Mul|Less|Where|SubRows|Exp|To)'`), and `dot` for every
// input dtype against Eigen's f32 GEMM at 128x128x128 (target: within 3x; BM_TileDot/<dtype> over
// BM_EigenGemmF32, from `--benchmark_filter='EigenGemm|TileDot'`). Run with
// `--benchmark_repetitions=5 --benchmark_report_aggregates_only=true` and compare medians of one
// run. Tiles built from constants belong to no program, so nothing is timed or charged: this
// measures the arithmetic alone.
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <Eigen/Core>
#include <benchmark/benchmark.h>

#include "kernbench/tl/tl.h"

namespace kernbench::tl {
namespace {

std::vector<double> ramp(std::int64_t n) {
  std::vector<double> v(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i)
    v[static_cast<std::size_t>(i)] = 0.5 + static_cast<double>(i % 97) / 97;
  return v;
}

// Each element-wise op against the plain loop a C++ programmer would write for the same numbers
// (same inputs, same output dtype, same rounding), one op per element. The ratio BM_Tile<Op> over
// BM_PlainLoop<Op> at one size is the figure of point 17.
template <class Out, class F>
void plain_loop(benchmark::State& state, F f) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<float> a(n), b(n);
  std::vector<std::uint8_t> c(n);
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = 0.5f + static_cast<float>(i % 97) / 97;
    b[i] = 1.5f - static_cast<float>(i % 89) / 89;
    c[i] = static_cast<std::uint8_t>(i % 3 == 0);
  }
  std::vector<Out> out(n);
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i) out[i] = f(a[i], b[i], c[i]);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}

template <class F>
void tile_op(benchmark::State& state, F f, DType dtype = DType::f32) {
  const std::int64_t n = state.range(0);
  std::vector<double> va(static_cast<std::size_t>(n)), vb(va.size()), vc(va.size());
  for (std::size_t i = 0; i < va.size(); ++i) {
    va[i] = 0.5 + static_cast<double>(i % 97) / 97;
    vb[i] = 1.5 - static_cast<double>(i % 89) / 89;
    vc[i] = i % 3 == 0 ? 1 : 0;
  }
  const Tile a = Tile::from_doubles(Shape{n}, dtype, va);
  const Tile b = Tile::from_doubles(Shape{n}, dtype, vb);
  const Tile c = Tile::from_doubles(Shape{n}, DType::boolean, vc);
  for (auto _ : state) {
    Tile out = f(a, b, c);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_PlainLoopAdd(benchmark::State& state) {
  plain_loop<float>(state, [](float x, float y, std::uint8_t) { return x + y; });
}
void BM_TileAdd(benchmark::State& state) {
  tile_op(state, [](const Tile& x, const Tile& y, const Tile&) { return x + y; });
}
BENCHMARK(BM_PlainLoopAdd)->Arg(1024)->Arg(16384)->Arg(262144);
BENCHMARK(BM_TileAdd)->Arg(1024)->Arg(16384)->Arg(262144);

void BM_PlainLoopMul(benchmark::State& state) {
  plain_loop<float>(state, [](float x, float y, std::uint8_t) { return x * y; });
}
void BM_TileMul(benchmark::State& state) {
  tile_op(state, [](const Tile& x, const Tile& y, const Tile&) { return x * y; });
}
// x * 2.5: a weak literal operand, splatted (the common "scale by a constant" line).
void BM_PlainLoopMulScalar(benchmark::State& state) {
  plain_loop<float>(state, [](float x, float, std::uint8_t) { return x * 2.5f; });
}
void BM_TileMulScalar(benchmark::State& state) {
  tile_op(state, [](const Tile& x, const Tile&, const Tile&) { return x * 2.5; });
}
void BM_PlainLoopLess(benchmark::State& state) {
  plain_loop<std::uint8_t>(state, [](float x, float y, std::uint8_t) { return x < y; });
}
void BM_TileLess(benchmark::State& state) {
  tile_op(state, [](const Tile& x, const Tile& y, const Tile&) { return x < y; });
}
void BM_PlainLoopWhere(benchmark::State& state) {
  plain_loop<float>(state, [](float x, float y, std::uint8_t c) { return c != 0 ? x : y; });
}
void BM_TileWhere(benchmark::State& state) {
  tile_op(state, [](const Tile& x, const Tile& y, const Tile& c) { return where(c, x, y); });
}
// x - m[:, None] on a [n / 16, 16] block: a broadcast along rows (softmax, layer norm).
void BM_PlainLoopSubRows(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<float> x(n), m(n / 16), out(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = 0.5f + static_cast<float>(i % 97) / 97;
  for (std::size_t r = 0; r < m.size(); ++r) m[r] = static_cast<float>(r % 7);
  for (auto _ : state) {
    for (std::size_t r = 0; r < m.size(); ++r)
      for (std::size_t c = 0; c < 16; ++c) out[r * 16 + c] = x[r * 16 + c] - m[r];
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
void BM_TileSubRows(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const Tile x = reshape(Tile::from_doubles(Shape{n}, DType::f32, ramp(n)), Shape{n / 16, 16});
  const Tile m = Tile::from_doubles(Shape{n / 16}, DType::f32, ramp(n / 16));
  for (auto _ : state) {
    Tile out = x - m.col();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
}
// f16 + f16, computed in f32 and rounded once, with base's conversions.
void BM_PlainLoopAddF16(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint16_t> a(n), b(n), out(n);
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = base::f32_to_f16_bits(0.5f + static_cast<float>(i % 97) / 97);
    b[i] = base::f32_to_f16_bits(1.5f - static_cast<float>(i % 89) / 89);
  }
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i)
      out[i] = base::f32_to_f16_bits(base::f16_bits_to_f32(a[i]) + base::f16_bits_to_f32(b[i]));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
void BM_TileAddF16(benchmark::State& state) {
  tile_op(
      state, [](const Tile& x, const Tile& y, const Tile&) { return x + y; }, DType::f16);
}
// where(c, x, 0): a weak literal on one side, the usual way to zero masked-out lanes.
void BM_PlainLoopWhereScalar(benchmark::State& state) {
  plain_loop<float>(state, [](float x, float, std::uint8_t c) { return c != 0 ? x : 0.0f; });
}
void BM_TileWhereScalar(benchmark::State& state) {
  tile_op(state, [](const Tile& x, const Tile&, const Tile& c) { return where(c, x, 0.0); });
}
// exp as tl computes it: exactly in double, rounded once to f32.
void BM_PlainLoopExp(benchmark::State& state) {
  plain_loop<float>(state, [](float x, float, std::uint8_t) {
    return static_cast<float>(std::exp(static_cast<double>(x)));
  });
}
void BM_TileExp(benchmark::State& state) {
  tile_op(state, [](const Tile& x, const Tile&, const Tile&) { return exp(x); });
}
// f32 -> f16 rounding to nearest even with base's conversion.
void BM_PlainLoopToF16(benchmark::State& state) {
  plain_loop<std::uint16_t>(state,
                            [](float x, float, std::uint8_t) { return base::f32_to_f16_bits(x); });
}
void BM_TileToF16(benchmark::State& state) {
  tile_op(state, [](const Tile& x, const Tile&, const Tile&) { return x.to(DType::f16); });
}
// f32 -> i32: truncation toward zero, saturating, NaN -> 0 (TRITON.md §2.5).
void BM_PlainLoopToI32(benchmark::State& state) {
  plain_loop<std::int32_t>(state, [](float x, float, std::uint8_t) {
    if (std::isnan(x)) return std::int32_t{0};
    if (x <= -2147483648.0f) return std::numeric_limits<std::int32_t>::min();
    if (x >= 2147483648.0f) return std::numeric_limits<std::int32_t>::max();
    return static_cast<std::int32_t>(x);
  });
}
void BM_TileToI32(benchmark::State& state) {
  tile_op(state, [](const Tile& x, const Tile&, const Tile&) { return x.to(DType::i32); });
}
BENCHMARK(BM_PlainLoopMul)->Arg(1024)->Arg(16384);
BENCHMARK(BM_TileMul)->Arg(1024)->Arg(16384);
BENCHMARK(BM_PlainLoopMulScalar)->Arg(1024)->Arg(16384);
BENCHMARK(BM_TileMulScalar)->Arg(1024)->Arg(16384);
BENCHMARK(BM_PlainLoopLess)->Arg(1024)->Arg(16384);
BENCHMARK(BM_TileLess)->Arg(1024)->Arg(16384);
BENCHMARK(BM_PlainLoopWhere)->Arg(1024)->Arg(16384);
BENCHMARK(BM_TileWhere)->Arg(1024)->Arg(16384);
BENCHMARK(BM_PlainLoopWhereScalar)->Arg(1024)->Arg(16384);
BENCHMARK(BM_TileWhereScalar)->Arg(1024)->Arg(16384);
BENCHMARK(BM_PlainLoopSubRows)->Arg(1024)->Arg(16384);
BENCHMARK(BM_TileSubRows)->Arg(1024)->Arg(16384);
BENCHMARK(BM_PlainLoopAddF16)->Arg(1024)->Arg(16384);
BENCHMARK(BM_TileAddF16)->Arg(1024)->Arg(16384);
BENCHMARK(BM_PlainLoopExp)->Arg(1024)->Arg(16384);
BENCHMARK(BM_TileExp)->Arg(1024)->Arg(16384);
BENCHMARK(BM_PlainLoopToF16)->Arg(1024)->Arg(16384);
BENCHMARK(BM_TileToF16)->Arg(1024)->Arg(16384);
BENCHMARK(BM_PlainLoopToI32)->Arg(1024)->Arg(16384);
BENCHMARK(BM_TileToI32)->Arg(1024)->Arg(16384);

void BM_EigenGemmF32(benchmark::State& state) {
  Eigen::MatrixXf a = Eigen::MatrixXf::Random(128, 128), b = Eigen::MatrixXf::Random(128, 128);
  Eigen::MatrixXf c(128, 128);
  for (auto _ : state) {
    c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
  }
  state.SetItemsProcessed(state.iterations() * 128 * 128 * 128);
}
BENCHMARK(BM_EigenGemmF32);

void BM_TileDot(benchmark::State& state) {
  const auto dtype = static_cast<DType>(state.range(0));
  const std::vector<double> values = ramp(128 * 128);
  const Tile a = Tile::from_doubles(Shape{128, 128}, dtype, values);
  const Tile b = Tile::from_doubles(Shape{128, 128}, dtype, values);
  const DType out = dtype == DType::i8 ? DType::i32 : DType::f32;
  for (auto _ : state) {
    Tile c = dot(a, b, std::nullopt, InputPrecision::ieee, out);
    benchmark::DoNotOptimize(c.data());
  }
  state.SetItemsProcessed(state.iterations() * 128 * 128 * 128);
  state.SetLabel(std::string(base::name(dtype)));
}
BENCHMARK(BM_TileDot)
    ->Arg(static_cast<int>(DType::f16))
    ->Arg(static_cast<int>(DType::bf16))
    ->Arg(static_cast<int>(DType::f32))
    ->Arg(static_cast<int>(DType::i8));

}  // namespace
}  // namespace kernbench::tl
