// The schedule of a collective on an install plan: asks the plan's algorithm (each kind writes
// its own in `<kind>_algorithm.cc`).
#pragma once

#include <cstdint>

#include "kernbench/ccl/collective_op.h"
#include "kernbench/ccl/install_plan.h"
#include "kernbench/ccl/schedule.h"

namespace kernbench::ccl {

/// The schedule of `op` over `count` elements per rank on `plan` (`root` for broadcast and
/// reduce): its algorithm's (CollectiveAlgorithm::schedule). ConfigError when the plan's tables do
/// not have the slots its kind needs; NotFoundError for an op its algorithm has no schedule of,
/// and for an all_reduce, reduce_scatter or all_gather of a plan without an algorithm of its kind.
Schedule make_schedule(const InstallPlan& plan, CollectiveOp op, std::uint64_t count, int root);
/// The same for elements of `element_size` bytes (CollectiveAlgorithm::sized_schedule), as
/// Collective runs it.
Schedule make_schedule(const InstallPlan& plan, CollectiveOp op, std::uint64_t count,
                       base::Bytes element_size, int root);

}  // namespace kernbench::ccl
