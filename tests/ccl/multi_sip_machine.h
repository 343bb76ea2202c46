// The machine the multi-rank tests run on: configs/ahbm_multi_sip.yaml (four SIPs on a ring)
// with a runtime over every SIP, simulated from time zero.
#pragma once

#include "kernbench/hw/system.h"
#include "kernbench/rt/runtime.h"
#include "kernbench/sim/engine.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::ccl {

struct MultiSip {
  sim::Engine engine;
  hw::System system{engine,
                    topo::load_topology_file(KERNBENCH_SOURCE_DIR "/configs/ahbm_multi_sip.yaml")};
  rt::Runtime runtime{system};
};

}  // namespace kernbench::ccl
