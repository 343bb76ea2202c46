#include "kernbench/ccl/collective_algorithm.h"

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/ccl/detail/plan_groups.h"

namespace kernbench::ccl {

Schedule CollectiveAlgorithm::schedule(const InstallPlan& plan, CollectiveOp op,
                                       std::uint64_t count, int root) const {
  if (auto s = detail::schedule_on_any_tables(plan, op, count, root)) return std::move(*s);
  throw base::NotFoundError(
      fmt::format("{} on '{}': kind '{}' has no schedule for it", name(op), plan.entry, kind()));
}

}  // namespace kernbench::ccl
