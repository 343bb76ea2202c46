#include "benches/matmul_persistent.h"

#include <algorithm>

#include <fmt/format.h>

#include "benches/kernel_helpers.h"
#include "benches/kernel_span.h"

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
                                  std::int64_t block_m, DataMode data) {
  const MatmulOperands o = matmul_operands(session, shape, spread, data);
  KernelSpan span;
  session.launch(span.wrap(matmul_persistent_kernel(block_m)), rt::Grid{1}, o.a, o.b, o.c);
  // A, B and C once per PE.
  const std::int64_t local_m = shape.m / std::max(span.pes(), 1);
  const double bytes = static_cast<double>(local_m * shape.k + shape.k * shape.n) * 2 +
                       static_cast<double>(local_m * shape.n) * 4;
  BenchResult r =
      matmul_result("matmul_persistent", shape, span, session.runtime().system().spec(), bytes);
  r.check = matmul_check(o, shape);
  return r;
}

}  // namespace kernbench::benches
