// Each algorithm's schedule of each collective, built from its install plan's neighbour tables
// (docs/collectives.md lists them): ring, tree, mesh_2d, halving_doubling and hierarchical.
#pragma once

#include <cstdint>

#include "kernbench/ccl/collective_op.h"
#include "kernbench/ccl/install_plan.h"
#include "kernbench/ccl/schedule.h"

namespace kernbench::ccl {

/// The schedule of `op` over `count` elements per rank on `plan` (`root` for broadcast and
/// reduce). ConfigError when the plan's tables do not have the slots its kind needs;
/// NotFoundError for an all_reduce, reduce_scatter or all_gather of a kind with no schedule here.
Schedule make_schedule(const InstallPlan& plan, CollectiveOp op, std::uint64_t count, int root);

}  // namespace kernbench::ccl
