// One simulated machine for a bench run: engine, hardware and runtime, built from a spec and
// owned together, so each bench (and each test) simulates from time zero on its own machine.
#pragma once

#include "kernbench/hw/system.h"
#include "kernbench/rt/runtime.h"
#include "kernbench/sim/engine.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::benches {

class BenchMachine {
 public:
  /// Builds the machine `spec` describes, with a runtime over every SIP.
  explicit BenchMachine(topo::TopologySpec spec);
  BenchMachine(const BenchMachine&) = delete;
  BenchMachine& operator=(const BenchMachine&) = delete;

  /// The host's session (its waits run the engine).
  rt::Session& session() { return runtime_.host(); }
  const topo::TopologySpec& spec() const { return system_.spec(); }

 private:
  sim::Engine engine_;
  hw::System system_;
  rt::Runtime runtime_;
};

}  // namespace kernbench::benches
