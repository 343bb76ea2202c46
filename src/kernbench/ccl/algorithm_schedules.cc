#include "kernbench/ccl/algorithm_schedules.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kernbench/base/error.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/detail/plan_groups.h"

namespace kernbench::ccl {

Schedule make_schedule(const InstallPlan& plan, CollectiveOp op, std::uint64_t count, int root) {
  return make_schedule(plan, op, count, base::Bytes(0), root);
}

Schedule make_schedule(const InstallPlan& plan, CollectiveOp op, std::uint64_t count,
                       base::Bytes element_size, int root) {
  if (const CollectiveAlgorithm* a = plan.strategy())
    return element_size.count() == 0 ? a->schedule(plan, op, count, root)
                                     : a->sized_schedule(plan, op, count, element_size, root);
  if (auto s = detail::schedule_on_any_tables(plan, op, count, root)) return std::move(*s);
  throw base::NotFoundError(
      fmt::format("{} on '{}': kind '{}' has no schedule for it (kinds with one: {})", name(op),
                  plan.entry, plan.kind, fmt::join(default_algorithm_registry().kinds(), ", ")));
}

}  // namespace kernbench::ccl
