#include "kernbench/rt/launch.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/hw/pe.h"
#include "kernbench/hw/system.h"
#include "kernbench/sim/engine.h"
#include "kernbench/sim/process.h"

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

// The breakdown as trace args (times in ps).
std::array<sim::TraceArg, 10> trace_args(const ProgramStats& s) {
  return {sim::TraceArg{"dma_ps", s.dma.ps()},
          sim::TraceArg{"vector_ps", s.vector.ps()},
          sim::TraceArg{"matrix_ps", s.matrix.ps()},
          sim::TraceArg{"wait_ps", s.wait.ps()},
          sim::TraceArg{"translation_ps", s.translation.ps()},
          sim::TraceArg{"dma_requests", s.dma_requests},
          sim::TraceArg{"tcm_peak_bytes", static_cast<std::int64_t>(s.tcm_peak_bytes)},
          sim::TraceArg{"tlb_lookups", s.tlb_lookups},
          sim::TraceArg{"tlb_misses", s.tlb_misses},
          sim::TraceArg{"tlb_reach_bytes", static_cast<std::int64_t>(s.tlb_reach_bytes)}};
}

// The program's span on its PE's "core/programs" track, with its breakdown when it reported one.
void trace_program(hw::Pe& pe, std::string_view kernel, const ProgramRecord& r) {
  sim::Engine& engine = pe.system().engine();
  if (engine.trace_sink() == nullptr) return;  // no formatting when nobody listens
  const std::string name =
      fmt::format("{} ({}, {}, {})", kernel, r.program_id[0], r.program_id[1], r.program_id[2]);
  const auto args = trace_args(r.stats);
  engine.trace_span(
      pe.trace_track(hw::TrackKind::core_programs), name, r.start, r.end,
      r.reported ? std::span<const sim::TraceArg>(args) : std::span<const sim::TraceArg>());
}

// The PE's whole grid as one span on its "core/launches" track, with the programs' sums.
void trace_pe(hw::Pe& pe, std::string_view kernel, base::SimTime start, base::SimTime end,
              const ProgramStats& sum, std::int64_t programs, bool reported) {
  sim::Engine& engine = pe.system().engine();
  if (engine.trace_sink() == nullptr) return;
  const auto breakdown = trace_args(sum);
  std::vector<sim::TraceArg> args{sim::TraceArg{"programs", programs}};
  if (reported) args.insert(args.end(), breakdown.begin(), breakdown.end());
  engine.trace_span(pe.trace_track(hw::TrackKind::core_launches), kernel, start, end, args);
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

void run_programs(sim::Process& process, hw::Pe& pe, const LaunchPlan& plan, const PeWork& work,
                  LaunchStats* stats) {
  const Grid& g = work.grid;
  const base::SimTime start = process.now();
  ProgramStats sum;
  bool reported = false;
  for (std::int64_t x = 0; x < g.x; ++x)  // x outermost, z innermost, as Triton's interpreter
    for (std::int64_t y = 0; y < g.y; ++y)
      for (std::int64_t z = 0; z < g.z; ++z) {
        ProgramRecord r{pe.coord(), {x, y, z}, process.now(), {}, false, {}};
        ProgramContext ctx(process, pe, plan.kernel, g, r.program_id, work.args);
        ctx.set_timing_only(plan.timing_only);
        plan.fn(ctx);
        r.end = process.now();
        r.reported = ctx.recorded().has_value();
        r.stats = ctx.recorded().value_or(ProgramStats{});
        if (!r.reported) r.stats.elapsed = r.end - r.start;
        sum += r.stats;
        reported = reported || r.reported;
        trace_program(pe, plan.kernel, r);
        if (stats != nullptr) stats->record(r);
      }
  trace_pe(pe, plan.kernel, start, process.now(), sum, g.size(), reported);
}

std::vector<hw::KernelLaunch> launch_requests(std::shared_ptr<const LaunchPlan> plan,
                                              std::shared_ptr<LaunchStats> stats) {
  std::map<int, std::vector<topo::PeCoord>> by_sip;
  for (const PeWork& w : plan->work) by_sip[w.pe.sip].push_back(w.pe);
  std::vector<hw::KernelLaunch> out;
  for (auto& [sip, pes] : by_sip) {
    out.push_back(hw::KernelLaunch{plan->kernel, hw::Targets(std::move(pes)),
                                   [plan, stats](sim::Process& p, hw::Pe& pe) {
                                     for (const PeWork& w : plan->work)
                                       if (w.pe == pe.coord())
                                         return run_programs(p, pe, *plan, w, stats.get());
                                   }});
  }
  return out;
}

}  // namespace kernbench::rt
