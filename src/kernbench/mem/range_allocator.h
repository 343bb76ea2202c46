// Hands out aligned byte ranges of [0, capacity): best fit, free with coalescing, deterministic.
// The building block of every memory allocator and of the virtual-address allocator; it reports
// failure as an empty optional so the caller can name the memory in its error.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "kernbench/base/units.h"

namespace kernbench::mem {

/// Policy: best fit — the smallest free block that holds the request after alignment padding,
/// lowest offset on ties. Best fit keeps large blocks whole for large tensors when small buffers
/// come and go (a spurious out-of-memory would be a wrong simulation result), and its choice
/// depends only on the sequence of calls, so runs are reproducible. Padding and tail stay free.
class RangeAllocator {
 public:
  /// Manages offsets [0, capacity).
  explicit RangeAllocator(base::Bytes capacity);

  /// Offset of a new block of `size` (0 counts as 1) aligned to `alignment` (a power of two),
  /// or nullopt when no free block can hold it.
  std::optional<std::uint64_t> try_allocate(base::Bytes size, base::Bytes alignment);
  /// Frees the block that starts at `offset` and returns its size; nullopt if none starts there.
  std::optional<base::Bytes> release(std::uint64_t offset);

  /// Size of the allocated block starting at `offset`, if there is one.
  std::optional<base::Bytes> block_size(std::uint64_t offset) const;
  base::Bytes capacity() const { return capacity_; }
  /// Sum of all free blocks.
  base::Bytes free_bytes() const { return free_total_; }
  /// The largest free block (a request of this size with alignment 1 succeeds).
  base::Bytes largest_free_block() const;
  /// Number of live allocations.
  std::size_t allocation_count() const { return allocated_.size(); }
  /// Number of free blocks (1 when nothing is allocated: neighbours always coalesce).
  std::size_t free_block_count() const { return free_by_offset_.size(); }

 private:
  void add_free(std::uint64_t offset, std::uint64_t size);
  void remove_free(std::map<std::uint64_t, std::uint64_t>::iterator it);

  base::Bytes capacity_;
  base::Bytes free_total_;
  std::map<std::uint64_t, std::uint64_t> free_by_offset_;           // offset -> size
  std::set<std::pair<std::uint64_t, std::uint64_t>> free_by_size_;  // (size, offset)
  std::map<std::uint64_t, std::uint64_t> allocated_;                // offset -> size
};

}  // namespace kernbench::mem
