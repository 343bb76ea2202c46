// The machine's physical memories as allocators: HBM per slice (a PE allocates from its home
// slices), TCM per PE (the usable part; the reserved part is the top of the TCM), SRAM per cube.
// Out of memory and bad frees are user errors that name the memory in structural coordinates.
#pragma once

#include <map>

#include "kernbench/base/units.h"
#include "kernbench/mem/memory_id.h"
#include "kernbench/mem/phys_addr.h"
#include "kernbench/mem/range_allocator.h"
#include "kernbench/topo/coord.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::mem {

/// Alignment when the caller names none: 64 B, a DMA burst. Memory that will be mapped through a
/// page table must be allocated page-aligned (pass the MMU page size).
inline constexpr base::Bytes kDefaultAlignment{64};

class PhysicalAllocator {
 public:
  /// Allocators for every memory of `spec` (kept by value). Each memory's bookkeeping is created
  /// on its first allocation, so host memory grows with the memories used, not the machine size.
  explicit PhysicalAllocator(topo::TopologySpec spec);

  /// HBM from `pe`'s home slices, trying them in slice order.
  PhysAddr allocate_hbm(topo::PeCoord pe, base::Bytes size,
                        base::Bytes alignment = kDefaultAlignment);
  /// HBM from one named slice of a cube.
  PhysAddr allocate_hbm_slice(topo::CubeCoord cube, int slice, base::Bytes size,
                              base::Bytes alignment = kDefaultAlignment);
  /// TCM of `pe` (capacity: size minus reserved).
  PhysAddr allocate_tcm(topo::PeCoord pe, base::Bytes size,
                        base::Bytes alignment = kDefaultAlignment);
  /// SRAM of `cube`.
  PhysAddr allocate_sram(topo::CubeCoord cube, base::Bytes size,
                         base::Bytes alignment = kDefaultAlignment);
  /// Frees the block that starts at `pa`; AddressError if no block starts there.
  void free(PhysAddr pa);

  /// Size of the block that starts at `pa`; AddressError if no block starts there.
  base::Bytes block_size(PhysAddr pa) const;
  /// What `memory` can hold at most (TCM: without the reserved part).
  base::Bytes capacity(MemoryId memory) const;
  base::Bytes free_bytes(MemoryId memory) const;
  base::Bytes largest_free_block(MemoryId memory) const;
  const topo::TopologySpec& spec() const { return spec_; }

 private:
  /// The allocator of `memory`, created on first use; AddressError if the memory does not exist.
  RangeAllocator& allocator(MemoryId memory);
  const RangeAllocator* find(MemoryId memory) const;
  void check_exists(MemoryId memory) const;
  PhysAddr allocate_in(MemoryId memory, base::Bytes size, base::Bytes alignment);

  topo::TopologySpec spec_;
  std::map<MemoryId, RangeAllocator> allocators_;
};

}  // namespace kernbench::mem
