// The machines and the one-collective bench the fidelity, contention and mid-size tests share:
// model_machine (64 PEs at the one corner of cube 0, memories and the vector unit far faster than
// the PE ports) and Bench (a machine, a ccl entry planned on it, one collective simulated).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/collective.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::ccl::fidelity {

constexpr std::uint64_t KiB = 1024, MiB = 1024 * KiB;

// 64 PEs at the one corner of cube 0: every PE-to-PE route is TCM port, PE port out, PE port in,
// TCM port. TCM (100 TB/s) and the vector unit (4096 lanes) are far faster than the ports. DMA
// chunks grow with the message size (a chunk is the pipelining unit of a transfer: small ones keep
// the fill short, large ones keep a 256 MiB sweep cheap to simulate); the model's alpha counts one.
inline topo::Overrides model_machine(std::uint64_t bytes) {
  const std::uint64_t dma_chunk = std::clamp<std::uint64_t>(bytes / 1024, 256, 64 * KiB);
  return {"cube.pe_layout.corners=1",
          "cube.pe_layout.pe_per_corner=64",
          "cube.pe_template.components.pe_tcm.attrs.size_mb=1024",
          "cube.pe_template.components.pe_tcm.attrs.bandwidth=100 TB/s",
          "cube.pe_template.components.pe_core.attrs.vector_lanes=4096",
          fmt::format("cube.pe_template.components.pe_dma.attrs.chunk_size={}", dma_chunk)};
}

inline std::string entry(const std::string& kind, int p) {
  return fmt::format("algorithms: {{a: {{kind: {}, world_size: {}}}}}", kind, p);
}

inline InstallPlan plan_entry(const topo::TopologySpec& spec, const std::string& entry_yaml) {
  const auto registry = default_algorithm_registry();
  const auto config = load_ccl_text(entry_yaml, "fidelity.yaml", registry.kinds());
  return registry.plan(config.entries.front(), spec);
}

// One collective's buffers: every rank's data (`bytes`, in its TCM; filled with small numbers
// unless timing-only) and receive buffer.
struct Buffers {
  std::vector<mem::PhysAddr> data, scratch;
  Buffers(hw::System& system, const InstallPlan& plan, std::uint64_t bytes, bool timing_only) {
    for (const topo::PeCoord pe : plan.ranks) {
      data.push_back(system.allocator().allocate_tcm(pe, base::Bytes(bytes)));
      scratch.push_back(Collective::allocate_scratch(system, plan, pe));
      if (!timing_only) {
        std::vector<float> v(bytes / 4, static_cast<float>(pe.pe % 3));
        system.bytes().write(data.back(), std::as_bytes(std::span(v)));
      }
    }
  }
};

// One machine and one ccl entry planned on it.
struct Bench {
  sim::Engine engine;
  hw::System system;
  InstallPlan plan;

  Bench(const topo::Overrides& machine, const std::string& entry_yaml)
      : system(engine, topo::default_topology(machine)),
        plan(plan_entry(system.spec(), entry_yaml)) {}

  // One collective of `bytes` f32 per rank, in ns.
  double simulate(std::uint64_t bytes, bool timing_only,
                  CollectiveOp op = CollectiveOp::all_reduce) {
    const std::uint64_t count = bytes / 4;
    const Buffers b(system, plan, bytes, timing_only);
    Collective c(system, plan, b.data, b.scratch,
                 {op, base::DType::f32, base::CombineOp::sum, count, 0, timing_only});
    c.start([](void*) {}, nullptr);
    engine.run();
    return (c.finished_at() - c.started_at()).ns();
  }
};

}  // namespace kernbench::ccl::fidelity
