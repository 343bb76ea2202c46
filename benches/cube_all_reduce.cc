#include "benches/cube_all_reduce.h"

#include <algorithm>

#include <fmt/format.h>

#include "benches/numeric_check.h"

#include "kernbench/base/error.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/collective.h"
#include "kernbench/hw/system.h"
#include "kernbench/rt/host_tensor.h"
#include "kernbench/rt/runtime.h"
#include "kernbench/rt/tensor.h"

namespace kernbench::benches {

using base::DType;

namespace {

constexpr int kValues = 5;  // rank r's element i is (r + i) % kValues: sums stay exact in f32

float value(std::int64_t rank, std::int64_t i) { return static_cast<float>((rank + i) % kValues); }

// A ring over the given PEs, in order, with the buffer and chunk size of `settings`.
ccl::InstallPlan cube_ring(const topo::TopologySpec& spec, std::vector<topo::PeCoord> pes,
                           const ccl::AlgorithmEntry& settings) {
  ccl::AlgorithmEntry entry;
  entry.name = "cube_ring";
  entry.kind = "ring";
  entry.world_size = static_cast<int>(pes.size());
  entry.mapping = ccl::RankMapping::explicit_list;
  entry.ranks = std::move(pes);
  entry.buffer = settings.buffer;
  entry.chunk_size = settings.chunk_size;
  entry.origin = "the all_reduce bench";
  return ccl::default_algorithm_registry().plan(entry, spec);
}

report::CheckRecord check_sums(const rt::HostTensor& got, std::int64_t world, std::int64_t count) {
  const std::vector<float> values = got.to_floats();
  std::int64_t wrong = 0;
  for (std::int64_t i = 0; i < count; ++i) {
    float sum = 0;
    for (std::int64_t r = 0; r < world; ++r) sum += value(r, i);
    for (std::int64_t r = 0; r < world; ++r)
      if (values[static_cast<std::size_t>(r * count + i)] != sum) ++wrong;
  }
  report::CheckRecord c;
  c.checked = true;
  c.pass = wrong == 0;
  c.detail = wrong == 0
                 ? fmt::format("every rank holds the exact sum of {} elements", count)
                 : fmt::format("{} of {} elements differ from the sum", wrong, world * count);
  return c;
}

}  // namespace

BenchResult run_cube_all_reduce(rt::Session& session, std::int64_t count, DataMode data,
                                const ccl::AlgorithmEntry* settings) {
  hw::System& system = session.runtime().system();
  const topo::TopologySpec& spec = system.spec();
  const std::int64_t world = spec.total_cubes();
  if (world < 2)
    throw base::ConfigError({fmt::format(
        "an all-reduce across the cubes needs at least 2 cubes; this machine has {}", world)});
  const bool checked = data == DataMode::checked;
  // Row r of [world, count] on PE 0 of cube r: one shard per rank, on the rank's PE.
  const rt::Placement one_per_cube{rt::LevelPlacement::rows(), rt::LevelPlacement::rows(),
                                   rt::LevelPlacement::replicate(1)};
  rt::Tensor vectors = session.empty({world, count}, DType::f32, one_per_cube, "vectors");
  if (checked) {
    std::vector<float> host(static_cast<std::size_t>(world * count));
    for (std::int64_t r = 0; r < world; ++r)
      for (std::int64_t i = 0; i < count; ++i)
        host[static_cast<std::size_t>(r * count + i)] = value(r, i);
    vectors.copy_(rt::HostTensor::from(host, {world, count}));
  }
  std::vector<topo::PeCoord> pes;
  std::vector<mem::PhysAddr> data_at, scratch;
  for (std::size_t i = 0; i < vectors.shards().size(); ++i) {
    pes.push_back(vectors.shards()[i].pe);
    data_at.push_back(vectors.shard_pa(i));
  }
  const ccl::AlgorithmEntry ring_settings =
      settings ? *settings
               : ccl::default_ccl_config(ccl::default_algorithm_registry()).find(kAllReduceEntry);
  const ccl::InstallPlan plan = cube_ring(spec, pes, ring_settings);
  for (const topo::PeCoord pe : pes)
    scratch.push_back(ccl::Collective::allocate_scratch(system, plan, pe));
  const hw::RequestHandle install = session.submit(plan.to_ipcq_init(), "install", "cube ring");
  session.wait_requests({&install, 1});
  ccl::Collective ring(system, plan, data_at, scratch,
                       {ccl::CollectiveOp::all_reduce, DType::f32, base::CombineOp::sum,
                        static_cast<std::uint64_t>(count), 0, !checked});
  ring.start([](void*) {}, nullptr);
  system.engine().run();
  for (const mem::PhysAddr pa : scratch) system.allocator().free(pa);

  BenchResult r;
  r.name = "all_reduce";
  const auto vector_bytes = static_cast<double>(count) * 4;
  r.shape = fmt::format("{} ranks x {} f32 ({}), ring", world, count,
                        base::Bytes(static_cast<std::uint64_t>(vector_bytes)));
  r.shape += fmt::format(" into {} in {} chunks", mem::name(ring_settings.buffer),
                         ring_settings.chunk_size);
  r.pes = static_cast<int>(world);
  r.start = ring.started_at();
  r.time = ring.finished_at() - ring.started_at();
  r.bytes = 2.0 * static_cast<double>(world - 1) / static_cast<double>(world) * vector_bytes;
  double link = static_cast<double>(spec.sip.mesh_link.bandwidth.bytes_per_second());
  if (spec.system.sip_count > 1)
    link = std::min(link,
                    static_cast<double>(spec.system.inter_sip_link.bandwidth.bytes_per_second()));
  r.peak_bytes_per_second = link;
  r.phases.push_back({"all_reduce", ring.started_at(), ring.finished_at(),
                      static_cast<std::uint64_t>(r.bytes), 0.0});
  r.check = checked ? check_sums(vectors.to_host(), world, count) : not_checked();
  return r;
}

}  // namespace kernbench::benches
