// Hands out page-aligned virtual address ranges (the runtime gives a tensor one VA range and maps
// its shards into it on every PE). Freed ranges are reused; the policy is RangeAllocator's.
#pragma once

#include "kernbench/base/units.h"
#include "kernbench/mem/range_allocator.h"
#include "kernbench/mem/virt_addr.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::mem {

/// Where the default virtual space starts: VAs below it never map, so a null or small integer used
/// as a pointer faults; 1 GiB so that allocations may ask for alignments up to 1 GiB.
inline constexpr base::Bytes kDefaultVirtualBase{std::uint64_t{1} << 30};

class VirtualAllocator {
 public:
  /// The space [base, base + size) in pages of `page_size`; base and size must be page multiples.
  VirtualAllocator(base::Bytes page_size, VirtAddr base, base::Bytes size);
  /// The default space for `spec`: from kDefaultVirtualBase, as large as the whole system's memory
  /// (HBM + SRAM + TCM of every cube), so every byte of the machine can be mapped at once.
  static VirtualAllocator for_system(const topo::TopologySpec& spec);

  /// A fresh range of `size` rounded up to whole pages, aligned to `alignment` (at least a page);
  /// OutOfMemoryError naming the virtual space when nothing fits.
  VirtAddr allocate(base::Bytes size, base::Bytes alignment = base::Bytes(0));
  /// Frees the range that starts at `va`; AddressError if none starts there.
  void free(VirtAddr va);

  base::Bytes page_size() const { return page_size_; }
  VirtAddr base() const { return base_; }
  base::Bytes size() const { return ranges_.capacity(); }
  base::Bytes free_bytes() const { return ranges_.free_bytes(); }

 private:
  base::Bytes page_size_;
  VirtAddr base_;
  RangeAllocator ranges_;  // offsets from base_
};

/// Total bytes of every memory of the system (what the default virtual space must cover).
base::Bytes system_memory_size(const topo::TopologySpec& spec);

}  // namespace kernbench::mem
