// One running program of a kernel, as the kernel language sees it: its grid coordinates, its
// arguments as tiles and pointers, and the tally of work its ops charge. Tiles computed in a
// program point back to it, which is how free-function ops (load, store, +, dot ...) find their
// program without a global "current context" (STYLE.md rule 4).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "kernbench/base/units.h"
#include "kernbench/mem/phys_addr.h"
#include "kernbench/mem/virt_addr.h"
#include "kernbench/rt/program_context.h"
#include "kernbench/tl/tile.h"
#include "kernbench/tl/work.h"

namespace kernbench::sim {
class Resource;
}

namespace kernbench::tl {

/// One address-contiguous piece of a load or store: where it is and how many bytes it moves.
struct DmaRun {
  mem::VirtAddr va;
  mem::PhysAddr pa;
  std::uint64_t size_bytes = 0;
};

enum class DmaDirection : std::uint8_t { read, write };

class Program {
 public:
  /// Wraps the runtime's context of one program; the context must outlive this object.
  explicit Program(rt::ProgramContext& context) : context_(context) {}
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

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
  /// unit's tile. DMA runs are tallied only (their timing over each run's route comes next).
  void charge_vector(VectorClass cls, DType dtype, std::int64_t elements);
  void charge_matrix(DType dtype, std::int64_t batch, std::int64_t m, std::int64_t n,
                     std::int64_t k);
  void charge_dma(DmaDirection direction, std::span<const DmaRun> runs);

 private:
  void check_axis(int axis, const char* op) const;
  /// Holds `unit` for `cycles` of `clock` (blocks this program's process until served).
  void spend(sim::Resource& unit, std::int64_t cycles, base::Frequency clock);

  rt::ProgramContext& context_;
  WorkTally work_;
};

/// Adapts a kernel-language body to the runtime's kernel type.
rt::KernelFn kernel(std::function<void(Program&)> body);

}  // namespace kernbench::tl
