// The ring-only sweep of earlier callers, kept as a thin layer over run_collective_bench
// (collective_bench.h), which runs any entry and op.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "kernbench/ccl/collective_bench.h"

namespace kernbench::ccl {

/// The ring collectives of this sweep: all_reduce, reduce_scatter and all_gather.
enum class RingKind { all_reduce, reduce_scatter, all_gather };

/// "all_reduce", "reduce_scatter", "all_gather"; parse_ring_kind is its inverse.
std::string_view name(RingKind kind);
std::optional<RingKind> parse_ring_kind(std::string_view text);
/// The collective op a ring kind is.
CollectiveOp collective_op(RingKind kind);

/// nccl-tests' bus-bandwidth factor of `kind` over `world` ranks.
double bus_factor(RingKind kind, int world);

/// run_collective_bench of the ring kind's op.
std::vector<BenchRow> run_ring_bench(const topo::TopologySpec& spec, const InstallPlan& plan,
                                     RingKind kind, base::DType dtype, base::CombineOp op,
                                     std::span<const std::uint64_t> sizes, bool check);

}  // namespace kernbench::ccl
