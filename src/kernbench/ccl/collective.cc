#include "kernbench/ccl/collective.h"

#include <algorithm>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/ccl/algorithm_schedules.h"

namespace kernbench::ccl {
namespace {

void check(const InstallPlan& plan, const CollectiveArgs& args) {
  const int p = plan.world_size();
  if ((args.op == CollectiveOp::broadcast || args.op == CollectiveOp::reduce) &&
      (args.root < 0 || args.root >= p))
    throw base::ShapeError(fmt::format("{} on '{}': root {} is not a rank of the group (0 .. {})",
                                       name(args.op), plan.entry, args.root, p - 1));
  if (args.op == CollectiveOp::all_to_all && args.count % static_cast<std::uint64_t>(p) != 0)
    throw base::ShapeError(
        fmt::format("all_to_all on '{}': {} elements per rank do not split into {} equal parts",
                    plan.entry, args.count, p));
}

}  // namespace

base::Bytes Collective::scratch_bytes(const InstallPlan& plan, const topo::TopologySpec& spec) {
  return ScheduleCollective::scratch_bytes(plan, spec);
}

mem::PhysAddr Collective::allocate_scratch(hw::System& system, const InstallPlan& plan,
                                           topo::PeCoord pe) {
  return allocate_near(system, plan.buffer, pe, scratch_bytes(plan, system.spec()));
}

Collective::Collective(hw::System& system, const InstallPlan& plan, std::vector<mem::PhysAddr> data,
                       std::vector<mem::PhysAddr> scratch, const CollectiveArgs& args,
                       std::vector<mem::PhysAddr> input) {
  check(plan, args);
  schedule_ = std::make_unique<ScheduleCollective>(
      system, plan,
      make_schedule(plan, args.op, args.count, base::Bytes(base::size_bytes(args.dtype)),
                    args.root),
      std::move(data), std::move(scratch), ScheduleArgs{args.dtype, args.combine, args.timing_only},
      std::move(input));
}

Collective::~Collective() = default;

void Collective::start(sim::EventFn done, void* ctx) { schedule_->start(done, ctx); }

void Collective::run(sim::Process& p) { schedule_->run(p); }

base::SimTime Collective::started_at() const { return schedule_->started_at(); }

base::SimTime Collective::finished_at() const { return schedule_->finished_at(); }

std::uint64_t Collective::messages() const { return schedule_->messages(); }

}  // namespace kernbench::ccl
