// Tree: reduce up a k-ary tree rooted at rank 0, then broadcast back down. Rank r's parent is
// (r - 1) / k and its children k*r + 1 ... k*r + k (those below p).
#include <cstdint>

#include "kernbench/ccl/collective_algorithm.h"
#include "kernbench/ccl/detail/neighbor_rings.h"
#include "kernbench/ccl/detail/plan_groups.h"

namespace kernbench::ccl {
namespace {

class TreeAlgorithm final : public CollectiveAlgorithm {
 public:
  std::string_view kind() const override { return "tree"; }
  std::string_view summary() const override {
    return "tree: reduce up a k-ary tree (fanout) to rank 0, broadcast back down";
  }
  std::vector<EntryKey> keys() const override {
    return {{"fanout", EntryKey::Shape::count,
             [](AlgorithmEntry& e, const std::vector<int>& v) { e.fanout = v[0]; }}};
  }
  std::vector<std::vector<NeighborSlot>> neighbor_tables(
      const AlgorithmEntry& e, const topo::TopologySpec&,
      const std::vector<topo::PeCoord>& ranks) const override {
    const int p = static_cast<int>(ranks.size());
    const int k = e.fanout;
    detail::Tables tables(ranks.size());
    for (int r = 0; r < p; ++r) {
      auto& t = tables[static_cast<std::size_t>(r)];
      if (r > 0) t.push_back({"parent", (r - 1) / k});
      // In 64 bits: k * r passes 2^31 for a wide fanout; a fanout of p - 1 or more is a star.
      const std::int64_t first = std::int64_t{k} * r + 1;
      for (std::int64_t child = first; child < p && child - first < k; ++child)
        t.push_back({fmt::format("child{}", child - first), static_cast<int>(child)});
    }
    return tables;
  }
  Schedule schedule(const InstallPlan& plan, CollectiveOp op, std::uint64_t count,
                    int root) const override {
    if (!kind_specific(op)) return CollectiveAlgorithm::schedule(plan, op, count, root);
    return detail::through_one_tree(breadth_first_tree(detail::neighbors(plan), 0),
                                    plan.world_size(), op, count);
  }
};

}  // namespace

std::unique_ptr<CollectiveAlgorithm> make_tree_algorithm() {
  return std::make_unique<TreeAlgorithm>();
}

}  // namespace kernbench::ccl
