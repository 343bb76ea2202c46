// Functional speed of the kernel language (issue 5, point 17), side by side in one run:
// element-wise ops per element against a plain C++ loop at tile sizes of 1024 and more (target:
// within 3x), and `dot` for every input dtype against Eigen's f32 GEMM at 128x128x128 (target:
// within 3x). Tiles built from constants belong to no program, so nothing is timed or charged:
// this measures the arithmetic alone. The dot figure is BM_TileDot/<dtype> over BM_EigenGemmF32,
// from `kernbench_perf --benchmark_filter='EigenGemm|TileDot' --benchmark_repetitions=5`.
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

void BM_PlainLoopAdd(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<float> a(n, 1.5f), b(n, 2.5f), out(n);  // one op per element, as BM_TileAdd
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i) out[i] = a[i] + b[i];
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_PlainLoopAdd)->Arg(1024)->Arg(16384)->Arg(262144);

void BM_TileAdd(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const Tile a = Tile::from_doubles(Shape{n}, DType::f32, ramp(n));
  const Tile b = Tile::from_doubles(Shape{n}, DType::f32, ramp(n));
  for (auto _ : state) {
    Tile out = a + b;
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_TileAdd)->Arg(1024)->Arg(16384)->Arg(262144);

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
