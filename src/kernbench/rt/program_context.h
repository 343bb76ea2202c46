// The interface between a launch and the code a PE runs: each target PE runs the whole grid over
// its own shard, one program after another, and each program gets a ProgramContext saying which
// program it is, where it runs and what its arguments are. The kernel language (tl) and
// hand-written kernels both build on this.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kernbench/base/units.h"
#include "kernbench/rt/kernel_args.h"

namespace kernbench::sim {
class Process;
}
namespace kernbench::hw {
class Pe;
class System;
}  // namespace kernbench::hw

namespace kernbench::rt {

/// A 1-3-D grid of programs.
struct Grid {
  std::int64_t x = 1, y = 1, z = 1;
  std::int64_t size() const { return x * y * z; }
};

/// A grid given as a function of the PE's arguments (like Triton's grid callable), so each PE
/// can size its grid from its own shard shapes.
using GridFn = std::function<Grid(std::span<const KernelArg> args)>;

/// Where one program's time went, as the kernel reports it (the kernel language does; see
/// docs/kernel-language.md "Where the time went"): vector and matrix are unit service, wait is
/// time blocked (on data in flight, on the last stores, or queued behind another user of a
/// unit), dma the time at least one of its transfers was in flight (overlapping the rest), and
/// translation the part of dma in which at least one of them waited for the MMU.
struct ProgramStats {
  base::SimTime elapsed;  // from the program's start to the end of its last transfer
  base::SimTime dma;
  base::SimTime vector;
  base::SimTime matrix;
  base::SimTime wait;
  base::SimTime translation;
  std::int64_t dma_requests = 0;
  std::uint64_t tcm_peak_bytes = 0;   // the most TCM its live tiles held at once
  std::int64_t tlb_lookups = 0;       // pages its transfers looked up in the PE's TLB
  std::int64_t tlb_misses = 0;        // of which missed and took a page walk
  std::uint64_t tlb_reach_bytes = 0;  // what the PE's TLB maps when full: entries x page size

  /// Sums another program's figures (the TCM peak and TLB reach take the larger: a PE runs its
  /// programs one by one).
  ProgramStats& operator+=(const ProgramStats& o);
  bool operator==(const ProgramStats&) const = default;
};

class ProgramContext {
 public:
  ProgramContext(sim::Process& process, hw::Pe& pe, std::string_view kernel, Grid grid,
                 std::array<std::int64_t, 3> program_id, std::span<const KernelArg> args)
      : process_(process),
        pe_(pe),
        kernel_(kernel),
        grid_(grid),
        program_id_(program_id),
        args_(args) {}

  /// The process running this program (to block on time, units, transfers).
  sim::Process& process() const { return process_; }
  /// The PE it runs on (its units, MMU, DMA, IPCQ; pe().system() for the whole machine).
  hw::Pe& pe() const { return pe_; }
  /// The kernel's registered name (for errors and traces).
  std::string_view kernel() const { return kernel_; }
  /// This program's index along `axis` (0, 1, 2) within the PE's grid.
  std::int64_t program_id(int axis) const { return program_id_.at(static_cast<std::size_t>(axis)); }
  /// The grid's extent along `axis`.
  std::int64_t num_programs(int axis) const;
  const Grid& grid() const { return grid_; }
  /// The launch arguments in order.
  std::span<const KernelArg> args() const { return args_; }
  /// Argument `i` as a tensor; ShapeError naming the kernel and argument if it is a scalar.
  const TensorArg& tensor(std::size_t i) const;
  /// Argument `i` as a scalar; ShapeError naming the kernel and argument if it is a tensor.
  const ScalarArg& scalar(std::size_t i) const;

  /// Timing only (`--timing-only`): the kernel computes no values from loaded data, only what
  /// addresses, masks and charges need (the kernel language's data-less tiles).
  bool timing_only() const { return timing_only_; }
  void set_timing_only(bool on) { timing_only_ = on; }

  /// Reports where this program's time went (once, when it ends); the launch adds it to the
  /// PE's figures and the program's trace span.
  void record(const ProgramStats& stats) { recorded_ = stats; }
  /// What record() was given, if the kernel reported anything.
  const std::optional<ProgramStats>& recorded() const { return recorded_; }

 private:
  sim::Process& process_;
  hw::Pe& pe_;
  std::string_view kernel_;
  Grid grid_;
  std::array<std::int64_t, 3> program_id_;
  std::span<const KernelArg> args_;
  std::optional<ProgramStats> recorded_;
  bool timing_only_ = false;
};

/// A kernel: the code one program runs.
using KernelFn = std::function<void(ProgramContext&)>;

}  // namespace kernbench::rt
