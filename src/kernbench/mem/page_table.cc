#include "kernbench/mem/page_table.h"

#include <bit>
#include <limits>

#include <fmt/format.h>

#include "kernbench/base/assert.h"
#include "kernbench/base/error.h"

namespace kernbench::mem {

PageTable::PageTable(topo::PeCoord pe, base::Bytes page_size) : pe_(pe), page_size_(page_size) {
  KB_ASSERT(std::has_single_bit(page_size.count()), "page size must be a power of two");
}

void PageTable::map(VirtAddr va, PhysAddr pa, base::Bytes size) {
  check_aligned("map", va, size);
  if (pa.offset() % page_size_.count() != 0)
    throw base::AddressError(
        fmt::format("map on PE {}: {} is not aligned to the page size {}", pe_, pa, page_size_));
  if (size.count() > PhysAddr::kOffsetMask + 1 - pa.offset())
    throw base::AddressError(
        fmt::format("map on PE {}: {} + {} leaves the memory of {}", pe_, pa, size, pa));
  const std::uint64_t start = va.value();
  const std::uint64_t end = start + size.count();
  auto next = mappings_.lower_bound(start);
  auto clash = mappings_.end();
  if (next != mappings_.begin() &&
      std::prev(next)->first + std::prev(next)->second.size_bytes > start)
    clash = std::prev(next);
  else if (next != mappings_.end() && next->first < end)
    clash = next;
  if (clash != mappings_.end())
    throw base::AddressError(fmt::format(
        "map on PE {}: [{}, +{}) overlaps the mapping [{}, +{}) -> {}", pe_, va, size,
        VirtAddr(clash->first), base::Bytes(clash->second.size_bytes), clash->second.pa));
  mappings_.emplace_hint(next, start, Mapping{size.count(), pa});
  mapped_ += size;
}

void PageTable::unmap(VirtAddr va, base::Bytes size) {
  check_aligned("unmap", va, size);
  const std::uint64_t start = va.value();
  const std::uint64_t end = start + size.count();
  // First check that [start, end) is covered without a hole, so a failed unmap changes nothing.
  auto first = holder(start);
  for (std::uint64_t at = start; at < end;) {
    const auto it = holder(at);
    if (it == mappings_.end())
      throw base::AddressError(fmt::format("unmap on PE {}: [{}, +{}) is not mapped at {}", pe_, va,
                                           size, VirtAddr(at)));
    at = it->first + it->second.size_bytes;
  }
  auto it = mappings_.find(first->first);
  while (it != mappings_.end() && it->first < end) {
    const std::uint64_t m_start = it->first;
    const Mapping m = it->second;
    const std::uint64_t m_end = m_start + m.size_bytes;
    it = mappings_.erase(it);
    // Keep the parts of the mapping outside [start, end); the tail's PA moves with its VA.
    if (m_start < start) mappings_.emplace(m_start, Mapping{start - m_start, m.pa});
    if (m_end > end)
      mappings_.emplace(end, Mapping{m_end - end, m.pa + base::Bytes(end - m_start)});
  }
  mapped_ -= size;
}

Translation PageTable::translate(VirtAddr va) const {
  if (auto t = try_translate(va)) return *t;
  throw base::AddressError(fmt::format("page fault on PE {}: {} is not mapped", pe_, va));
}

std::optional<Translation> PageTable::try_translate(VirtAddr va) const {
  const auto it = holder(va.value());
  if (it == mappings_.end()) return std::nullopt;
  const std::uint64_t into = va.value() - it->first;
  return Translation{it->second.pa + base::Bytes(into), base::Bytes(it->second.size_bytes - into)};
}

void PageTable::check_aligned(const char* op, VirtAddr va, base::Bytes size) const {
  const std::uint64_t page = page_size_.count();
  if (va.value() % page != 0 || size.count() % page != 0 || size.count() == 0)
    throw base::AddressError(
        fmt::format("{} on PE {}: [{}, +{}) is not a whole number of pages (page size {})", op, pe_,
                    va, size, page_size_));
  if (size.count() > std::numeric_limits<std::uint64_t>::max() - va.value())
    throw base::AddressError(
        fmt::format("{} on PE {}: [{}, +{}) wraps around the address space", op, pe_, va, size));
}

PageTable::Map::const_iterator PageTable::holder(std::uint64_t va) const {
  auto it = mappings_.upper_bound(va);
  if (it == mappings_.begin()) return mappings_.end();
  --it;
  return va < it->first + it->second.size_bytes ? it : mappings_.end();
}

}  // namespace kernbench::mem
