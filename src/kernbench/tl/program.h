// One running program of a kernel, as the kernel language sees it: its grid coordinates, its
// arguments as tiles and pointers, and the tally of work its ops charge. Tiles computed in a
// program point back to it, which is how free-function ops (load, store, +, dot ...) find their
// program without a global "current context" (STYLE.md rule 4).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "kernbench/base/units.h"
#include "kernbench/mem/phys_addr.h"
#include "kernbench/mem/virt_addr.h"
#include "kernbench/rt/program_context.h"
#include "kernbench/tl/dma_request.h"
#include "kernbench/tl/program_stats.h"
#include "kernbench/tl/tcm_ledger.h"
#include "kernbench/tl/tile.h"
#include "kernbench/tl/work.h"

namespace kernbench::sim {
class Event;
class Resource;
}  // namespace kernbench::sim

namespace kernbench::tl {

class Program {
 public:
  /// Wraps the runtime's context of one program; the context must outlive this object.
  explicit Program(rt::ProgramContext& context);
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;
  /// Requests still in flight (the body threw) forget this program; they finish on their own.
  ~Program();

  rt::ProgramContext& context() const { return context_; }
  /// This program's coordinate on `axis` (0, 1, 2) as an i32 scalar (TRITON.md §2.1).
  Tile program_id(int axis);
  /// The grid's extent on `axis` as an i32 scalar.
  Tile num_programs(int axis);
  /// Tensor argument `arg` as the runtime passed it (shard shape, strides, global offset ...).
  const rt::TensorArg& tensor(std::size_t arg) const;
  /// A scalar pointer to the first element of tensor argument `arg`'s local shard.
  Tile pointer(std::size_t arg);
  /// Scalar argument `arg` typed as compiled Triton types kernel arguments: bool -> bool,
  /// integers -> i32 when they fit (else i64), floating -> f32.
  Tile scalar(std::size_t arg);
  /// Scalar argument `arg` cast to `dtype` (when Triton's specialisation is not wanted).
  Tile scalar(std::size_t arg, DType dtype);

  /// "kernel 'name' program (x, y, z) on PE (sip s, cube c, pe p)": how errors say where.
  std::string where() const;
  /// The work charged so far.
  const WorkTally& work() const { return work_; }

  /// Timing hooks, called by the ops: they tally the work and hold the PE's unit for its time —
  /// vector lanes by dtype (transcendentals on their own lanes), matrix MACs rounded up to the
  /// unit's tile.
  void charge_vector(VectorClass cls, DType dtype, std::int64_t elements);
  void charge_matrix(DType dtype, std::int64_t batch, std::int64_t m, std::int64_t n,
                     std::int64_t k);
  /// Tallies `runs` and starts them as one DMA request (null when there are none); the
  /// program does not wait: a tile the request fills carries it (Tile::arrives_with).
  std::shared_ptr<DmaRequest> charge_dma(DmaDirection direction, std::string_view op,
                                         std::vector<DmaRun> runs);
  /// The fabric route from `memory` to this PE's TCM (`toward_tcm`) or back, built once per
  /// program and shared by its DMA requests.
  const std::shared_ptr<const hw::Route>& route(const mem::MemoryId& memory, bool toward_tcm);
  /// Blocks until `request` is done, counting the time as waiting.
  void await(DmaRequest& request);
  /// Keeps `done` (an IPCQ send or reduction this program started) for finish() to wait on.
  void hold(std::shared_ptr<sim::Event> done);
  /// Ends the program: waits for every DMA still in flight (stores complete asynchronously
  /// until here) and every IPCQ operation it holds, and closes the figures. kernel() calls it
  /// after the body.
  void finish();
  /// Where the time went so far (final after finish()).
  ProgramStats stats() const;
  /// The ledger of TCM bytes held by this program's live tiles.
  const std::shared_ptr<TcmLedger>& tcm_ledger() const { return ledger_; }

 private:
  void check_axis(int axis, const char* op) const;
  /// Holds `unit` for `cycles` of `clock` (blocks this program's process until served).
  void spend(sim::Resource& unit, std::int64_t cycles, base::Frequency clock, std::string_view op,
             base::SimTime& tally);
  /// Moves finished requests off the front of the in-flight list into the DMA busy time.
  void retire_done();

  rt::ProgramContext& context_;
  WorkTally work_;
  ProgramStats stats_;
  base::SimTime start_;
  base::SimTime dma_covered_until_;          // end of the union of retired requests' intervals
  base::SimTime translation_covered_until_;  // the same for their translations
  std::shared_ptr<TcmLedger> ledger_;
  std::deque<std::shared_ptr<DmaRequest>> requests_;  // issued, not yet retired, in issue order
  std::vector<std::shared_ptr<sim::Event>> held_;     // IPCQ operations, maybe still under way
  struct Routes {
    mem::MemoryId memory;
    std::shared_ptr<const hw::Route> to_tcm, to_memory;  // null until first asked for
  };
  std::vector<Routes> routes_;  // the memories this program's DMA requests touched
};

/// Adapts a kernel-language body to the runtime's kernel type: runs the body, finish()es the
/// program and records its stats() with the runtime (per-PE sums, trace span, completion table).
rt::KernelFn kernel(std::function<void(Program&)> body);

}  // namespace kernbench::tl
