// Building blocks of neighbour tables shared by the algorithms: a ring over a group of ranks, and
// the error for a world size an algorithm cannot use.
#pragma once

#include <string>
#include <vector>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/ccl/ccl_config.h"
#include "kernbench/ccl/install_plan.h"

namespace kernbench::ccl::detail {

using Tables = std::vector<std::vector<NeighborSlot>>;

/// Gives each rank of `group` (in ring order) the slots "<prefix>.next" and "<prefix>.prev"; a
/// group of one gets none, a group of two gets both pointing at the other.
inline void add_ring(Tables& tables, const std::vector<int>& group, const std::string& prefix) {
  const auto n = group.size();
  if (n < 2) return;
  for (std::size_t i = 0; i < n; ++i) {
    auto& t = tables[static_cast<std::size_t>(group[i])];
    t.push_back({prefix + ".next", group[(i + 1) % n]});
    t.push_back({prefix + ".prev", group[(i + n - 1) % n]});
  }
}

/// "<origin>: algorithms.<name>: <kind> needs <what>, found world size <p>".
[[noreturn]] inline void unsuitable_world(const AlgorithmEntry& e, std::size_t world,
                                          std::string_view what) {
  throw base::ConfigError({fmt::format("{}: algorithms.{}: {} needs {}, found world size {}",
                                       e.origin, e.name, e.kind, what, world)});
}

}  // namespace kernbench::ccl::detail
