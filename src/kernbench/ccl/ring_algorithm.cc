// Ring: reduce-scatter then all-gather around one ring of all ranks (2(p-1) steps).
#include <numeric>

#include "kernbench/ccl/collective_algorithm.h"
#include "kernbench/ccl/detail/neighbor_rings.h"

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
};

}  // namespace

std::unique_ptr<CollectiveAlgorithm> make_ring_algorithm() {
  return std::make_unique<RingAlgorithm>();
}

}  // namespace kernbench::ccl
