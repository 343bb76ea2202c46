// A user's own bench program: one kernel in the kernel language, a bench that runs it on every PE
// of cube 0 and checks it, and the kernbench command line over it (run, list, sweep, --json,
// --trace, --report ...). Built against the installed package (see CMakeLists.txt).
#include <vector>

#include "benches/bench_machine.h"
#include "benches/kernel_helpers.h"
#include "benches/kernel_span.h"
#include "benches/numeric_check.h"

#include "kernbench/bench_main.h"
#include "kernbench/rt/host_tensor.h"
#include "kernbench/rt/tensor.h"
#include "kernbench/tl/tl.h"

using namespace kernbench;

namespace {

constexpr std::int64_t kBlock = 256;

// out = 2 * x + 1, one program per block of the PE's shard.
rt::KernelFn axpb_kernel() {
  return tl::kernel([](tl::Program& p) {
    using namespace tl;
    const std::int64_t n = p.tensor(0).numel();
    const Tile offsets = p.program_id(0) * kBlock + arange(0, kBlock);
    const Tile x = load(p.pointer(0) + offsets, offsets < n);
    store(p.pointer(1) + offsets, x * 2.0 + 1.0, offsets < n);
  });
}

report::BenchRecord axpb_bench(const benches::BenchContext& context) {
  benches::BenchMachine machine(context);
  rt::Session& session = machine.session();
  const std::int64_t n = 8 * 4096;
  const rt::Placement rows{{}, {}, rt::LevelPlacement::rows()};  // cube 0's PEs
  const std::vector<float> x = benches::random_values(n, 1, base::DType::f32);
  const rt::Tensor tx = session.from_host(rt::HostTensor::from(x, {n}), rows, "x");
  const rt::Tensor out = session.empty({n}, base::DType::f32, rows, "out");
  benches::KernelSpan span;
  session.launch(
      span.wrap(axpb_kernel()),
      [](std::span<const rt::KernelArg> args) {
        return rt::Grid{benches::ceil_div(benches::tensor_arg(args, 0).numel(), kBlock)};
      },
      tx, out);
  std::vector<double> want(x.begin(), x.end());
  for (double& v : want) v = 2 * v + 1;
  benches::BenchResult r;
  r.name = "axpb";
  r.kernel = "axpb";
  r.shape = "n=32768 f32";
  r.pes = span.pes();
  r.start = span.start();
  r.time = span.elapsed();
  r.bytes = 2.0 * n * 4;
  const benches::Tolerance exact{0, 0};
  r.check = context.timing_only()
                ? benches::not_checked()
                : benches::check_record(
                      benches::check_close(out.to_host().to_floats(), want, exact), exact);
  return machine.record(r);
}

}  // namespace

int main(int argc, char** argv) {
  benches::BenchRegistry registry;
  registry.add({"axpb", "out = 2 x + 1 on the PEs of cube 0 (a user's bench)", axpb_bench});
  return bench_main(argc, argv, registry);
}
