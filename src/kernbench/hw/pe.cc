#include "kernbench/hw/pe.h"

#include "kernbench/base/assert.h"
#include "kernbench/hw/system.h"
#include "kernbench/sim/process.h"

namespace kernbench::hw {

Pe::Pe(System& system, topo::PeCoord coord)
    : system_(system),
      coord_(coord),
      mmu_(system.engine(), pe_track(coord, TrackKind::mmu), coord, system.spec().cube.pe.mmu),
      core_(system.engine(), track(TrackKind::core)),
      dma_(system.engine(), track(TrackKind::dma),
           static_cast<std::size_t>(system.spec().cube.pe.dma.channels)),
      vector_(system.engine(), track(TrackKind::vector)),
      matrix_(system.engine(), track(TrackKind::matrix)),
      ipcq_(system, coord, system.spec().cube.pe.ipcq.depth) {}

std::string Pe::track(TrackKind kind) const { return pe_track(coord_, kind).name(); }

sim::TraceTrack& Pe::trace_track(TrackKind kind) {
  const auto slot = static_cast<std::size_t>(kind) - static_cast<std::size_t>(TrackKind::core);
  KB_ASSERT(slot < tracks_.size() && kind != TrackKind::mmu, "not a track a PE keeps");
  sim::TraceTrack& track = tracks_[slot];
  if (track.name().empty()) track = pe_track(coord_, kind);
  return track;
}

void Pe::dma_copy(sim::Process& p, mem::PhysAddr src, mem::PhysAddr dst, base::Bytes size) {
  dma_.acquire(p);
  const base::SimTime start = p.now();
  system_.copy(p, src, dst, size);
  system_.engine().trace_span(
      trace_track(TrackKind::dma), "copy", start, p.now(),
      std::array{sim::TraceArg{"bytes", static_cast<std::int64_t>(size.count())}});
  dma_.release();
}

}  // namespace kernbench::hw
