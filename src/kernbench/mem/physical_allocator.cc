#include "kernbench/mem/physical_allocator.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/topo/home_slices.h"

namespace kernbench::mem {
namespace {

std::string describe_home(topo::PeCoord pe, topo::HomeSlices r) {
  if (r.count == 1) return fmt::format("HBM home slice {} of PE {}", r.first, pe);
  return fmt::format("HBM home slices {}-{} of PE {}", r.first, r.first + r.count - 1, pe);
}

[[noreturn]] void out_of_memory(const std::string& what, base::Bytes asked, base::Bytes free,
                                base::Bytes largest) {
  throw base::OutOfMemoryError(fmt::format(
      "out of memory: {}: asked {}, free {}, largest free block {}", what, asked, free, largest));
}

std::string machine_summary(const topo::TopologySpec& spec) {
  return fmt::format("sip_count {}, {} cubes per SIP, {} HBM slices and {} PEs per cube",
                     spec.system.sip_count, spec.cubes_per_sip(), spec.cube.hbm.slices_per_cube,
                     spec.pes_per_cube());
}

}  // namespace

PhysicalAllocator::PhysicalAllocator(topo::TopologySpec spec) : spec_(std::move(spec)) {}

PhysAddr PhysicalAllocator::allocate_hbm(topo::PeCoord pe, base::Bytes size,
                                         base::Bytes alignment) {
  if (pe.pe < 0 || pe.pe >= spec_.pes_per_cube())
    throw base::AddressError(fmt::format("no such PE {} ({})", pe, machine_summary(spec_)));
  check_exists(MemoryId::hbm_slice(pe.cube_coord(), 0));  // the sip and cube must exist
  const topo::HomeSlices home = topo::home_hbm_slices(spec_, pe.pe);
  base::Bytes free(0);
  base::Bytes largest(0);
  for (int slice = home.first; slice < home.first + home.count; ++slice) {
    const MemoryId memory = MemoryId::hbm_slice(pe.cube_coord(), slice);
    RangeAllocator& slice_allocator = allocator(memory);
    if (const auto offset = slice_allocator.try_allocate(size, alignment))
      return PhysAddr::encode(memory, *offset);
    free += slice_allocator.free_bytes();
    largest = std::max(largest, slice_allocator.largest_free_block());
  }
  out_of_memory(describe_home(pe, home), size, free, largest);
}

PhysAddr PhysicalAllocator::allocate_hbm_slice(topo::CubeCoord cube, int slice, base::Bytes size,
                                               base::Bytes alignment) {
  return allocate_in(MemoryId::hbm_slice(cube, slice), size, alignment);
}

PhysAddr PhysicalAllocator::allocate_tcm(topo::PeCoord pe, base::Bytes size,
                                         base::Bytes alignment) {
  return allocate_in(MemoryId::tcm(pe), size, alignment);
}

PhysAddr PhysicalAllocator::allocate_sram(topo::CubeCoord cube, base::Bytes size,
                                          base::Bytes alignment) {
  return allocate_in(MemoryId::sram(cube), size, alignment);
}

void PhysicalAllocator::free(PhysAddr pa) {
  const auto it = allocators_.find(pa.memory());
  if (it == allocators_.end() || !it->second.release(pa.offset()))
    throw base::AddressError(fmt::format("free of {}: no allocated block starts there", pa));
}

base::Bytes PhysicalAllocator::block_size(PhysAddr pa) const {
  const RangeAllocator* a = find(pa.memory());
  const auto size = a ? a->block_size(pa.offset()) : std::nullopt;
  if (!size) throw base::AddressError(fmt::format("{}: no allocated block starts there", pa));
  return *size;
}

base::Bytes PhysicalAllocator::capacity(MemoryId memory) const {
  check_exists(memory);
  return memory.kind == MemoryKind::tcm ? spec_.cube.pe.tcm.usable()
                                        : memory_size(spec_, memory.kind);
}

base::Bytes PhysicalAllocator::free_bytes(MemoryId memory) const {
  const RangeAllocator* a = find(memory);
  return a ? a->free_bytes() : capacity(memory);
}

base::Bytes PhysicalAllocator::largest_free_block(MemoryId memory) const {
  const RangeAllocator* a = find(memory);
  return a ? a->largest_free_block() : capacity(memory);
}

RangeAllocator& PhysicalAllocator::allocator(MemoryId memory) {
  if (auto it = allocators_.find(memory); it != allocators_.end()) return it->second;
  return allocators_.emplace(memory, RangeAllocator(capacity(memory))).first->second;
}

const RangeAllocator* PhysicalAllocator::find(MemoryId memory) const {
  const auto it = allocators_.find(memory);
  return it == allocators_.end() ? nullptr : &it->second;
}

void PhysicalAllocator::check_exists(MemoryId memory) const {
  const bool exists = memory.sip >= 0 && memory.sip < spec_.system.sip_count && memory.cube >= 0 &&
                      memory.cube < spec_.cubes_per_sip() && memory.index >= 0 &&
                      memory.index < memories_per_cube(spec_, memory.kind);
  if (!exists)
    throw base::AddressError(
        fmt::format("no such memory: {} ({})", memory, machine_summary(spec_)));
}

PhysAddr PhysicalAllocator::allocate_in(MemoryId memory, base::Bytes size, base::Bytes alignment) {
  RangeAllocator& a = allocator(memory);
  if (const auto offset = a.try_allocate(size, alignment)) return PhysAddr::encode(memory, *offset);
  out_of_memory(fmt::format("{}", memory), size, a.free_bytes(), a.largest_free_block());
}

}  // namespace kernbench::mem
