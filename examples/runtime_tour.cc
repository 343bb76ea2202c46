// A tour of the runtime (rt): a machine, three tensors with three placements, host data copied
// in, a kernel written directly against ProgramContext (scale-and-add, out = alpha * x + y),
// launched over every shard, the result read back and checked, and the requests' table.
// Exits 0 and prints "runtime tour: OK" when every element matches.
#include <cstring>
#include <iostream>
#include <vector>

#include <fmt/format.h>

#include "kernbench/hw/pe.h"
#include "kernbench/hw/system.h"
#include "kernbench/rt/completion_table.h"
#include "kernbench/rt/runtime.h"
#include "kernbench/sim/process.h"
#include "kernbench/topo/peak_figures.h"
#include "kernbench/topo/topology_loader.h"

namespace {

using namespace kernbench;

// out = alpha * x + y over this PE's shard of `out`. x is split like out; y is one copy per cube
// of the whole vector, so each PE indexes it by its shard's global offset. Elements are read and
// written through the PE's MMU translation and the byte store; the time is one DMA in per input,
// one vector pass and one DMA out, like a real kernel's.
void axpy(rt::ProgramContext& ctx) {
  const rt::TensorArg& x = ctx.tensor(0);
  const rt::TensorArg& y = ctx.tensor(1);
  const rt::TensorArg& out = ctx.tensor(2);
  const double alpha = std::get<double>(ctx.scalar(3).value);
  hw::Pe& pe = ctx.pe();
  auto& bytes = pe.system().bytes();
  const auto n = static_cast<std::size_t>(out.numel());
  const base::Bytes size(n * sizeof(float));
  const base::Bytes y_skip(static_cast<std::uint64_t>(out.global_offset[0]) * sizeof(float));
  const auto pa = [&](mem::VirtAddr va) {
    const auto r = pe.mmu().translate(va);
    ctx.process().wait_until(r.ready);
    return r.translation.pa;
  };
  const mem::PhysAddr tile = pe.system().allocator().allocate_tcm(pe.coord(), size * 2);
  pe.dma_copy(ctx.process(), pa(x.va), tile, size);
  pe.dma_copy(ctx.process(), pa(y.va + y_skip), tile + size, size);
  std::vector<float> a(n), b(n);
  bytes.read(tile, std::as_writable_bytes(std::span(a)));
  bytes.read(tile + size, std::as_writable_bytes(std::span(b)));
  for (std::size_t i = 0; i < n; ++i) a[i] = static_cast<float>(alpha) * a[i] + b[i];
  bytes.write(tile, std::as_bytes(std::span(a)));
  const auto& spec = pe.system().spec();
  const auto lanes = static_cast<std::uint64_t>(topo::vector_lanes(spec, base::DType::f32));
  const base::Cycles cycles((n + lanes - 1) / lanes);  // one multiply-add per lane per cycle
  pe.vector_unit().use(ctx.process(), base::cycles_to_time(cycles, spec.cube.pe.core.clock));
  pe.dma_copy(ctx.process(), tile, pa(out.va), size);
  pe.system().allocator().free(tile);
}

}  // namespace

int main() {
  sim::Engine engine;
  hw::System system(engine, topo::default_topology({"system.sips.count=2"}));
  rt::Runtime runtime(system);
  runtime.kernels().add("axpy", axpy, "out = alpha * x + y (f32)");
  rt::Session& s = runtime.host();

  constexpr std::int64_t kN = 4096;
  // x: split over both SIPs, then over 4 cubes of each, then 2 PEs of each cube (16 shards).
  const rt::Placement split{rt::LevelPlacement::rows(), rt::LevelPlacement::rows(4),
                            rt::LevelPlacement::rows(2)};
  // y: one whole copy in each of the same 8 cubes (the PEs of a cube share their cube's copy).
  const rt::Placement per_cube{
      rt::LevelPlacement::replicate(), rt::LevelPlacement::replicate(4), {}};
  std::vector<float> xs(kN), ys(kN);
  for (std::int64_t i = 0; i < kN; ++i) {
    xs[static_cast<std::size_t>(i)] = static_cast<float>(i);
    ys[static_cast<std::size_t>(i)] = 1.0f / static_cast<float>(i + 1);
  }
  const rt::Tensor x = s.from_host(rt::HostTensor::from(xs, {kN}), split, "x");
  rt::Tensor y = s.empty({kN}, base::DType::f32, per_cube, "y");
  y.copy_(rt::HostTensor::from(ys, {kN}));
  const rt::Tensor out = s.zeros({kN}, base::DType::f32, split, "out");
  // A third placement, for contrast: one small tensor on the device's first PE only.
  const rt::Tensor flag = s.full({1}, 1.0, base::DType::i32, {}, "flag");

  s.launch("axpy", rt::Grid{1}, x, y, out, 2.0);

  const std::vector<float> got = out.to_host().values<float>();
  int wrong = 0;
  for (std::size_t i = 0; i < got.size(); ++i)
    if (got[i] != 2.0f * xs[i] + ys[i]) ++wrong;
  if (flag.to_host().values<std::int32_t>() != std::vector<std::int32_t>{1}) ++wrong;

  fmt::print("x: {} shards, y: {} copies, flag on PE {}\n", x.shards().size(), y.shards().size(),
             flag.shards()[0].pe);
  rt::write_phase_summary(std::cout, system, runtime.records());
  std::cout.flush();
  fmt::print("simulated time {}\n", engine.now());
  if (wrong != 0) {
    fmt::print("runtime tour: {} wrong elements\n", wrong);
    return 1;
  }
  fmt::print("runtime tour: OK\n");
  return 0;
}
