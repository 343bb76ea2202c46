// Runs a drawn case timing-only under a fabric model, as `kernbench ccl bench` does (data in each
// rank's home HBM slice, receive buffers in the entry's buffer memory), and computes the case's
// link-load bound on the same machine from the textbook traffic.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "link_load_bound.h"
#include "random_case.h"

#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/collective.h"
#include "kernbench/hw/system.h"
#include "kernbench/sim/engine.h"

namespace kernbench::property {

/// What one run gives: the collective's time, its bound and what the tolerances need.
struct Outcome {
  base::SimTime time;
  base::SimTime bound;
  std::string busiest;            // the channel that sets the bound
  base::SimTime chunk_service;    // one DMA chunk at the slowest pace the traffic moves at
  int steps = 0;                  // steps of the textbook schedule
  std::uint64_t min_message = 0;  // bytes of the smallest message (a ccl chunk or less)
  std::uint64_t ccl_chunk = 0;    // as run: the drawn one, halved until receive buffers fit
  bool window_limited = false;    // some message's route is window-limited (link_load_bound.h)
  int most_crossings = 0;         // the most crossings of one channel in one step (link_load)
  base::SimTime longest_trip;     // one DMA chunk along the longest route (link_load_bound.h)
  int fan_out = 0;                // the most peers one rank sends to in one step
};

inline ccl::AlgorithmEntry entry_of(const CollectiveDraw& d, const topo::TopologySpec& spec) {
  ccl::AlgorithmEntry e;
  e.name = "property";
  e.kind = d.kind;
  e.world_size = d.world;
  e.mapping = d.mapping;
  e.buffer = d.buffer;
  e.chunk_size = base::Bytes(d.ccl_chunk);
  e.fanout = d.fanout;
  e.origin = "property";
  if (d.mapping == ccl::RankMapping::explicit_list)
    e.ranks = explicit_ranks(spec.system.sip_count, spec.cubes_per_sip(), spec.pes_per_cube(), d);
  return e;
}

/// The case's ccl chunk, halved until every rank's receive buffer fits its memory (half of a
/// TCM's usable bytes, half of a cube's SRAM over the ranks in the cube).
inline std::uint64_t fitted_chunk(const CollectiveDraw& d, const topo::TopologySpec& spec,
                                  const ccl::AlgorithmRegistry& registry) {
  ccl::AlgorithmEntry e = entry_of(d, spec);
  for (;;) {
    const ccl::InstallPlan plan = registry.plan(e, spec);
    std::map<topo::CubeCoord, std::uint64_t> per_cube;
    for (const topo::PeCoord& pe : plan.ranks) ++per_cube[pe.cube_coord()];
    std::uint64_t crowd = 1;
    for (const auto& [cube, n] : per_cube) crowd = std::max(crowd, n);
    const std::uint64_t need = ccl::Collective::scratch_bytes(plan, spec).count();
    const std::uint64_t room = d.buffer == mem::MemoryKind::tcm ? spec.cube.pe.tcm.usable().count()
                               : d.buffer == mem::MemoryKind::sram
                                   ? spec.cube.sram.size.count() / crowd
                                   : std::uint64_t{1} << 40;
    if (2 * need <= room || e.chunk_size.count() <= 4 * KiB) return e.chunk_size.count();
    e.chunk_size = e.chunk_size / 2;
  }
}

/// A case's machine under a fabric model and its collective planned on it (the ccl chunk fitted).
struct PlannedCase {
  topo::TopologySpec spec;
  CollectiveDraw draw;
  ccl::InstallPlan plan;
};

inline PlannedCase plan_case(const Case& c, topo::FabricModel model) {
  topo::Overrides o = overrides(c.machine);
  o.push_back(fmt::format("system.fabric_model={}", topo::name(model)));
  PlannedCase p{topo::default_topology(o), c.collective, {}};
  const ccl::AlgorithmRegistry registry = ccl::default_algorithm_registry();
  p.draw.ccl_chunk = fitted_chunk(p.draw, p.spec, registry);
  p.plan = registry.plan(entry_of(p.draw, p.spec), p.spec);
  return p;
}

constexpr std::uint64_t kElementBytes = 4;  // the cases run f32

/// Elements per rank the case's op runs on (all_to_all: a multiple of the world size).
inline std::uint64_t element_count(const PlannedCase& planned) {
  std::uint64_t count = planned.draw.bytes / kElementBytes;
  if (planned.draw.op == ccl::CollectiveOp::all_to_all)
    count -= count % static_cast<std::uint64_t>(planned.plan.world_size());
  return count;
}

/// Bytes of the smallest message of `sends`: a send is cut into ccl chunks, the last one partial.
inline std::uint64_t smallest_message(const PlannedCase& planned, const std::vector<Send>& sends) {
  std::uint64_t least = ~std::uint64_t{0};
  const std::uint64_t chunk = planned.draw.ccl_chunk / kElementBytes * kElementBytes;
  for (const Send& s : sends) {
    const std::uint64_t b = s.elements * kElementBytes;
    if (b == 0) continue;
    least = std::min(least, b < chunk ? b : (b % chunk ? b % chunk : chunk));
  }
  return least;
}

inline std::vector<Send> textbook_traffic(const PlannedCase& planned) {
  return textbook_traffic(planned.plan, planned.draw.op, element_count(planned), planned.draw.root);
}

/// Runs `c` under `model` (timing-only) and computes its bound.
inline Outcome run_case(const Case& c, topo::FabricModel model) {
  const PlannedCase planned = plan_case(c, model);
  const topo::TopologySpec& spec = planned.spec;
  const CollectiveDraw& d = planned.draw;
  const ccl::InstallPlan& plan = planned.plan;
  const std::uint64_t esize = kElementBytes;
  const std::uint64_t count = element_count(planned);

  sim::Engine engine;
  sim::EngineLimits limits = engine.limits();
  limits.max_events = Scale::from_environment().max_events;
  engine.set_limits(limits);
  hw::System system(engine, spec);
  std::vector<mem::PhysAddr> data, scratch, input;
  RankMemories memories;
  const base::Bytes bytes(std::max<std::uint64_t>(count * esize, 1));
  for (const topo::PeCoord& pe : plan.ranks) {
    data.push_back(system.allocator().allocate_hbm(pe, bytes));
    scratch.push_back(ccl::Collective::allocate_scratch(system, plan, pe));
    if (d.op == ccl::CollectiveOp::all_to_all)
      input.push_back(system.allocator().allocate_hbm(pe, bytes));
    memories.data.push_back(data.back().memory());
    memories.receive.push_back(scratch.back().memory());
    memories.source.push_back(input.empty() ? data.back().memory() : input.back().memory());
    memories.pes.push_back(pe);
  }
  ccl::Collective collective(system, plan, data, scratch,
                             {d.op, base::DType::f32, base::CombineOp::sum, count, d.root, true},
                             input);
  collective.start([](void*) {}, nullptr);
  engine.run();

  Outcome out;
  out.time = collective.finished_at() - collective.started_at();
  out.ccl_chunk = d.ccl_chunk;
  const std::vector<Send> sends = textbook_traffic(planned);
  const LinkLoad load =
      link_load(system.fabric(), sends, memories, esize, true, d.ccl_chunk / esize * esize);
  out.bound = load.bound;
  out.busiest = load.busiest ? load.busiest->track() : "";
  out.most_crossings = load.most_crossings;
  for (const auto& [channel, n] : load.bytes)
    out.chunk_service = std::max(
        out.chunk_service,
        base::transfer_time(base::Bytes(spec.cube.pe.dma.chunk_size), channel->bandwidth()));
  out.min_message = smallest_message(planned, sends);
  std::map<std::pair<int, int>, int> peers;  // (rank, step) -> sends
  for (const Send& s : sends) {
    out.steps = std::max(out.steps, s.step + 1);
    out.fan_out = std::max(out.fan_out, ++peers[{s.from, s.step}]);
  }
  // all_to_all's steps are a textbook order only: every rank's sends go out as its DMA channels
  // take them, to several peers at once.
  if (d.op == ccl::CollectiveOp::all_to_all) out.fan_out = plan.world_size() - 1;
  const RouteFigures routes =
      route_figures(system.fabric(), sends, memories, esize, d.ccl_chunk / esize * esize,
                    base::Bytes(spec.cube.pe.dma.chunk_size), spec.cube.pe.dma.chunks_in_flight);
  out.window_limited = routes.window_limited;
  out.longest_trip = routes.longest_trip;
  // A window-limited route moves a chunk at its window's pace, not its slowest channel's.
  out.chunk_service = std::max(out.chunk_service, routes.slowest_chunk);
  return out;
}

}  // namespace kernbench::property
