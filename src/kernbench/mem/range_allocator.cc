#include "kernbench/mem/range_allocator.h"

#include <bit>

#include "kernbench/base/assert.h"

namespace kernbench::mem {

RangeAllocator::RangeAllocator(base::Bytes capacity) : capacity_(capacity) {
  if (capacity.count() > 0) add_free(0, capacity.count());
}

std::optional<std::uint64_t> RangeAllocator::try_allocate(base::Bytes size, base::Bytes alignment) {
  KB_ASSERT(std::has_single_bit(alignment.count()), "alignment must be a power of two");
  const std::uint64_t want = size.count() == 0 ? 1 : size.count();
  const std::uint64_t align = alignment.count();
  // Blocks in (size, offset) order: the first that fits after padding is the best fit. Blocks
  // smaller than the request are skipped by lower_bound; padding can only make more of them fail.
  for (auto it = free_by_size_.lower_bound({want, 0}); it != free_by_size_.end(); ++it) {
    const auto [block_size, block_offset] = *it;
    const std::uint64_t start = (block_offset + align - 1) & ~(align - 1);
    const std::uint64_t padding = start - block_offset;
    if (start < block_offset || padding > block_size || block_size - padding < want) continue;
    remove_free(free_by_offset_.find(block_offset));
    if (padding > 0) add_free(block_offset, padding);
    if (block_size - padding > want) add_free(start + want, block_size - padding - want);
    allocated_.emplace(start, want);
    return start;
  }
  return std::nullopt;
}

std::optional<base::Bytes> RangeAllocator::release(std::uint64_t offset) {
  const auto it = allocated_.find(offset);
  if (it == allocated_.end()) return std::nullopt;
  std::uint64_t start = it->first;
  std::uint64_t size = it->second;
  const base::Bytes freed(size);
  allocated_.erase(it);
  // Coalesce with the free neighbours on both sides, so free space is never split needlessly.
  auto next = free_by_offset_.lower_bound(start);
  if (next != free_by_offset_.end() && next->first == start + size) {
    size += next->second;
    const auto after = std::next(next);
    remove_free(next);
    next = after;
  }
  if (next != free_by_offset_.begin()) {
    const auto prev = std::prev(next);
    if (prev->first + prev->second == start) {
      start = prev->first;
      size += prev->second;
      remove_free(prev);
    }
  }
  add_free(start, size);
  return freed;
}

std::optional<base::Bytes> RangeAllocator::block_size(std::uint64_t offset) const {
  const auto it = allocated_.find(offset);
  if (it == allocated_.end()) return std::nullopt;
  return base::Bytes(it->second);
}

base::Bytes RangeAllocator::largest_free_block() const {
  return free_by_size_.empty() ? base::Bytes(0) : base::Bytes(free_by_size_.rbegin()->first);
}

void RangeAllocator::add_free(std::uint64_t offset, std::uint64_t size) {
  free_by_offset_.emplace(offset, size);
  free_by_size_.emplace(size, offset);
  free_total_ += base::Bytes(size);
}

void RangeAllocator::remove_free(std::map<std::uint64_t, std::uint64_t>::iterator it) {
  free_by_size_.erase({it->second, it->first});
  free_total_ -= base::Bytes(it->second);
  free_by_offset_.erase(it);
}

}  // namespace kernbench::mem
