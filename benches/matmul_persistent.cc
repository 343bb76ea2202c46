#include "benches/matmul_persistent.h"

#include <fmt/format.h>

#include "benches/kernel_helpers.h"
#include "benches/kernel_span.h"
#include "benches/matmul_roofline.h"
#include "benches/numeric_check.h"

#include "kernbench/hw/system.h"
#include "kernbench/rt/host_tensor.h"
#include "kernbench/rt/runtime.h"
#include "kernbench/rt/tensor.h"
#include "kernbench/tl/tl.h"

namespace kernbench::benches {

using base::DType;

rt::KernelFn matmul_persistent_kernel(std::int64_t block_m) {
  return tl::kernel([block_m](tl::Program& p) {
    using namespace tl;
    const std::int64_t m = p.tensor(0).shape[0];  // this PE's rows
    const std::int64_t k = p.tensor(0).shape[1];
    const std::int64_t n = p.tensor(1).shape[1];
    const std::int64_t kp = next_power_of_2(k);
    const std::int64_t np = next_power_of_2(n);
    const Tile b =
        load(make_block_ptr(p.pointer(1), {k, n}, {n, 1}, {0, 0}, {kp, np}, {1, 0}), {0, 1});
    BlockPtr a_block = make_block_ptr(p.pointer(0), {m, k}, {k, 1}, {0, 0}, {block_m, kp}, {1, 0});
    Tile a = load(a_block, {0, 1});
    for (std::int64_t m0 = 0; m0 < m; m0 += block_m) {
      Tile next_a;
      if (m0 + block_m < m) {  // in flight while the matrix unit works on this block
        a_block = advance(a_block, {block_m, 0});
        next_a = load(a_block, {0, 1});
      }
      store(make_block_ptr(p.pointer(2), {m, n}, {n, 1}, {m0, 0}, {block_m, np}, {1, 0}), dot(a, b),
            {0, 1});
      a = next_a;
    }
  });
}

BenchResult run_matmul_persistent(rt::Session& session, MatmulShape shape, Spread spread,
                                  std::int64_t block_m) {
  const std::vector<float> a =
      random_values(static_cast<std::size_t>(shape.m * shape.k), 4, DType::f16);
  const std::vector<float> b =
      random_values(static_cast<std::size_t>(shape.k * shape.n), 5, DType::f16);
  const rt::Tensor ta = session.from_host(
      rt::HostTensor::from_floats(DType::f16, a, {shape.m, shape.k}), split_rows(spread), "a");
  const rt::Tensor tb = session.from_host(
      rt::HostTensor::from_floats(DType::f16, b, {shape.k, shape.n}), copy_per_pe(spread), "b");
  const rt::Tensor tc = session.empty({shape.m, shape.n}, DType::f32, split_rows(spread), "c");
  KernelSpan span;
  session.launch(span.wrap(matmul_persistent_kernel(block_m)), rt::Grid{1}, ta, tb, tc);
  BenchResult r = matmul_result("matmul_persistent", shape, span, tc.to_host().to_floats(), a, b);
  if (r.pes > 0) {
    const std::int64_t local_m = shape.m / r.pes;
    const double bytes = static_cast<double>(local_m * shape.k + shape.k * shape.n) * 2 +
                         static_cast<double>(local_m * shape.n) * 4;
    r.roofline = matmul_roofline(session.runtime().system().spec(), shape, bytes, r.pes);
  }
  return r;
}

}  // namespace kernbench::benches
