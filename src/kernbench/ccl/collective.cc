#include "kernbench/ccl/collective.h"

#include <algorithm>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/ccl/algorithm_schedules.h"
#include "kernbench/ccl/collective_algorithm.h"

namespace kernbench::ccl {
namespace {

std::optional<RingKind> ring_kind(CollectiveOp op) {
  switch (op) {
    case CollectiveOp::all_reduce: return RingKind::all_reduce;
    case CollectiveOp::reduce_scatter: return RingKind::reduce_scatter;
    case CollectiveOp::all_gather: return RingKind::all_gather;
    default: return std::nullopt;
  }
}

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
  return std::max(RingCollective::scratch_bytes(plan, spec),
                  ScheduleCollective::scratch_bytes(plan, spec));
}

mem::PhysAddr Collective::allocate_scratch(hw::System& system, const InstallPlan& plan,
                                           topo::PeCoord pe) {
  return allocate_near(system, plan.buffer, pe, scratch_bytes(plan, system.spec()));
}

Collective::Collective(hw::System& system, const InstallPlan& plan, std::vector<mem::PhysAddr> data,
                       std::vector<mem::PhysAddr> scratch, const CollectiveArgs& args,
                       std::vector<mem::PhysAddr> input) {
  check(plan, args);
  const CollectiveAlgorithm* algorithm = plan.strategy();
  if (const auto kind = ring_kind(args.op); kind && algorithm && algorithm->runs_as_ring(args.op)) {
    ring_ = std::make_unique<RingCollective>(
        system, plan, std::move(data), std::move(scratch),
        RingArgs{*kind, args.dtype, args.combine, args.count, args.timing_only});
    return;
  }
  schedule_ = std::make_unique<ScheduleCollective>(
      system, plan, make_schedule(plan, args.op, args.count, args.root), std::move(data),
      std::move(scratch), ScheduleArgs{args.dtype, args.combine, args.timing_only},
      std::move(input));
}

Collective::~Collective() = default;

void Collective::start(sim::EventFn done, void* ctx) {
  if (ring_) return ring_->start(done, ctx);
  schedule_->start(done, ctx);
}

void Collective::run(sim::Process& p) {
  if (ring_) return ring_->run(p);
  schedule_->run(p);
}

base::SimTime Collective::started_at() const {
  return ring_ ? ring_->started_at() : schedule_->started_at();
}

base::SimTime Collective::finished_at() const {
  return ring_ ? ring_->finished_at() : schedule_->finished_at();
}

std::uint64_t Collective::messages() const {
  return ring_ ? ring_->messages() : schedule_->messages();
}

}  // namespace kernbench::ccl
