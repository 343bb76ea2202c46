// Hierarchical: a ring among the ranks of each cube, then a ring among each SIP's cube leaders
// (the first rank of every cube) across the mesh, then a ring among the SIP leaders.
#include <map>

#include "kernbench/ccl/collective_algorithm.h"
#include "kernbench/ccl/detail/neighbor_rings.h"

namespace kernbench::ccl {
namespace {

class HierarchicalAlgorithm final : public CollectiveAlgorithm {
 public:
  std::string_view kind() const override { return "hierarchical"; }
  std::string_view summary() const override {
    return "hierarchical: ring within each cube, then across the cube mesh, then across SIPs";
  }
  std::vector<std::vector<NeighborSlot>> neighbor_tables(
      const AlgorithmEntry&, const std::vector<topo::PeCoord>& ranks) const override {
    std::map<topo::CubeCoord, std::vector<int>> by_cube;  // ordered: deterministic leaders
    for (std::size_t r = 0; r < ranks.size(); ++r)
      by_cube[ranks[r].cube_coord()].push_back(static_cast<int>(r));
    detail::Tables tables(ranks.size());
    std::map<int, std::vector<int>> cube_leaders;  // per SIP
    for (const auto& [cube, group] : by_cube) {
      detail::add_ring(tables, group, "cube");
      cube_leaders[cube.sip].push_back(group.front());
    }
    std::vector<int> sip_leaders;
    for (const auto& [sip, leaders] : cube_leaders) {
      detail::add_ring(tables, leaders, "mesh");
      sip_leaders.push_back(leaders.front());
    }
    detail::add_ring(tables, sip_leaders, "sips");
    return tables;
  }
};

}  // namespace

std::unique_ptr<CollectiveAlgorithm> make_hierarchical_algorithm() {
  return std::make_unique<HierarchicalAlgorithm>();
}

}  // namespace kernbench::ccl
