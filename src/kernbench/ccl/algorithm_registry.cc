#include "kernbench/ccl/algorithm_registry.h"

#include <algorithm>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/base/name_suggestion.h"
#include "kernbench/ccl/collective.h"
#include "kernbench/mem/physical_allocator.h"
#include "kernbench/topo/coord_index.h"

namespace kernbench::ccl {

void AlgorithmRegistry::add(std::unique_ptr<CollectiveAlgorithm> algorithm) {
  for (auto& a : algorithms_)
    if (a->kind() == algorithm->kind()) {
      a = std::move(algorithm);
      return;
    }
  algorithms_.push_back(std::move(algorithm));
}

const CollectiveAlgorithm& AlgorithmRegistry::find(std::string_view kind) const {
  return *share(kind);
}

std::shared_ptr<const CollectiveAlgorithm> AlgorithmRegistry::share(std::string_view kind) const {
  for (const auto& a : algorithms_)
    if (a->kind() == kind) return a;
  throw base::NotFoundError(base::unknown_name_message("algorithm kind", kind, kinds()));
}

std::vector<std::string> AlgorithmRegistry::kinds() const {
  std::vector<std::string> out;
  for (const auto& a : algorithms_) out.emplace_back(a->kind());
  return out;
}

std::vector<topo::PeCoord> map_ranks(const AlgorithmEntry& e, const topo::TopologySpec& spec) {
  const int available = spec.total_pes();
  const auto fail = [&](const std::string& what) {
    throw base::ConfigError({fmt::format("{}: algorithms.{}: {}", e.origin, e.name, what)});
  };
  if (e.mapping == RankMapping::explicit_list) {
    std::set<topo::PeCoord> seen;
    for (const auto& pe : e.ranks) {
      if (!topo::contains(spec, pe))
        fail(fmt::format("rank on PE {}, which this machine does not have", pe));
      if (!seen.insert(pe).second) fail(fmt::format("PE {} is listed twice", pe));
    }
    return e.ranks;
  }
  const int world = e.world_size.value_or(available);
  if (world > available)
    fail(fmt::format(
        "world size {} does not fit this machine: it has {} PEs ({} SIP(s) x {} cubes x {} PEs)",
        world, available, spec.system.sip_count, spec.cubes_per_sip(), spec.pes_per_cube()));
  std::vector<topo::PeCoord> ranks;
  const int cubes = spec.total_cubes();
  for (int r = 0; r < world; ++r) {
    if (e.mapping == RankMapping::pe_major) {
      ranks.push_back(topo::pe_coord(spec, r));
    } else {  // cube_major: PE r / cubes of cube r % cubes
      const topo::CubeCoord c = topo::cube_coord(spec, r % cubes);
      ranks.push_back({c.sip, c.cube, r / cubes});
    }
  }
  return ranks;
}

InstallPlan AlgorithmRegistry::plan(const AlgorithmEntry& entry,
                                    const topo::TopologySpec& spec) const {
  InstallPlan p;
  p.entry = entry.name;
  p.kind = entry.kind;
  p.algorithm = share(entry.kind);
  if (auto own = p.algorithm->for_entry(entry)) p.algorithm = std::move(own);
  p.buffer = entry.buffer;
  p.chunk_size = entry.chunk_size;
  p.ranks = map_ranks(entry, spec);
  p.tables = p.algorithm->neighbor_tables(entry, spec, p.ranks);
  return p;
}

void check_receive_buffers(const AlgorithmEntry& entry, const InstallPlan& plan,
                           const topo::TopologySpec& spec) {
  // First the chunk against one whole memory, so the buffer size below (a product of the chunk)
  // is not asked for a chunk that could never fit.
  const base::Bytes whole = mem::memory_size(spec, plan.buffer);
  if (plan.chunk_size > whole)
    throw base::ConfigError(
        {fmt::format("{}: algorithms.{}: chunk_size {} is larger than a whole {} "
                     "({})",
                     entry.origin, entry.name, plan.chunk_size, mem::name(plan.buffer), whole)});
  const base::Bytes need = Collective::scratch_bytes(plan, spec);
  if (need.count() == std::numeric_limits<std::uint64_t>::max())
    throw base::ConfigError({fmt::format(
        "{}: algorithms.{}: receive buffers per rank (chunk_size {} times IPCQ depth {} times the "
        "slots of its widest neighbour table) pass 2^64 bytes",
        entry.origin, entry.name, plan.chunk_size, spec.cube.pe.ipcq.depth)});
  mem::PhysicalAllocator allocator(spec);
  try {
    for (const topo::PeCoord& pe : plan.ranks) {
      switch (plan.buffer) {
        case mem::MemoryKind::tcm: allocator.allocate_tcm(pe, need); break;
        case mem::MemoryKind::sram: allocator.allocate_sram(pe.cube_coord(), need); break;
        case mem::MemoryKind::hbm: allocator.allocate_hbm(pe, need); break;
      }
    }
  } catch (const base::OutOfMemoryError& e) {
    throw base::ConfigError({fmt::format(
        "{}: algorithms.{}: receive buffers of {} per rank (chunk_size {}) do not fit in {}: {}",
        entry.origin, entry.name, need, plan.chunk_size, mem::name(plan.buffer), e.what())});
  }
}

AlgorithmRegistry default_algorithm_registry() {
  AlgorithmRegistry r;
  r.add(make_ring_algorithm());
  r.add(make_tree_algorithm());
  r.add(make_mesh_2d_algorithm());
  r.add(make_halving_doubling_algorithm());
  r.add(make_hierarchical_algorithm());
  r.add(make_msccl_file_algorithm());
  return r;
}

}  // namespace kernbench::ccl
