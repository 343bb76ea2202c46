// Where a launch's time went: one record per program (where and when it ran, and the figures its
// kernel reported) and their sums per PE, filled while the launch runs and complete once it has
// been waited for. Kernels that report nothing (hand-written ones) still get their records and
// elapsed time; their breakdown stays zero.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "kernbench/rt/program_context.h"
#include "kernbench/topo/coord.h"

namespace kernbench::rt {

/// One program of a launch.
struct ProgramRecord {
  topo::PeCoord pe;
  std::array<std::int64_t, 3> program_id{};
  base::SimTime start;  // simulated time the program began and ended on its PE
  base::SimTime end;
  bool reported = false;  // whether the kernel recorded its breakdown (tl kernels do)
  ProgramStats stats;     // as reported; else only elapsed (= end - start)
};

/// One target PE's part of a launch: its programs' figures summed.
struct PeStats {
  topo::PeCoord pe;
  std::int64_t programs = 0;  // programs finished so far
  std::int64_t reported = 0;  // of which reported a breakdown
  base::SimTime start;        // first program's start, last program's end
  base::SimTime end;
  ProgramStats total;
};

class LaunchStats {
 public:
  /// Figures for `pes` (the launch's targets, in order), all zero.
  explicit LaunchStats(std::span<const topo::PeCoord> pes);

  /// Adds a finished program to its PE's sums (assertion if the PE is not a target).
  void record(const ProgramRecord& program);

  /// One entry per target PE, in PE order.
  std::span<const PeStats> pes() const { return pes_; }
  /// The entry of `pe`; NotFoundError if the launch did not target it.
  const PeStats& pe(topo::PeCoord pe) const;
  /// Every program, in the order they finished (global simulated time, ties in run order).
  std::span<const ProgramRecord> programs() const { return programs_; }
  /// Sums over every PE.
  ProgramStats total() const;
  /// Sums over the PEs of SIP `sip` (one KernelLaunch request's part).
  ProgramStats total(int sip) const;

 private:
  std::vector<PeStats> pes_;
  std::vector<ProgramRecord> programs_;
};

}  // namespace kernbench::rt
