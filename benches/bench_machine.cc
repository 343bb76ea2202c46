#include "benches/bench_machine.h"

#include <algorithm>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "kernbench/topo/host_memory.h"

namespace kernbench::benches {

namespace {

// The context, once its machine is known to fit the host memory budget.
const BenchContext& within_budget(const BenchContext& context) {
  topo::check_host_memory(fmt::format("a machine of {} PEs", topo::pe_count(context.spec)),
                          topo::machine_host_bytes(context.spec), context.host_memory_budget_bytes);
  return context;
}

}  // namespace

BenchMachine::BenchMachine(const BenchContext& context)
    : BenchMachine(within_budget(context).spec, context.data, context.trace_sinks, context.start) {
  // A kernel bench's tensors grow its host memory past the machine's (as PEs^2 for a tensor split
  // over every PE): the runtime refuses the tensor, write or launch that would pass the budget.
  runtime_.host().set_host_memory_budget(context.host_memory_budget_bytes);
}

BenchMachine::BenchMachine(topo::TopologySpec spec)
    : BenchMachine(std::move(spec), DataMode::checked, {}, base::SimTime::zero()) {}

BenchMachine::BenchMachine(topo::TopologySpec spec, DataMode data,
                           std::vector<sim::TraceSink*> sinks, base::SimTime start)
    : data_(data),
      start_(start),
      shifted_(start, sinks),
      fanout_({&activity_, &shifted_}),
      system_(engine_, std::move(spec)),
      runtime_(system_) {
  engine_.set_limits(hw::run_limits(system_.spec()));
  // Without a trace only the report listens: the engine records into it directly.
  engine_.set_trace_sink(sinks.empty() ? static_cast<sim::TraceSink*>(&activity_) : &fanout_);
  runtime_.set_timing_only(data == DataMode::timing_only);
}

report::PhaseRecord BenchMachine::phase(std::string name, base::SimTime start,
                                        base::SimTime end) const {
  report::PhaseRecord p;
  p.name = std::move(name);
  p.start = start_ + start;
  p.duration = end - start;
  p.busiest = activity_.busiest_by_kind(start, end);
  return p;
}

namespace {

// What a request kind is part of, as a reader sees it: mapping and writing tensors deploys them,
// unmapping frees them; a launch, a read or anything else is its own phase.
std::string_view family(std::string_view kind) {
  if (kind == "map" || kind == "write") return "deploy";
  if (kind == "unmap") return "free";
  return kind;
}

// Adds a launch's TLB figures, summed over its PEs, when any of its programs reported them.
void add_translation(std::optional<report::TranslationRecord>& into,
                     const rt::LaunchStats& launch) {
  bool reported = false;
  for (const rt::PeStats& pe : launch.pes()) reported = reported || pe.reported > 0;
  if (!reported) return;
  const rt::ProgramStats total = launch.total();
  report::TranslationRecord& t = into ? *into : into.emplace();
  t.tlb_lookups += static_cast<std::uint64_t>(total.tlb_lookups);
  t.tlb_misses += static_cast<std::uint64_t>(total.tlb_misses);
  t.tlb_reach_bytes = std::max(t.tlb_reach_bytes, total.tlb_reach_bytes);
}

}  // namespace

// Runs of consecutive requests of one family become one phase named after the family and the
// tensors or kernel it served ("deploy x, y", "launch softmax", "read y", "free y, x").
std::vector<report::PhaseRecord> BenchMachine::request_phases(const BenchResult& result) const {
  const auto records = runtime_.records();
  std::vector<report::PhaseRecord> phases;
  for (std::size_t i = 0; i < records.size();) {
    const std::string_view kind = family(records[i].phase);
    std::vector<std::string> names;
    std::uint64_t bytes = 0;
    base::SimTime start = base::SimTime::max(), end = base::SimTime::zero();
    std::size_t j = i;
    std::optional<report::TranslationRecord> translation;
    for (; j < records.size() && family(records[j].phase) == kind; ++j) {
      if (records[j].launch) add_translation(translation, *records[j].launch);
      const hw::Completion& c = system_.completion(records[j].handle);
      std::string name =
          records[j].name == "kernel" && !result.kernel.empty() ? result.kernel : records[j].name;
      if (std::find(names.begin(), names.end(), name) == names.end())
        names.push_back(std::move(name));
      if (!c.done) continue;
      bytes += c.bytes.count();
      start = std::min(start, c.start);
      end = std::max(end, c.end);
    }
    i = j;
    if (start > end) continue;  // nothing of the run completed
    std::string label(kind);
    for (std::size_t n = 0; n < names.size(); ++n) label += (n == 0 ? " " : ", ") + names[n];
    report::PhaseRecord p = phase(std::move(label), start, end);
    p.bytes = bytes;
    p.translation = translation;
    if (kind == "launch") {  // a launch moves no payload itself: its kernel's traffic and work
      p.bytes = static_cast<std::uint64_t>(result.bytes);
      p.flops = result.flops;
    }
    phases.push_back(std::move(p));
  }
  return phases;
}

report::BenchRecord BenchMachine::record(const BenchResult& result) {
  system_.flush_trace();
  report::BenchRecord r;
  r.name = result.name;
  r.shape = result.shape;
  r.pes = result.pes;
  r.time = result.time;
  r.bytes = static_cast<std::uint64_t>(result.bytes);
  r.flops = result.flops;
  r.peak_flops = result.peak_flops;
  r.peak_bytes_per_second = result.peak_bytes_per_second;
  if (result.roofline)
    r.roofline =
        report::RooflineRecord{result.roofline->matrix_peak_flops,
                               result.roofline->memory_bound_flops, result.roofline->bound_name()};
  r.phases = request_phases(result);
  for (const ExtraPhase& extra : result.phases) {
    report::PhaseRecord p = phase(extra.name, extra.start, extra.end);
    p.bytes = extra.bytes;
    p.flops = extra.flops;
    r.phases.push_back(std::move(p));
  }
  std::stable_sort(r.phases.begin(), r.phases.end(),
                   [](const auto& a, const auto& b) { return a.start < b.start; });
  r.busiest = activity_.busiest_by_kind(result.start, result.start + result.time);
  r.check = result.check;
  return r;
}

}  // namespace kernbench::benches
