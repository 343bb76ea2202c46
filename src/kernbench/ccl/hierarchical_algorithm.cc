// Hierarchical: a ring among the ranks of each cube, then a ring among each SIP's cube leaders
// (the first rank of every cube) across the mesh, then a ring among the SIP leaders. The leaders'
// ring follows a cycle of the mesh whose every step is one mesh link, where the mesh has one.
#include <algorithm>
#include <map>

#include "kernbench/ccl/collective_algorithm.h"
#include "kernbench/ccl/detail/neighbor_rings.h"
#include "kernbench/ccl/detail/plan_groups.h"
#include "kernbench/topo/coord_index.h"

namespace kernbench::ccl {
namespace {

// Each cube's place on a closed walk through the w x h mesh. With an even side the walk is a
// Hamiltonian cycle of single links: row 0 left to right, the other rows snaking over columns
// 1 .. w-1, back up column 0 (or the same with rows and columns swapped when only w is even).
// Otherwise (odd x odd, or a line) a snake whose closing step is longer.
std::vector<int> mesh_cycle_position(const topo::TopologySpec& spec) {
  const int w = spec.sip.mesh_w, h = spec.sip.mesh_h;
  std::vector<int> order;  // (x, y) in walk order, as cube indices
  const auto visit = [&](int x, int y, bool transposed) {
    order.push_back(transposed ? topo::cube_at(spec, {y, x}) : topo::cube_at(spec, {x, y}));
  };
  const bool rows_even = h % 2 == 0, transposed = !rows_even && w % 2 == 0;
  const int a = transposed ? h : w, b = transposed ? w : h;  // walk an a x b mesh
  if (a > 1 && b > 1 && (rows_even || transposed)) {
    for (int x = 0; x < a; ++x) visit(x, 0, transposed);
    for (int y = 1; y < b; ++y)
      for (int i = 1; i < a; ++i) visit(y % 2 == 1 ? a - i : i, y, transposed);
    for (int y = b - 1; y >= 1; --y) visit(0, y, transposed);
  } else {
    for (int y = 0; y < h; ++y)
      for (int i = 0; i < w; ++i) visit(y % 2 == 0 ? i : w - 1 - i, y, false);
  }
  std::vector<int> position(order.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    position[static_cast<std::size_t>(order[i])] = static_cast<int>(i);
  return position;
}

// The levels of a hierarchical plan as groups of ranks, and the trees that join them.
struct Hierarchy {
  detail::Groups cubes, meshes, sips;
  detail::Groups top;  // the highest level with a group of more than one rank
  SpanningTree below;  // the levels under it: a forest rooted at the top's members
  SpanningTree whole;  // every level: one tree rooted at rank 0
};

Hierarchy hierarchy(const InstallPlan& plan) {
  using detail::add_level, detail::leader, detail::next_of, detail::rings;
  const auto p = static_cast<std::size_t>(plan.world_size());
  Hierarchy h;
  h.cubes = rings(plan, "cube", true);
  for (const auto& g : h.cubes)
    if (const int l = leader(plan, g, {"mesh", "sips"}); next_of(plan, l, "mesh.next") < 0)
      h.meshes.push_back({l});
  for (auto& g : rings(plan, "mesh", false)) h.meshes.push_back(std::move(g));
  std::sort(h.meshes.begin(), h.meshes.end());
  h.sips = rings(plan, "sips", false);
  if (h.sips.empty()) h.sips.push_back({h.meshes.front().front()});
  const auto empty_forest = [p] {
    return SpanningTree{{}, std::vector<int>(p, -1), std::vector<std::vector<int>>(p)};
  };
  // Each cube's tree grows from its cube leader, each mesh's from its SIP leader.
  const auto cube_level = [&](SpanningTree& t, const std::vector<int>& g) {
    add_level(t, plan, g, leader(plan, g, {"mesh", "sips"}), "cube");
  };
  const auto mesh_level = [&](SpanningTree& t, const std::vector<int>& g) {
    add_level(t, plan, g, leader(plan, g, {"sips"}), "mesh");
  };
  h.below = empty_forest();
  h.whole = empty_forest();
  h.whole.roots = {h.sips.front().front()};
  for (const auto& g : h.cubes) cube_level(h.whole, g);
  for (const auto& g : h.meshes) mesh_level(h.whole, g);
  add_level(h.whole, plan, h.sips.front(), h.sips.front().front(), "sips");
  for (const auto& g : h.cubes) cube_level(h.below, g);
  if (h.sips.front().size() > 1) {
    for (const auto& g : h.meshes) mesh_level(h.below, g);
    h.top = h.sips;
  } else if (h.meshes.size() == 1 && h.meshes.front().size() > 1) {
    h.top = h.meshes;
  } else {
    h.below = empty_forest();
    h.top = h.cubes;  // one cube: its ring is the whole collective
  }
  for (const auto& g : h.top)
    for (const int r : g) h.below.roots.push_back(r);
  std::sort(h.below.roots.begin(), h.below.roots.end());
  h.below.roots.erase(std::unique(h.below.roots.begin(), h.below.roots.end()), h.below.roots.end());
  return h;
}

class HierarchicalAlgorithm final : public CollectiveAlgorithm {
 public:
  std::string_view kind() const override { return "hierarchical"; }
  std::string_view summary() const override {
    return "hierarchical: ring within each cube, then across the cube mesh, then across SIPs";
  }
  std::vector<std::vector<NeighborSlot>> neighbor_tables(
      const AlgorithmEntry&, const topo::TopologySpec& spec,
      const std::vector<topo::PeCoord>& ranks) const override {
    std::map<topo::CubeCoord, std::vector<int>> by_cube;  // ordered: deterministic leaders
    for (std::size_t r = 0; r < ranks.size(); ++r)
      by_cube[ranks[r].cube_coord()].push_back(static_cast<int>(r));
    detail::Tables tables(ranks.size());
    std::map<int, std::vector<std::pair<int, int>>> cube_leaders;  // per SIP: (walk place, rank)
    const std::vector<int> place = mesh_cycle_position(spec);
    for (const auto& [cube, group] : by_cube) {
      detail::add_ring(tables, group, "cube");
      cube_leaders[cube.sip].push_back({place[static_cast<std::size_t>(cube.cube)], group.front()});
    }
    std::vector<int> sip_leaders;
    for (auto& [sip, placed] : cube_leaders) {
      const int lowest_cube_leader = placed.front().second;  // the SIP's leader
      std::sort(placed.begin(), placed.end());
      std::vector<int> leaders;
      for (const auto& [at, rank] : placed) leaders.push_back(rank);
      detail::add_ring(tables, leaders, "mesh");
      sip_leaders.push_back(lowest_cube_leader);
    }
    detail::add_ring(tables, sip_leaders, "sips");
    return tables;
  }
  // all_reduce: reduce up the levels below the top, a ring all-reduce across the top level, then
  // broadcast back down. reduce_scatter and all_gather: through one tree of every level.
  Schedule schedule(const InstallPlan& plan, CollectiveOp op, std::uint64_t count,
                    int root) const override {
    if (!kind_specific(op)) return CollectiveAlgorithm::schedule(plan, op, count, root);
    const Hierarchy h = hierarchy(plan);
    if (op != CollectiveOp::all_reduce)
      return detail::through_one_tree(h.whole, plan.world_size(), op, count);
    ScheduleBuilder b(plan.world_size());
    const Range all{0, count};
    b.lockstep();
    b.tree_reduce(h.below, all);
    for (const auto& g : h.top)
      b.ring_reduce_scatter(g, detail::even_parts(all, static_cast<int>(g.size())));
    for (const auto& g : h.top)
      b.ring_all_gather(g, detail::even_parts(all, static_cast<int>(g.size())));
    b.tree_broadcast(h.below, all);
    return b.take();
  }
};

}  // namespace

std::unique_ptr<CollectiveAlgorithm> make_hierarchical_algorithm() {
  return std::make_unique<HierarchicalAlgorithm>();
}

}  // namespace kernbench::ccl
