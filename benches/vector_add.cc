#include "benches/vector_add.h"

#include <fmt/format.h>

#include "benches/kernel_helpers.h"
#include "benches/kernel_span.h"
#include "benches/numeric_check.h"

#include "kernbench/rt/host_tensor.h"
#include "kernbench/rt/tensor.h"
#include "kernbench/tl/tl.h"

namespace kernbench::benches {

using base::DType;

rt::KernelFn vector_add_kernel(std::int64_t block) {
  return tl::kernel([block](tl::Program& p) {
    using namespace tl;
    const std::int64_t n = p.tensor(2).numel();  // this PE's shard
    const Tile offsets = p.program_id(0) * block + arange(0, block);
    const Tile mask = offsets < n;
    const Tile x = load(p.pointer(0) + offsets, mask);
    const Tile y = load(p.pointer(1) + offsets, mask);
    store(p.pointer(2) + offsets, x + y, mask);
  });
}

std::vector<double> vector_add_reference(std::span<const float> x, std::span<const float> y) {
  std::vector<double> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = static_cast<double>(x[i] + y[i]);
  return out;
}

BenchResult run_vector_add(rt::Session& session, std::int64_t n, Spread spread) {
  constexpr std::int64_t kBlock = 1024;
  const auto size = static_cast<std::size_t>(n);
  const std::vector<float> x = random_values(size, 1, DType::f32);
  const std::vector<float> y = random_values(size, 2, DType::f32);
  const rt::Placement rows = split_rows(spread);
  const rt::Tensor tx = session.from_host(rt::HostTensor::from(x, {n}), rows, "x");
  const rt::Tensor ty = session.from_host(rt::HostTensor::from(y, {n}), rows, "y");
  const rt::Tensor out = session.empty({n}, DType::f32, rows, "out");
  KernelSpan span;
  session.launch(
      span.wrap(vector_add_kernel(kBlock)),
      [](std::span<const rt::KernelArg> args) {
        return rt::Grid{ceil_div(tensor_arg(args, 2).numel(), kBlock)};
      },
      tx, ty, out);
  const CheckResult check = check_close(out.to_host().to_floats(), vector_add_reference(x, y),
                                        {0.0, 0.0});  // one f32 add, exactly rounded both ways
  BenchResult r;
  r.name = "vector_add";
  r.shape = fmt::format("n={} f32", n);
  r.pes = span.pes();
  r.time = span.elapsed();
  r.kind = WorkKind::bytes;
  r.work = 3.0 * static_cast<double>(n) * 4;  // two loads and a store
  r.max_error = check.max_error;
  r.pass = check.pass;
  return r;
}

}  // namespace kernbench::benches
