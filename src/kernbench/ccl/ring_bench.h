// A sweep of a ring collective over message sizes, as nccl-tests runs one: per size the
// simulated time, algorithm and bus bandwidth (nccl-tests' bus factors), and with `check` the
// number of wrong elements against a host reference. Formatting the rows is report's job.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "kernbench/ccl/ring_collective.h"

namespace kernbench::ccl {

struct BenchRow {
  std::uint64_t bytes = 0;  // per rank buffer
  std::uint64_t count = 0;  // elements per rank buffer
  base::DType dtype = base::DType::f32;
  base::CombineOp op = base::CombineOp::sum;
  base::SimTime time;
  double algbw_gbps = 0;  // bytes / time
  double busbw_gbps = 0;  // algbw x bus factor: 2(p-1)/p all-reduce, (p-1)/p the halves
  std::optional<std::uint64_t> wrong;  // elements off the reference (only when checked)
};

/// "all_reduce", "reduce_scatter", "all_gather"; parse_ring_kind is its inverse.
std::string_view name(RingKind kind);
std::optional<RingKind> parse_ring_kind(std::string_view text);

/// nccl-tests' bus-bandwidth factor of `kind` over `world` ranks.
double bus_factor(RingKind kind, int world);

/// Runs `kind` once per size (bytes per rank, rounded down to whole elements) on a fresh
/// simulation of `spec`; timing-only unless `check`, which fills each rank with small integers
/// (exact in every dtype) and counts elements that differ from the host reference.
std::vector<BenchRow> run_ring_bench(const topo::TopologySpec& spec, const InstallPlan& plan,
                                     RingKind kind, base::DType dtype, base::CombineOp op,
                                     std::span<const std::uint64_t> sizes, bool check);

}  // namespace kernbench::ccl
