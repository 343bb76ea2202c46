// The interface between a launch and the code a PE runs: each target PE runs the whole grid over
// its own shard, one program after another, and each program gets a ProgramContext saying which
// program it is, where it runs and what its arguments are. The kernel language (tl) and
// hand-written kernels both build on this.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

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

 private:
  sim::Process& process_;
  hw::Pe& pe_;
  std::string_view kernel_;
  Grid grid_;
  std::array<std::int64_t, 3> program_id_;
  std::span<const KernelArg> args_;
};

/// A kernel: the code one program runs.
using KernelFn = std::function<void(ProgramContext&)>;

}  // namespace kernbench::rt
