// The AHBM machine built from a validated topology: it owns every component (fabric channels,
// memories and their bytes, PEs, M_CPUs, host links) and takes the host's requests. Nothing is
// global: two systems, each with its own engine, can live in one process.
#pragma once

#include <memory>
#include <vector>

#include "kernbench/hw/fabric.h"
#include "kernbench/hw/pe.h"
#include "kernbench/hw/request.h"
#include "kernbench/hw/transfer_engine.h"
#include "kernbench/mem/byte_store.h"
#include "kernbench/mem/physical_allocator.h"
#include "kernbench/sim/engine.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::hw {

class HostInterface;

/// The engine limits a run of `spec` takes: its event limit (system.max_events, named in the
/// error when reached) and the engine's default limit on simulated time.
sim::EngineLimits run_limits(const topo::TopologySpec& spec);

class System {
 public:
  System(sim::Engine& engine, topo::TopologySpec spec);
  System(const System&) = delete;
  System& operator=(const System&) = delete;
  ~System();

  const topo::TopologySpec& spec() const { return spec_; }
  sim::Engine& engine() const { return engine_; }
  Fabric& fabric() { return fabric_; }
  TransferEngine& transfers() { return transfers_; }
  mem::ByteStore& bytes() { return bytes_; }
  mem::PhysicalAllocator& allocator() { return allocator_; }
  /// The PE at `pe` (NotFoundError naming it if the machine has no such PE).
  Pe& pe(topo::PeCoord pe);
  /// The M_CPU of a cube: a server that handles one command at a time.
  sim::Resource& m_cpu(topo::CubeCoord cube);

  /// Moves `size` bytes from `src` to `dst` over the fabric (process blocks until they have
  /// arrived), then copies them in the byte store. No DMA channel is held (see Pe::dma_copy).
  void copy(sim::Process& p, mem::PhysAddr src, mem::PhysAddr dst, base::Bytes size);
  /// The functional half of a copy: bytes only, no time.
  void copy_bytes(mem::PhysAddr src, mem::PhysAddr dst, base::Bytes size);

  /// Closes every channel's current busy run in the engine's trace sink (call when a run is over,
  /// before finishing the trace: link and memory busy spans are written when a gap appears).
  void flush_trace();

  /// Sends a request from the host; it is checked now (a bad request throws and changes nothing)
  /// and travels host -> SIP -> cube M_CPU -> PE(s) in simulated time.
  RequestHandle submit(Request request);
  /// Runs the engine until the request has completed (from outside any process).
  const Completion& wait(RequestHandle handle);
  /// Blocks process `p` until the request has completed.
  const Completion& wait(sim::Process& p, RequestHandle handle);
  /// The completion record (done == false while in flight); NotFoundError for an unknown handle.
  const Completion& completion(RequestHandle handle) const;
  /// Moves a completed MemoryRead's bytes out of its record (which keeps its times), so a long
  /// session does not hold every byte it has read; empty for other requests or a second take.
  std::vector<std::byte> take_read_data(RequestHandle handle);

 private:
  sim::Engine& engine_;
  topo::TopologySpec spec_;
  Fabric fabric_;
  TransferEngine transfers_;
  mem::ByteStore bytes_;
  mem::PhysicalAllocator allocator_;
  std::vector<std::unique_ptr<Pe>> pes_;                // dense PE index
  std::vector<std::unique_ptr<sim::Resource>> m_cpus_;  // dense cube index
  std::unique_ptr<HostInterface> host_;
  std::size_t stall_reporter_ = 0;
};

}  // namespace kernbench::hw
