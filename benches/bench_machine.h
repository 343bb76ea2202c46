// One simulated machine for a bench run: engine, hardware and runtime, built from a spec and
// owned together, so each bench (and each test) simulates from time zero on its own machine. It
// records what its resources did (an ActivityRecorder, plus the context's trace sinks) and turns a
// bench's result into the report's record: phases from the runtime's requests, the busiest unit,
// link and memory of each phase and of the measured span.
#pragma once

#include "benches/bench_context.h"
#include "benches/bench_result.h"

#include "kernbench/hw/system.h"
#include "kernbench/report/activity_recorder.h"
#include "kernbench/report/multi_trace_sink.h"
#include "kernbench/report/run_record.h"
#include "kernbench/rt/runtime.h"
#include "kernbench/sim/engine.h"
#include "kernbench/sim/shifted_trace_sink.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::benches {

class BenchMachine {
 public:
  /// Builds the machine the context describes, with a runtime over every SIP, recording into the
  /// context's trace sinks (shifted to the context's start) as well as its own recorder.
  explicit BenchMachine(const BenchContext& context);
  /// A checked machine with no sinks but its own recorder (for tests).
  explicit BenchMachine(topo::TopologySpec spec);
  BenchMachine(const BenchMachine&) = delete;
  BenchMachine& operator=(const BenchMachine&) = delete;

  /// The host's session (its waits run the engine).
  rt::Session& session() { return runtime_.host(); }
  rt::Runtime& runtime() { return runtime_; }
  hw::System& system() { return system_; }
  sim::Engine& engine() { return engine_; }
  const topo::TopologySpec& spec() const { return system_.spec(); }
  DataMode data() const { return data_; }
  const report::ActivityRecorder& activity() const { return activity_; }

  /// The report's record of `result`: its figures and check, one phase per run of consecutive
  /// requests of one family ("deploy x, y", "launch softmax", "free y, x") plus the extra phases,
  /// in start order, each with its busiest unit, link and memory; times on the run's timeline.
  /// Closes the machine's open busy spans first, so call it once the bench is done.
  report::BenchRecord record(const BenchResult& result);

 private:
  BenchMachine(topo::TopologySpec spec, DataMode data, std::vector<sim::TraceSink*> sinks,
               base::SimTime start);
  std::vector<report::PhaseRecord> request_phases(const BenchResult& result) const;
  report::PhaseRecord phase(std::string name, base::SimTime start, base::SimTime end) const;

  DataMode data_;
  base::SimTime start_;
  report::ActivityRecorder activity_;
  sim::ShiftedTraceSink shifted_;
  report::MultiTraceSink fanout_;
  sim::Engine engine_;
  hw::System system_;
  rt::Runtime runtime_;
};

}  // namespace kernbench::benches
