#include "kernbench/rt/launch_stats.h"

#include <algorithm>

#include <fmt/format.h>

#include "kernbench/base/assert.h"
#include "kernbench/base/error.h"

namespace kernbench::rt {

LaunchStats::LaunchStats(std::span<const topo::PeCoord> pes) {
  for (const topo::PeCoord& pe : pes) pes_.push_back(PeStats{pe, 0, 0, {}, {}, {}});
}

void LaunchStats::record(const ProgramRecord& program) {
  const auto it = std::ranges::find(pes_, program.pe, &PeStats::pe);
  KB_ASSERT(it != pes_.end(), "a program ran on a PE its launch did not target");
  if (it->programs == 0) it->start = program.start;
  ++it->programs;
  if (program.reported) ++it->reported;
  it->end = program.end;
  it->total += program.stats;
  programs_.push_back(program);
}

const PeStats& LaunchStats::pe(topo::PeCoord pe) const {
  const auto it = std::ranges::find(pes_, pe, &PeStats::pe);
  if (it == pes_.end())
    throw base::NotFoundError(fmt::format("the launch did not run on PE {}", pe));
  return *it;
}

ProgramStats LaunchStats::total() const {
  ProgramStats sum;
  for (const PeStats& p : pes_) sum += p.total;
  return sum;
}

ProgramStats LaunchStats::total(int sip) const {
  ProgramStats sum;
  for (const PeStats& p : pes_)
    if (p.pe.sip == sip) sum += p.total;
  return sum;
}

}  // namespace kernbench::rt
