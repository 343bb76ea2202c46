// Recursive halving-doubling: at step s every rank exchanges with rank XOR 2^s — halving the data
// (reduce-scatter) over log2(p) steps, then doubling it back (all-gather). p must be a power of 2.
#include <bit>

#include "kernbench/ccl/collective_algorithm.h"
#include "kernbench/ccl/detail/neighbor_rings.h"

namespace kernbench::ccl {
namespace {

class HalvingDoublingAlgorithm final : public CollectiveAlgorithm {
 public:
  std::string_view kind() const override { return "halving_doubling"; }
  std::string_view summary() const override {
    return "halving_doubling: exchange with rank XOR 2^s, log2(p) steps each way (p a power of 2)";
  }
  std::vector<std::vector<NeighborSlot>> neighbor_tables(
      const AlgorithmEntry& e, const topo::TopologySpec&,
      const std::vector<topo::PeCoord>& ranks) const override {
    const auto p = static_cast<unsigned>(ranks.size());
    if (!std::has_single_bit(p)) detail::unsuitable_world(e, p, "a power-of-two world size");
    detail::Tables tables(p);
    for (unsigned r = 0; r < p; ++r)
      for (unsigned s = 0; (1u << s) < p; ++s)
        tables[r].push_back({fmt::format("step{}", s), static_cast<int>(r ^ (1u << s))});
    return tables;
  }
  Schedule schedule(const InstallPlan& plan, CollectiveOp op, std::uint64_t count,
                    int root) const override {
    if (!kind_specific(op)) return CollectiveAlgorithm::schedule(plan, op, count, root);
    ScheduleBuilder b(plan.world_size());
    b.lockstep();
    if (op != CollectiveOp::all_gather) b.halving_reduce_scatter({0, count});
    if (op != CollectiveOp::reduce_scatter) b.doubling_all_gather({0, count});
    return b.take();
  }
};

}  // namespace

std::unique_ptr<CollectiveAlgorithm> make_halving_doubling_algorithm() {
  return std::make_unique<HalvingDoublingAlgorithm>();
}

}  // namespace kernbench::ccl
