#include "kernbench/rt/tensor_storage.h"

#include <algorithm>

#include <fmt/format.h>

#include "kernbench/base/error.h"

namespace kernbench::rt {
namespace {

base::Bytes round_up(base::Bytes size, base::Bytes page) {
  // A part of zero bytes still gets one page, so every part has a VA of its own.
  const std::uint64_t pages =
      std::max<std::uint64_t>(1, (size.count() + page.count() - 1) / page.count());
  return page * pages;
}

// Part sizes come from any shard of the part (replicas are the same size).
std::vector<base::Bytes> part_sizes(std::span<const Shard> shards, base::Bytes page) {
  std::vector<base::Bytes> sizes(static_cast<std::size_t>(part_count(shards)));
  for (const Shard& s : shards) sizes[static_cast<std::size_t>(s.part)] = round_up(s.size, page);
  return sizes;
}

}  // namespace

TensorStorage allocate_storage(hw::System& system, mem::VirtualAllocator& virtual_space,
                               std::string name, base::DType dtype, Shape shape,
                               const Placement& placement, std::vector<Shard> shards) {
  const base::Bytes page = system.spec().cube.pe.mmu.page_size;
  TensorStorage t{std::move(name),
                  dtype,
                  std::move(shape),
                  placement,
                  std::move(shards),
                  {},
                  {},
                  {},
                  {},
                  {},
                  {}};
  t.part_sizes = part_sizes(t.shards, page);
  for (const base::Bytes size : t.part_sizes) {
    t.part_offsets.push_back(t.va_size);
    t.va_size += size;
  }
  try {
    for (const Shard& s : t.shards)
      t.pas.push_back(system.allocator().allocate_hbm(
          s.pe, t.part_sizes[static_cast<std::size_t>(s.part)], page));
    if (t.va_size.count() > 0) t.va = virtual_space.allocate(t.va_size);
  } catch (const base::OutOfMemoryError& e) {
    for (const mem::PhysAddr pa : t.pas) system.allocator().free(pa);
    throw base::OutOfMemoryError(fmt::format("tensor '{}': {}", t.name, e.what()));
  } catch (...) {
    for (const mem::PhysAddr pa : t.pas) system.allocator().free(pa);
    throw;
  }
  t.mappings = plan_mappings(system.spec(), t.shards);
  return t;
}

void free_storage(hw::System& system, mem::VirtualAllocator& virtual_space,
                  const TensorStorage& storage) {
  for (const mem::PhysAddr pa : storage.pas) system.allocator().free(pa);
  if (storage.va_size.count() > 0) virtual_space.free(storage.va);
}

void unmap_now(hw::System& system, const TensorStorage& storage) {
  for (const PartMapping& m : storage.mappings) {
    const mem::VirtAddr va = storage.part_va(m.part);
    const base::Bytes size = storage.part_sizes[static_cast<std::size_t>(m.part)];
    for (const topo::PeCoord& pe : m.targets.pes()) {
      hw::Mmu& mmu = system.pe(pe).mmu();
      if (mmu.page_table().try_translate(va)) mmu.unmap(va, size);
    }
  }
}

}  // namespace kernbench::rt
