// Ring: reduce-scatter then all-gather around one ring of all ranks (2(p-1) steps).
#include <numeric>

#include "kernbench/ccl/collective_algorithm.h"
#include "kernbench/ccl/detail/neighbor_rings.h"
#include "kernbench/ccl/detail/plan_groups.h"

namespace kernbench::ccl {
namespace {

class RingAlgorithm final : public CollectiveAlgorithm {
 public:
  std::string_view kind() const override { return "ring"; }
  std::string_view summary() const override {
    return "ring: reduce-scatter then all-gather around all ranks, 2(p-1) steps";
  }
  std::vector<std::vector<NeighborSlot>> neighbor_tables(
      const AlgorithmEntry&, const topo::TopologySpec&,
      const std::vector<topo::PeCoord>& ranks) const override {
    detail::Tables tables(ranks.size());
    std::vector<int> all(ranks.size());
    std::iota(all.begin(), all.end(), 0);
    detail::add_ring(tables, all, "ring");
    return tables;
  }
  // Member i of the ring ends the reduce-scatter with block i (rank order), which the all-gather
  // then passes round.
  Schedule schedule(const InstallPlan& plan, CollectiveOp op, std::uint64_t count,
                    int root) const override {
    if (!kind_specific(op)) return CollectiveAlgorithm::schedule(plan, op, count, root);
    const std::vector<int> ring = detail::rings(plan, "ring", true).front();
    const std::vector<Range> blocks = detail::blocks(ring, {0, count}, plan.world_size());
    ScheduleBuilder b(plan.world_size());
    if (op != CollectiveOp::all_gather) b.ring_reduce_scatter(ring, blocks);
    if (op != CollectiveOp::reduce_scatter) b.ring_all_gather(ring, blocks);
    return b.take();
  }
};

}  // namespace

std::unique_ptr<CollectiveAlgorithm> make_ring_algorithm() {
  return std::make_unique<RingAlgorithm>();
}

}  // namespace kernbench::ccl
