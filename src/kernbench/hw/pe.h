// One PE: its MMU (TLB and page walkers), DMA engine (channels), vector and matrix units, IPCQ,
// and the core that runs kernel programs one launch at a time. The units are FIFO servers that
// programs charge time to.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "kernbench/hw/ipcq.h"
#include "kernbench/hw/mmu.h"
#include "kernbench/hw/trace_track.h"
#include "kernbench/sim/resource.h"
#include "kernbench/topo/coord.h"

namespace kernbench::hw {

class System;

class Pe {
 public:
  Pe(System& system, topo::PeCoord coord);
  Pe(const Pe&) = delete;
  Pe& operator=(const Pe&) = delete;

  topo::PeCoord coord() const { return coord_; }
  System& system() const { return system_; }
  Mmu& mmu() { return mmu_; }
  Ipcq& ipcq() { return ipcq_; }
  /// Programs hold the core for a whole launch, so a PE runs launches in order.
  sim::Resource& core() { return core_; }
  sim::Resource& dma() { return dma_; }
  sim::Resource& vector_unit() { return vector_; }
  sim::Resource& matrix_unit() { return matrix_; }

  /// Copies `size` bytes from `src` to `dst` on one of this PE's DMA channels: the bytes cross
  /// the fabric from the source memory to the destination memory, then land functionally.
  void dma_copy(sim::Process& p, mem::PhysAddr src, mem::PhysAddr dst, base::Bytes size);
  /// The name of one of this PE's units, as its track's: "sip0/cube3/pe5/dma".
  std::string track(TrackKind kind) const;
  /// This PE's trace track of `kind` (core .. ipcq, not its MMU's), made on first use.
  sim::TraceTrack& trace_track(TrackKind kind);

 private:
  System& system_;
  topo::PeCoord coord_;
  Mmu mmu_;
  sim::Resource core_;
  sim::Resource dma_;
  sim::Resource vector_;
  sim::Resource matrix_;
  Ipcq ipcq_;
  std::array<sim::TraceTrack, 9> tracks_;  // by kind - core; empty until first used
};

}  // namespace kernbench::hw
