// Internal: what load, store, the atomics and block pointers share — the pointer's program, the
// mask broadcast to the pointer's shape, and the active lanes planned into translated runs.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "kernbench/tl/dma_request.h"
#include "kernbench/tl/operand.h"
#include "kernbench/tl/tile.h"

namespace kernbench::tl::detail {

/// The program a pointer tile came from; SemanticError for a non-pointer or program-less tile.
Program& program_of_pointer(const Tile& ptr, const char* op);
/// The mask as a bool tile of the pointer's shape (same-rank broadcast), or nullopt for "all".
std::optional<Tile> mask_for(const Tile* mask, const Tile& ptr, const char* op);
/// The active lanes grouped into maximal address-contiguous runs that each sit in one mapping,
/// translated; first_lane[r] is the lane run r starts in. Throws AddressError for the first
/// active lane outside every mapping.
std::vector<DmaRun> plan_runs(Program& program, const Tile& ptr, const std::optional<Tile>& mask,
                              const char* op, std::vector<std::int64_t>& first_lane);

/// Groups address-contiguous active bytes into translated runs, as plan_runs does lane by lane:
/// add() takes contiguous lanes at once, gap() stands for masked lanes (they end the run).
class RunPlanner {
 public:
  RunPlanner(Program& program, const char* op, std::uint64_t element_bytes,
             std::vector<DmaRun>& runs, std::vector<std::int64_t>& first_lane)
      : program_(program), op_(op), eb_(element_bytes), runs_(runs), first_lane_(first_lane) {}
  /// `bytes` at `va`, the elements of lanes `lane`, `lane` + 1, ...; AddressError if unmapped.
  void add(std::uint64_t va, std::uint64_t bytes, std::int64_t lane);
  void gap() { room_ = 0; }

 private:
  Program& program_;
  const char* op_;
  std::uint64_t eb_;
  std::vector<DmaRun>& runs_;
  std::vector<std::int64_t>& first_lane_;
  std::uint64_t room_ = 0;  // bytes still contiguous in its mapping after the last run's end
  // The last translation: [mapped_va_, mapped_va_ + mapped_bytes_) lies in one mapping from
  // mapped_pa_ on, so a later run inside it needs no page-table search.
  std::uint64_t mapped_va_ = 0, mapped_bytes_ = 0;
  mem::PhysAddr mapped_pa_;
};

/// Plans the runs of a load or store into `runs`, the lane each starts in into `first_lane`.
using PlanFn = std::function<std::vector<DmaRun>(std::vector<std::int64_t>& first_lane)>;
/// A load of a tile of `shape` and `dtype` whose runs `plan` gives (called where load_lanes
/// plans), `other` filling the lanes no run covers.
Tile load_planned(Program& program, const Shape& shape, DType dtype, const Operand* other,
                  const PlanFn& plan);
/// A store of `value` (cast to `dtype`, broadcast to `shape`) over the runs `plan` gives.
void store_planned(Program& program, const Shape& shape, DType dtype, const Operand& value,
                   const PlanFn& plan);

/// load for `program` (which the pointer tile need not carry: block pointers build theirs
/// outside any program so their addresses take no TCM).
Tile load_lanes(Program& program, const Tile& ptr, const Tile* mask, const Operand* other);
/// store for `program`, as load_lanes.
void store_lanes(Program& program, const Tile& ptr, const Operand& value, const Tile* mask);

}  // namespace kernbench::tl::detail
