// Reading an install plan's neighbour tables back as groups, shared by the algorithms' schedules:
// the ring a slot prefix forms, a group's leader, a tree over a level, blocks of a range.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernbench/ccl/collective_op.h"
#include "kernbench/ccl/install_plan.h"
#include "kernbench/ccl/schedule.h"

namespace kernbench::ccl::detail {

using Groups = std::vector<std::vector<int>>;

/// Each rank's neighbours in slot order.
std::vector<std::vector<int>> neighbors(const InstallPlan& plan);
/// The rank in `rank`'s slot named `role`, or -1.
int next_of(const InstallPlan& plan, int rank, const std::string& role);
/// The rings of "<prefix>.next" slots, each from its smallest rank in ring order; a rank without
/// the slot is a ring of one when `singletons`. ConfigError when the slots do not form rings.
Groups rings(const InstallPlan& plan, const std::string& prefix, bool singletons);
/// The member of `group` that also takes part in a level above (it has a "<upper>.next" slot for
/// one of `upper`), or its first member where none does.
int leader(const InstallPlan& plan, const std::vector<int>& group,
           std::initializer_list<std::string_view> upper);
/// A tree over the members of `group` only: breadth-first from `root` (a member) along the
/// "<prefix>.next" and "<prefix>.prev" slots, written into `forest` (which keeps its other edges).
void add_level(SpanningTree& forest, const InstallPlan& plan, const std::vector<int>& group,
               int root, const std::string& prefix);
/// `range` in `parts` even parts.
std::vector<Range> even_parts(Range range, int parts);
/// Member m's block of `all` split over `world` ranks, for each member.
std::vector<Range> blocks(const std::vector<int>& members, Range all, int world);

/// The schedules any tables give: broadcast and reduce down / up the breadth-first tree of the
/// tables from `root`, all_to_all as a pairwise exchange; nullopt for the other ops.
std::optional<Schedule> schedule_on_any_tables(const InstallPlan& plan, CollectiveOp op,
                                               std::uint64_t count, int root);

/// all_reduce (reduce up, broadcast down), reduce_scatter (reduce up, scatter down) or all_gather
/// (gather up, broadcast down) through one tree over `world` ranks.
Schedule through_one_tree(const SpanningTree& tree, int world, CollectiveOp op,
                          std::uint64_t count);

}  // namespace kernbench::ccl::detail
