// 2-D mesh: ranks laid out row-major on rows x cols; the collective runs along every row's ring,
// then along every column's ring. Without explicit dimensions, rows is the largest divisor of p
// not above its square root.
#include <cstdint>

#include "kernbench/ccl/collective_algorithm.h"
#include "kernbench/ccl/detail/neighbor_rings.h"

namespace kernbench::ccl {
namespace {

class Mesh2dAlgorithm final : public CollectiveAlgorithm {
 public:
  std::string_view kind() const override { return "mesh_2d"; }
  std::string_view summary() const override {
    return "mesh_2d: ranks on a rows x cols grid, a ring along each row, then each column";
  }
  std::vector<std::vector<NeighborSlot>> neighbor_tables(
      const AlgorithmEntry& e, const topo::TopologySpec&,
      const std::vector<topo::PeCoord>& ranks) const override {
    const int p = static_cast<int>(ranks.size());
    int rows = e.mesh_rows, cols = e.mesh_cols;
    if (rows == 0 && cols == 0) {
      for (rows = 1; (rows + 1) * (rows + 1) <= p; ++rows) {
      }
      while (p % rows != 0) --rows;
    }
    if (rows == 0) rows = p / cols;
    if (cols == 0) cols = p / rows;
    if (std::int64_t{rows} * cols != p)  // two ints multiply exactly in 64 bits
      detail::unsuitable_world(e, ranks.size(), fmt::format("rows x cols = {} x {}", rows, cols));
    detail::Tables tables(ranks.size());
    for (int r = 0; r < rows; ++r) {
      std::vector<int> row;
      for (int c = 0; c < cols; ++c) row.push_back(r * cols + c);
      detail::add_ring(tables, row, "row");
    }
    for (int c = 0; c < cols; ++c) {
      std::vector<int> col;
      for (int r = 0; r < rows; ++r) col.push_back(r * cols + c);
      detail::add_ring(tables, col, "col");
    }
    return tables;
  }
};

}  // namespace

std::unique_ptr<CollectiveAlgorithm> make_mesh_2d_algorithm() {
  return std::make_unique<Mesh2dAlgorithm>();
}

}  // namespace kernbench::ccl
