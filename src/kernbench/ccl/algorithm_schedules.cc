#include "kernbench/ccl/algorithm_schedules.h"

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include <fmt/format.h>

#include "kernbench/base/error.h"

namespace kernbench::ccl {
namespace {

using Groups = std::vector<std::vector<int>>;

std::vector<std::vector<int>> neighbors(const InstallPlan& plan) {
  std::vector<std::vector<int>> out(plan.tables.size());
  for (std::size_t r = 0; r < plan.tables.size(); ++r)
    for (const NeighborSlot& s : plan.tables[r]) out[r].push_back(s.rank);
  return out;
}

int next_of(const InstallPlan& plan, int rank, const std::string& role) {
  const int slot = plan.slot(rank, role);
  return slot < 0
             ? -1
             : plan.tables[static_cast<std::size_t>(rank)][static_cast<std::size_t>(slot)].rank;
}

// The rings of "<prefix>.next" slots, each from its smallest rank in ring order; a rank without
// the slot is a ring of one when `singletons`.
Groups rings(const InstallPlan& plan, const std::string& prefix, bool singletons) {
  Groups out;
  std::vector<bool> seen(plan.ranks.size(), false);
  for (int r = 0; r < plan.world_size(); ++r) {
    if (seen[static_cast<std::size_t>(r)]) continue;
    if (next_of(plan, r, prefix + ".next") < 0) {
      if (singletons) out.push_back({r});
      continue;
    }
    std::vector<int> ring;
    for (int at = r; !seen[static_cast<std::size_t>(at)];
         at = next_of(plan, at, prefix + ".next")) {
      seen[static_cast<std::size_t>(at)] = true;
      ring.push_back(at);
      if (static_cast<int>(ring.size()) > plan.world_size() ||
          next_of(plan, at, prefix + ".next") < 0)
        throw base::ConfigError({fmt::format("ccl entry '{}': the {}.next slots do not form a ring",
                                             plan.entry, prefix)});
    }
    out.push_back(std::move(ring));
  }
  return out;
}

std::vector<Range> even_parts(Range range, int parts) {
  std::vector<Range> out;
  for (int i = 0; i < parts; ++i) out.push_back(range.part(i, parts));
  return out;
}

// The member of `group` that also takes part in a level above (it has a "<upper>.next" slot for
// one of `upper`), or its first member where none does. A level's tree grows from it, so what the
// level reduces reaches the rank that carries it on: the install plan picks the leaders (a SIP's
// leader is its lowest cube's leader, not always the mesh ring's smallest rank).
int leader(const InstallPlan& plan, const std::vector<int>& group,
           std::initializer_list<std::string_view> upper) {
  for (const int r : group)
    for (const std::string_view level : upper)
      if (next_of(plan, r, std::string(level) + ".next") >= 0) return r;
  return group.front();
}

// A tree over the members of `group` only: breadth-first from `root` (a member) along the
// "<prefix>" slots, written into `forest` (which keeps its other edges).
void add_level(SpanningTree& forest, const InstallPlan& plan, const std::vector<int>& group,
               int root, const std::string& prefix) {
  std::vector<std::vector<int>> adjacency(plan.ranks.size());
  for (const int r : group)
    for (const std::string& role : {prefix + ".next", prefix + ".prev"})
      if (const int n = next_of(plan, r, role); n >= 0)
        adjacency[static_cast<std::size_t>(r)].push_back(n);
  const SpanningTree t = breadth_first_tree(adjacency, root);
  for (const int r : group) {
    const auto i = static_cast<std::size_t>(r);
    if (t.parent[i] < 0) continue;
    forest.parent[i] = t.parent[i];
    forest.children[static_cast<std::size_t>(t.parent[i])].push_back(r);
  }
}

struct Hierarchy {
  Groups cubes, meshes, sips;
  Groups top;          // the highest level with a group of more than one rank
  SpanningTree below;  // the levels under it: a forest rooted at the top's members
  SpanningTree whole;  // every level: one tree rooted at rank 0
};

Hierarchy hierarchy(const InstallPlan& plan) {
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

std::vector<Range> blocks(const std::vector<int>& members, Range all, int world) {
  std::vector<Range> out;
  for (const int m : members) out.push_back(all.part(m, world));
  return out;
}

// Reduce-scatter then all-gather, or either half, with a two-phase ring per half.
void rows_and_columns(ScheduleBuilder& b, const InstallPlan& plan, CollectiveOp op, Range all) {
  const Groups rows = rings(plan, "row", true), cols = rings(plan, "col", true);
  const int p = plan.world_size();
  const int ncols = static_cast<int>(rows.front().size());
  const int nrows = p / ncols;
  // Row-block r: the blocks of row r's members, contiguous as ranks are row-major.
  std::vector<Range> row_blocks;
  for (int r = 0; r < nrows; ++r) {
    const Range first = all.part(r * ncols, p);
    row_blocks.push_back({first.begin, all.part_begin((r + 1) * ncols, p) - first.begin});
  }
  const bool rs = op != CollectiveOp::all_gather, ag = op != CollectiveOp::reduce_scatter;
  if (rs) {
    for (const auto& c : cols) b.ring_reduce_scatter(c, row_blocks);
    for (std::size_t r = 0; r < rows.size(); ++r)
      b.ring_reduce_scatter(rows[r], blocks(rows[r], all, p));
  }
  if (ag) {
    for (std::size_t r = 0; r < rows.size(); ++r)
      b.ring_all_gather(rows[r], blocks(rows[r], all, p));
    for (const auto& c : cols) b.ring_all_gather(c, row_blocks);
  }
}

}  // namespace

Schedule make_schedule(const InstallPlan& plan, CollectiveOp op, std::uint64_t count, int root) {
  const int p = plan.world_size();
  ScheduleBuilder b(p);
  const Range all{0, count};
  if (op == CollectiveOp::all_to_all) {
    b.pairwise_exchange(count);
    return b.take();
  }
  if (op == CollectiveOp::broadcast || op == CollectiveOp::reduce) {
    const SpanningTree t = breadth_first_tree(neighbors(plan), root);
    if (op == CollectiveOp::broadcast)
      b.tree_broadcast(t, all);
    else
      b.tree_reduce(t, all);
    return b.take();
  }
  const bool rs = op != CollectiveOp::all_gather, ag = op != CollectiveOp::reduce_scatter;
  if (plan.kind == "ring") {
    const Groups ring = rings(plan, "ring", true);
    if (rs) b.ring_reduce_scatter(ring.front(), blocks(ring.front(), all, p));
    if (ag) b.ring_all_gather(ring.front(), blocks(ring.front(), all, p));
  } else if (plan.kind == "mesh_2d") {
    b.lockstep();
    rows_and_columns(b, plan, op, all);
  } else if (plan.kind == "halving_doubling") {
    b.lockstep();
    if (rs) b.halving_reduce_scatter(all);
    if (ag) b.doubling_all_gather(all);
  } else if (plan.kind == "hierarchical" && op == CollectiveOp::all_reduce) {
    const Hierarchy h = hierarchy(plan);
    b.lockstep();
    b.tree_reduce(h.below, all);
    for (const auto& g : h.top)
      b.ring_reduce_scatter(g, even_parts(all, static_cast<int>(g.size())));
    for (const auto& g : h.top) b.ring_all_gather(g, even_parts(all, static_cast<int>(g.size())));
    b.tree_broadcast(h.below, all);
  } else if (plan.kind == "tree" || plan.kind == "hierarchical") {
    // tree (and hierarchical reduce-scatter / all-gather): through one tree from rank 0
    const SpanningTree t = plan.kind == "hierarchical" ? hierarchy(plan).whole
                                                       : breadth_first_tree(neighbors(plan), 0);
    // The way down waits for the way up at each rank: the phases do not share its ports.
    if (op == CollectiveOp::all_reduce) {
      b.tree_reduce(t, all);
      b.lockstep();
      b.tree_broadcast(t, all);
    } else if (rs) {
      b.tree_reduce(t, all);
      b.lockstep();
      b.tree_scatter(t, all);
    } else {
      b.tree_gather(t, all);
      b.lockstep();
      b.tree_broadcast(t, all);
    }
  } else {
    throw base::NotFoundError(fmt::format(
        "{} on '{}': kind '{}' has no schedule for it (kinds with one: ring, tree, mesh_2d, "
        "halving_doubling, hierarchical)",
        name(op), plan.entry, plan.kind));
  }
  return b.take();
}

}  // namespace kernbench::ccl
