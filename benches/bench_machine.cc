#include "benches/bench_machine.h"

#include <utility>

namespace kernbench::benches {

BenchMachine::BenchMachine(topo::TopologySpec spec)
    : system_(engine_, std::move(spec)), runtime_(system_) {}

}  // namespace kernbench::benches
