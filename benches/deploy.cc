#include "benches/deploy.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "benches/numeric_check.h"

#include "kernbench/hw/system.h"
#include "kernbench/rt/host_tensor.h"
#include "kernbench/rt/runtime.h"
#include "kernbench/rt/tensor.h"

namespace kernbench::benches {

using base::DType;

namespace {

// Earliest start and latest end of the requests recorded under `phase` for tensor `name`.
std::pair<base::SimTime, base::SimTime> window(const rt::Runtime& runtime, std::string_view phase,
                                               std::string_view name) {
  base::SimTime start = base::SimTime::max(), end = base::SimTime::zero();
  for (const rt::PhaseRecord& r : runtime.records()) {
    if (r.phase != phase || r.name != name) continue;
    const hw::Completion& c = runtime.system().completion(r.handle);
    start = std::min(start, c.start);
    end = std::max(end, c.end);
  }
  return {start, end};
}

// Copies whose bytes differ from the host data, read from the byte store (no simulated time).
int wrong_copies(hw::System& system, const rt::Tensor& tensor, const rt::HostTensor& host) {
  int wrong = 0;
  const auto shards = tensor.shards();
  for (std::size_t i = 0; i < shards.size(); ++i) {
    std::vector<std::byte> got(shards[i].size.count());
    system.bytes().read(tensor.shard_pa(i), got);
    if (std::memcmp(got.data(), host.bytes().data() + shards[i].byte_offset.count(), got.size()))
      ++wrong;
  }
  return wrong;
}

}  // namespace

BenchResult run_deploy(rt::Session& session, std::int64_t rows, std::int64_t cols, DataMode data) {
  const rt::Placement every_cube{rt::LevelPlacement::replicate(), rt::LevelPlacement::replicate(),
                                 rt::LevelPlacement::rows()};
  const rt::HostTensor host = rt::HostTensor::from_floats(
      DType::f16, random_values(static_cast<std::size_t>(rows * cols), 12, DType::f16),
      {rows, cols});
  const rt::Tensor weights = session.from_host(host, every_cube, "weights");
  hw::System& system = session.runtime().system();
  const topo::TopologySpec& spec = system.spec();
  const auto [start, end] = window(session.runtime(), "write", "weights");
  const auto size = static_cast<double>(host.bytes().size());
  BenchResult r;
  r.name = "deploy";
  r.shape = fmt::format("{}x{} f16 ({}) to {} cubes", rows, cols, base::Bytes(host.bytes().size()),
                        spec.total_cubes());
  r.pes = static_cast<int>(weights.shards().size());
  r.start = start;
  r.time = end - start;
  r.bytes = size * spec.total_cubes();
  r.peak_bytes_per_second =
      static_cast<double>(spec.system.host_link.bandwidth.bytes_per_second()) *
      spec.system.sip_count;
  if (data == DataMode::timing_only) {
    r.check = not_checked();
    return r;
  }
  const int wrong = wrong_copies(system, weights, host);
  r.check.checked = true;
  r.check.pass = wrong == 0;
  r.check.detail = wrong == 0
                       ? fmt::format("all {} shards equal the host data", r.pes)
                       : fmt::format("{} of {} shards differ from the host data", wrong, r.pes);
  return r;
}

}  // namespace kernbench::benches
