// What a live tensor owns on the machine: each shard's physical block (home HBM of its PE,
// page-aligned), one virtual range with a page-aligned slot per distinct part, and the map
// requests that made the parts visible. Owned by the Runtime; Tensor is the user's handle to it.
#pragma once

#include <string>
#include <vector>

#include "kernbench/hw/system.h"
#include "kernbench/mem/virtual_allocator.h"
#include "kernbench/rt/mapping_plan.h"
#include "kernbench/rt/placement.h"

namespace kernbench::rt {

struct TensorStorage {
  std::string name;
  base::DType dtype = base::DType::f32;
  Shape shape;
  Placement placement;
  std::vector<Shard> shards;
  std::vector<mem::PhysAddr> pas;         // per shard
  mem::VirtAddr va;                       // start of the tensor's virtual range
  base::Bytes va_size;                    // of the whole range
  std::vector<base::Bytes> part_offsets;  // per part: its slot's offset in the range
  std::vector<base::Bytes> part_sizes;    // per part: mapped bytes (whole pages)
  std::vector<PartMapping> mappings;

  /// The VA of part `part`'s first element (the same on every PE that maps it).
  mem::VirtAddr part_va(int part) const {
    return va + part_offsets.at(static_cast<std::size_t>(part));
  }
};

/// Allocates every shard's memory on its PE and the virtual range. On failure (the allocator's
/// OutOfMemoryError) frees whatever it took first, so nothing is left half-allocated.
TensorStorage allocate_storage(hw::System& system, mem::VirtualAllocator& virtual_space,
                               std::string name, base::DType dtype, Shape shape,
                               const Placement& placement, std::vector<Shard> shards);
/// Returns the physical blocks and the virtual range (the mappings must be gone already).
void free_storage(hw::System& system, mem::VirtualAllocator& virtual_space,
                  const TensorStorage& storage);
/// Removes whatever mappings of `storage` remain, at once and without simulated time (for
/// teardown paths that cannot wait on the machine).
void unmap_now(hw::System& system, const TensorStorage& storage);

}  // namespace kernbench::rt
