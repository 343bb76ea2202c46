// The strategy interface every collective algorithm implements (ring, tree, 2-D mesh, recursive
// halving-doubling, hierarchical), chosen by the `kind` of a ccl.yaml entry.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kernbench/ccl/ccl_config.h"
#include "kernbench/ccl/install_plan.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::ccl {

/// Contract: neighbor_tables() is a pure function of the entry, the machine's shape and the ranks'
/// PEs; it returns one table per rank whose slots name ranks in [0, ranks.size()), and throws
/// base::ConfigError (prefixed with the entry's origin) when the world size does not suit the
/// algorithm.
class CollectiveAlgorithm {
 public:
  virtual ~CollectiveAlgorithm() = default;
  /// The kind name ccl.yaml entries use ("ring").
  virtual std::string_view kind() const = 0;
  /// One line for `kernbench list`.
  virtual std::string_view summary() const = 0;
  /// Each rank's neighbour table.
  virtual std::vector<std::vector<NeighborSlot>> neighbor_tables(
      const AlgorithmEntry& entry, const topo::TopologySpec& spec,
      const std::vector<topo::PeCoord>& ranks) const = 0;
};

std::unique_ptr<CollectiveAlgorithm> make_ring_algorithm();
std::unique_ptr<CollectiveAlgorithm> make_tree_algorithm();
std::unique_ptr<CollectiveAlgorithm> make_mesh_2d_algorithm();
std::unique_ptr<CollectiveAlgorithm> make_halving_doubling_algorithm();
std::unique_ptr<CollectiveAlgorithm> make_hierarchical_algorithm();

}  // namespace kernbench::ccl
