#include "benches/vector_add.h"

#include <fmt/format.h>

#include "benches/kernel_helpers.h"
#include "benches/kernel_span.h"
#include "benches/numeric_check.h"
#include "benches/peaks.h"

#include "kernbench/hw/system.h"
#include "kernbench/rt/host_tensor.h"
#include "kernbench/rt/runtime.h"
#include "kernbench/rt/tensor.h"
#include "kernbench/tl/tl.h"

namespace kernbench::benches {

using base::DType;

rt::KernelFn vector_add_kernel(std::int64_t block) {
  using tl::Pointer;
  return tl::kernel([block](tl::Program& p, Pointer x_ptr, Pointer y_ptr, Pointer out_ptr) {
    using namespace tl;
    const std::int64_t n = out_ptr.arg().numel();  // this PE's shard
    const Tile offsets = p.program_id(0) * block + arange(0, block);
    const Tile mask = offsets < n;
    const Tile x = load(x_ptr + offsets, mask);
    const Tile y = load(y_ptr + offsets, mask);
    store(out_ptr + offsets, x + y, mask);
  });
}

std::vector<double> vector_add_reference(std::span<const float> x, std::span<const float> y) {
  std::vector<double> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = static_cast<double>(x[i] + y[i]);
  return out;
}

BenchResult run_vector_add(rt::Session& session, std::int64_t n, Spread spread, DataMode data) {
  constexpr std::int64_t kBlock = 1024;
  const bool checked = data == DataMode::checked;
  const auto size = static_cast<std::size_t>(n);
  const std::vector<float> x = checked ? random_values(size, 1, DType::f32) : std::vector<float>{};
  const std::vector<float> y = checked ? random_values(size, 2, DType::f32) : std::vector<float>{};
  const rt::Placement rows = split_rows(spread);
  const auto input = [&](const std::vector<float>& values, const char* name) {
    return checked ? session.from_host(rt::HostTensor::from(values, {n}), rows, name)
                   : session.empty({n}, DType::f32, rows, name);
  };
  const rt::Tensor tx = input(x, "x");
  const rt::Tensor ty = input(y, "y");
  const rt::Tensor out = session.empty({n}, DType::f32, rows, "out");
  KernelSpan span;
  session.launch(
      span.wrap(vector_add_kernel(kBlock)),
      [](std::span<const rt::KernelArg> args) {
        return rt::Grid{ceil_div(tensor_arg(args, 2).numel(), kBlock)};
      },
      tx, ty, out);
  BenchResult r;
  r.name = "vector_add";
  r.kernel = "vector_add";
  r.shape = fmt::format("n={} f32", n);
  r.pes = span.pes();
  r.start = span.start();
  r.time = span.elapsed();
  r.bytes = 3.0 * static_cast<double>(n) * 4;  // two loads and a store
  r.peak_bytes_per_second = hbm_share(session.runtime().system().spec(), r.pes);
  constexpr Tolerance kExact{0.0, 0.0};  // one f32 add, exactly rounded both ways
  r.check =
      checked
          ? check_record(check_close(out.to_host().to_floats(), vector_add_reference(x, y), kExact),
                         kExact)
          : not_checked();
  return r;
}

}  // namespace kernbench::benches
