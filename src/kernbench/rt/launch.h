// What a launch is made of before it reaches the machine: arguments (tensor handles and
// scalars), a grid or grid function, and the per-PE plan -- each target PE with its grid and the
// view of every argument as that PE sees it.
#pragma once

#include <concepts>
#include <memory>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "kernbench/hw/request.h"
#include "kernbench/rt/launch_stats.h"
#include "kernbench/rt/program_context.h"
#include "kernbench/rt/tensor.h"

namespace kernbench::rt {

/// A launch argument as the host passes it.
using LaunchArg = std::variant<const Tensor*, ScalarArg>;

/// Converts a tensor or a C++ scalar (integers -> i64, floating -> f64, bool) to a LaunchArg.
inline LaunchArg to_launch_arg(const Tensor& t) { return &t; }
inline LaunchArg to_launch_arg(const ScalarArg& s) { return s; }
template <typename T>
requires std::is_arithmetic_v<T> LaunchArg to_launch_arg(T value) {
  if constexpr (std::is_same_v<T, bool>)
    return ScalarArg{base::DType::boolean, value};
  else if constexpr (std::is_integral_v<T>)
    return ScalarArg{base::DType::i64, static_cast<std::int64_t>(value)};
  else
    return ScalarArg{base::DType::f64, static_cast<double>(value)};
}

/// A fixed Grid, or a GridFn evaluated on each PE's arguments.
class GridSpec {
 public:
  GridSpec(Grid grid) : grid_(grid) {}  // NOLINT(google-explicit-constructor): reads as a grid
  template <typename F>
  requires std::is_invocable_r_v<Grid, F, std::span<const KernelArg>> GridSpec(F fn)
      : fn_(GridFn(std::move(fn))) {}
  /// The grid for one PE's arguments.
  Grid resolve(std::span<const KernelArg> args) const { return fn_ ? fn_(args) : grid_; }

 private:
  Grid grid_;
  GridFn fn_;
};

/// What one target PE runs: its grid over its own arguments.
struct PeWork {
  topo::PeCoord pe;
  Grid grid;
  std::vector<KernelArg> args;
};

/// A whole launch, shared by the PE programs of every SIP it spans.
struct LaunchPlan {
  std::string kernel;
  KernelFn fn;
  std::vector<PeWork> work;  // sorted by PE
  bool timing_only = false;  // the programs compute no values from loaded data
};

/// Plans a launch: targets are the PEs holding shards of any tensor argument; each gets the view
/// of its own shard of every tensor (or, holding none, the tensor's only part in its SIP).
/// ShapeError for a bad grid or a tensor a target PE has no unique view of.
LaunchPlan plan_launch(std::string kernel, KernelFn fn, const GridSpec& grid,
                       std::span<const LaunchArg> args);

/// Runs the whole grid of `work` on `pe`: program ids with x outermost, then y, then z
/// (Triton's interpreter's order). Each
/// program leaves a span "<kernel> (x, y, z)" on the PE's "core/programs" trace track (its reported
/// breakdown as args: dma_ps, vector_ps, matrix_ps, wait_ps, translation_ps, dma_requests,
/// tcm_peak_bytes, tlb_lookups, tlb_misses, tlb_reach_bytes) and,
/// given `stats`, a record there; the whole grid a span "<kernel>" on its "core/launches" track
/// (args: programs and the sums). Both sit under the PE's core track (hw's span of the whole
/// kernel), not beside its units, so reports do not count them as unit activity.
void run_programs(sim::Process& process, hw::Pe& pe, const LaunchPlan& plan, const PeWork& work,
                  LaunchStats* stats = nullptr);

/// The KernelLaunch requests of a plan: one per SIP, targeting that SIP's PEs of the plan; the
/// programs they run record into `stats` when given (one LaunchStats over the plan's PEs).
std::vector<hw::KernelLaunch> launch_requests(std::shared_ptr<const LaunchPlan> plan,
                                              std::shared_ptr<LaunchStats> stats = nullptr);

/// A launch in flight: its kernel, one request per SIP, and where its time goes (complete once
/// the launch has been waited for: per PE, per program, and summed).
struct LaunchHandle {
  std::string kernel;
  std::vector<hw::RequestHandle> requests;
  std::shared_ptr<const LaunchStats> stats;
};

}  // namespace kernbench::rt
