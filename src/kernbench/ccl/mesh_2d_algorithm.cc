// 2-D mesh: ranks laid out row-major on rows x cols; the collective runs along every row's ring,
// then along every column's ring. Without explicit dimensions, rows is the largest divisor of p
// not above its square root.
#include <cstdint>

#include "kernbench/ccl/collective_algorithm.h"
#include "kernbench/ccl/detail/neighbor_rings.h"
#include "kernbench/ccl/detail/plan_groups.h"

namespace kernbench::ccl {
namespace {

// Reduce-scatter then all-gather, or either half, with a two-phase ring per half: columns then
// rows on the way in, rows then columns on the way out.
void rows_and_columns(ScheduleBuilder& b, const InstallPlan& plan, CollectiveOp op, Range all) {
  const detail::Groups rows = detail::rings(plan, "row", true),
                       cols = detail::rings(plan, "col", true);
  const int p = plan.world_size();
  const int ncols = static_cast<int>(rows.front().size());
  const int nrows = p / ncols;
  // Row-block r: the blocks of row r's members, contiguous as ranks are row-major.
  std::vector<Range> row_blocks;
  for (int r = 0; r < nrows; ++r) {
    const Range first = all.part(r * ncols, p);
    row_blocks.push_back({first.begin, all.part_begin((r + 1) * ncols, p) - first.begin});
  }
  if (op != CollectiveOp::all_gather) {
    for (const auto& c : cols) b.ring_reduce_scatter(c, row_blocks);
    for (const auto& row : rows) b.ring_reduce_scatter(row, detail::blocks(row, all, p));
  }
  if (op != CollectiveOp::reduce_scatter) {
    for (const auto& row : rows) b.ring_all_gather(row, detail::blocks(row, all, p));
    for (const auto& c : cols) b.ring_all_gather(c, row_blocks);
  }
}

class Mesh2dAlgorithm final : public CollectiveAlgorithm {
 public:
  std::string_view kind() const override { return "mesh_2d"; }
  std::string_view summary() const override {
    return "mesh_2d: ranks on a rows x cols grid, a ring along each row, then each column";
  }
  std::vector<EntryKey> keys() const override {
    return {{"mesh", EntryKey::Shape::rows_cols, [](AlgorithmEntry& e, const std::vector<int>& v) {
               e.mesh_rows = v[0];
               e.mesh_cols = v[1];
             }}};
  }
  // A mesh given for another world size: the group picks its own shape.
  void fit_to_group(AlgorithmEntry& e) const override {
    if (std::int64_t{e.mesh_rows} * e.mesh_cols != e.world_size.value_or(0))
      e.mesh_rows = e.mesh_cols = 0;
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
  Schedule schedule(const InstallPlan& plan, CollectiveOp op, std::uint64_t count,
                    int root) const override {
    if (!kind_specific(op)) return CollectiveAlgorithm::schedule(plan, op, count, root);
    ScheduleBuilder b(plan.world_size());
    b.lockstep();
    rows_and_columns(b, plan, op, {0, count});
    return b.take();
  }
};

}  // namespace

std::unique_ptr<CollectiveAlgorithm> make_mesh_2d_algorithm() {
  return std::make_unique<Mesh2dAlgorithm>();
}

}  // namespace kernbench::ccl
