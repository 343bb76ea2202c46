#include "kernbench/ccl/ring_bench.h"

namespace kernbench::ccl {

CollectiveOp collective_op(RingKind kind) {
  switch (kind) {
    case RingKind::reduce_scatter: return CollectiveOp::reduce_scatter;
    case RingKind::all_gather: return CollectiveOp::all_gather;
    case RingKind::all_reduce: break;
  }
  return CollectiveOp::all_reduce;
}

std::string_view name(RingKind kind) { return name(collective_op(kind)); }

std::optional<RingKind> parse_ring_kind(std::string_view text) {
  for (RingKind k : {RingKind::all_reduce, RingKind::reduce_scatter, RingKind::all_gather})
    if (name(k) == text) return k;
  return std::nullopt;
}

double bus_factor(RingKind kind, int world) { return bus_factor(collective_op(kind), world); }

std::vector<BenchRow> run_ring_bench(const topo::TopologySpec& spec, const InstallPlan& plan,
                                     RingKind kind, base::DType dtype, base::CombineOp op,
                                     std::span<const std::uint64_t> sizes, bool check) {
  return run_collective_bench(spec, plan, collective_op(kind), dtype, op, sizes, check);
}

}  // namespace kernbench::ccl
