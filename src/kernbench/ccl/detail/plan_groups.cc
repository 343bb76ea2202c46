#include "kernbench/ccl/detail/plan_groups.h"

#include <fmt/format.h>

#include "kernbench/base/error.h"

namespace kernbench::ccl::detail {

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

// A level's tree grows from the leader, so what the level reduces reaches the rank that carries
// it on: the install plan picks the leaders (a SIP's leader is its lowest cube's leader, not
// always the mesh ring's smallest rank).
int leader(const InstallPlan& plan, const std::vector<int>& group,
           std::initializer_list<std::string_view> upper) {
  for (const int r : group)
    for (const std::string_view level : upper)
      if (next_of(plan, r, std::string(level) + ".next") >= 0) return r;
  return group.front();
}

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

std::vector<Range> even_parts(Range range, int parts) {
  std::vector<Range> out;
  for (int i = 0; i < parts; ++i) out.push_back(range.part(i, parts));
  return out;
}

std::vector<Range> blocks(const std::vector<int>& members, Range all, int world) {
  std::vector<Range> out;
  for (const int m : members) out.push_back(all.part(m, world));
  return out;
}

std::optional<Schedule> schedule_on_any_tables(const InstallPlan& plan, CollectiveOp op,
                                               std::uint64_t count, int root) {
  ScheduleBuilder b(plan.world_size());
  switch (op) {
    case CollectiveOp::all_to_all: b.pairwise_exchange(count); break;
    case CollectiveOp::broadcast:
      b.tree_broadcast(breadth_first_tree(neighbors(plan), root), {0, count});
      break;
    case CollectiveOp::reduce:
      b.tree_reduce(breadth_first_tree(neighbors(plan), root), {0, count});
      break;
    default: return std::nullopt;
  }
  return b.take();
}

// Through one tree from its root; the way down waits for the way up at each rank: the phases do
// not share its ports.
Schedule through_one_tree(const SpanningTree& tree, int world, CollectiveOp op,
                          std::uint64_t count) {
  ScheduleBuilder b(world);
  const Range all{0, count};
  if (op == CollectiveOp::all_gather) {
    b.tree_gather(tree, all);
    b.lockstep();
    b.tree_broadcast(tree, all);
    return b.take();
  }
  b.tree_reduce(tree, all);
  b.lockstep();
  if (op == CollectiveOp::all_reduce)
    b.tree_broadcast(tree, all);
  else
    b.tree_scatter(tree, all);
  return b.take();
}

}  // namespace kernbench::ccl::detail
