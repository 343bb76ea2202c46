#include "kernbench/mem/virtual_allocator.h"

#include <algorithm>
#include <bit>

#include <fmt/format.h>

#include "kernbench/base/assert.h"
#include "kernbench/base/error.h"

namespace kernbench::mem {
namespace {

base::Bytes round_up(base::Bytes size, base::Bytes unit) {
  return base::Bytes((size.count() + unit.count() - 1) / unit.count() * unit.count());
}

}  // namespace

VirtualAllocator::VirtualAllocator(base::Bytes page_size, VirtAddr base, base::Bytes size)
    : page_size_(page_size), base_(base), ranges_(size) {
  KB_ASSERT(std::has_single_bit(page_size.count()), "page size must be a power of two");
  KB_ASSERT(base.value() % page_size.count() == 0 && size.count() % page_size.count() == 0,
            "virtual space must be whole pages");
}

VirtualAllocator VirtualAllocator::for_system(const topo::TopologySpec& spec) {
  const base::Bytes page = spec.cube.pe.mmu.page_size;
  const base::Bytes start = std::max(page, kDefaultVirtualBase);
  return VirtualAllocator(page, VirtAddr(start.count()), round_up(system_memory_size(spec), page));
}

VirtAddr VirtualAllocator::allocate(base::Bytes size, base::Bytes alignment) {
  const base::Bytes rounded = round_up(std::max(size, base::Bytes(1)), page_size_);
  const base::Bytes align = std::max(alignment, page_size_);
  // Offsets are aligned relative to base_, so the absolute address is aligned only if base_ is.
  KB_ASSERT(base_.value() % align.count() == 0, "alignment exceeds the alignment of the space");
  if (const auto offset = ranges_.try_allocate(rounded, align)) return base_ + base::Bytes(*offset);
  throw base::OutOfMemoryError(fmt::format(
      "out of memory: virtual address space [{}, {}): asked {}, free {}, largest free block {}",
      base_, base_ + ranges_.capacity(), size, ranges_.free_bytes(), ranges_.largest_free_block()));
}

void VirtualAllocator::free(VirtAddr va) {
  const bool inside = va >= base_ && va - base_ < ranges_.capacity();
  if (!inside || !ranges_.release((va - base_).count()))
    throw base::AddressError(
        fmt::format("free of {}: no allocated virtual range starts there", va));
}

base::Bytes system_memory_size(const topo::TopologySpec& spec) {
  const base::Bytes per_cube =
      spec.cube.hbm.total_per_cube + spec.cube.sram.size +
      spec.cube.pe.tcm.size * static_cast<std::uint64_t>(spec.pes_per_cube());
  return per_cube * static_cast<std::uint64_t>(spec.total_cubes());
}

}  // namespace kernbench::mem
