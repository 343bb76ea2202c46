#include "kernbench/rt/launch.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/hw/pe.h"

namespace kernbench::rt {
namespace {

// The shard whose part `pe` sees of tensor argument `index`: its own, else the only part its
// SIP holds (mapped there by the nearest-copy rule).
const Shard& shard_seen_by(const TensorStorage& s, topo::PeCoord pe, std::string_view kernel,
                           std::size_t index) {
  const Shard* only = nullptr;
  std::set<int> parts;
  for (const Shard& shard : s.shards) {
    if (shard.pe == pe) return shard;
    if (shard.pe.sip == pe.sip && parts.insert(shard.part).second) only = &shard;
  }
  if (parts.size() == 1) return *only;
  throw base::ShapeError(fmt::format(
      "kernel '{}': argument {} (tensor '{}') has no shard on PE {}, which runs the kernel for "
      "another argument, and {} parts in its SIP to choose from; place the arguments alike",
      kernel, index, s.name, pe, parts.size()));
}

TensorArg view(const TensorStorage& s, const Shard& shard) {
  return TensorArg{s.name,
                   s.dtype,
                   s.part_va(shard.part),
                   shard.shape,
                   row_major_strides(shard.shape),
                   shard.global_offset,
                   s.shape};
}

std::set<topo::PeCoord> targets_of(std::span<const LaunchArg> args) {
  std::set<topo::PeCoord> pes;
  for (const LaunchArg& a : args)
    if (const auto* t = std::get_if<const Tensor*>(&a))
      for (const Shard& s : (*t)->shards()) pes.insert(s.pe);
  return pes;
}

void check_grid(const Grid& g, std::string_view kernel, topo::PeCoord pe) {
  if (g.x < 0 || g.y < 0 || g.z < 0)
    throw base::ShapeError(
        fmt::format("kernel '{}': grid ({}, {}, {}) on PE {} has a negative extent", kernel, g.x,
                    g.y, g.z, pe));
}

}  // namespace

LaunchPlan plan_launch(std::string kernel, KernelFn fn, const GridSpec& grid,
                       std::span<const LaunchArg> args) {
  LaunchPlan plan{std::move(kernel), std::move(fn), {}};
  const std::set<topo::PeCoord> targets = targets_of(args);
  if (targets.empty())
    throw base::ShapeError(
        fmt::format("kernel '{}': no tensor argument, so no PE to run on", plan.kernel));
  for (const topo::PeCoord& pe : targets) {
    PeWork w{pe, {}, {}};
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (const auto* t = std::get_if<const Tensor*>(&args[i])) {
        const TensorStorage& s = (*t)->storage();
        w.args.emplace_back(view(s, shard_seen_by(s, pe, plan.kernel, i)));
      } else {
        w.args.emplace_back(std::get<ScalarArg>(args[i]));
      }
    }
    w.grid = grid.resolve(w.args);
    check_grid(w.grid, plan.kernel, pe);
    plan.work.push_back(std::move(w));
  }
  return plan;
}

void run_programs(sim::Process& process, hw::Pe& pe, const LaunchPlan& plan, const PeWork& work) {
  const Grid& g = work.grid;
  for (std::int64_t z = 0; z < g.z; ++z)
    for (std::int64_t y = 0; y < g.y; ++y)
      for (std::int64_t x = 0; x < g.x; ++x) {
        ProgramContext ctx(process, pe, plan.kernel, g, {x, y, z}, work.args);
        plan.fn(ctx);
      }
}

std::vector<hw::KernelLaunch> launch_requests(std::shared_ptr<const LaunchPlan> plan) {
  std::map<int, std::vector<topo::PeCoord>> by_sip;
  for (const PeWork& w : plan->work) by_sip[w.pe.sip].push_back(w.pe);
  std::vector<hw::KernelLaunch> out;
  for (auto& [sip, pes] : by_sip) {
    out.push_back(hw::KernelLaunch{plan->kernel, hw::Targets(std::move(pes)),
                                   [plan](sim::Process& p, hw::Pe& pe) {
                                     for (const PeWork& w : plan->work)
                                       if (w.pe == pe.coord()) return run_programs(p, pe, *plan, w);
                                   }});
  }
  return out;
}

}  // namespace kernbench::rt
