// A PE's page table: VA ranges mapped to PA ranges. It stores one entry per map() call (a range),
// never one per page, so host memory grows with the number of maps and lookup is logarithmic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

#include "kernbench/base/units.h"
#include "kernbench/mem/phys_addr.h"
#include "kernbench/mem/virt_addr.h"
#include "kernbench/topo/coord.h"

namespace kernbench::mem {

/// Where a VA lands: its physical address and how many bytes are contiguous from there (to the
/// end of the mapping that holds it), so a copy can be split at mapping boundaries.
struct Translation {
  PhysAddr pa;
  base::Bytes contiguous;
};

class PageTable {
 public:
  /// The page table of `pe`; every VA, PA offset and size it takes is a multiple of `page_size`.
  PageTable(topo::PeCoord pe, base::Bytes page_size);

  /// Maps [va, va + size) to [pa, pa + size) within pa's memory. AddressError when unaligned,
  /// empty, leaving pa's memory, or overlapping an existing mapping (named in the message).
  void map(VirtAddr va, PhysAddr pa, base::Bytes size);
  /// Unmaps [va, va + size), which must be wholly mapped (it may cut mappings and span several).
  void unmap(VirtAddr va, base::Bytes size);
  /// The translation of `va`; a page fault (AddressError naming the PE and the VA) if unmapped.
  Translation translate(VirtAddr va) const;
  /// The translation of `va`, or nullopt if it is unmapped.
  std::optional<Translation> try_translate(VirtAddr va) const;

  topo::PeCoord pe() const { return pe_; }
  base::Bytes page_size() const { return page_size_; }
  /// Number of stored ranges (what host memory grows with).
  std::size_t mapping_count() const { return mappings_.size(); }
  base::Bytes mapped_bytes() const { return mapped_; }

 private:
  struct Mapping {
    std::uint64_t size_bytes = 0;
    PhysAddr pa;
  };
  using Map = std::map<std::uint64_t, Mapping>;  // keyed by VA start

  void check_aligned(const char* op, VirtAddr va, base::Bytes size) const;
  /// The mapping holding `va`, or end().
  Map::const_iterator holder(std::uint64_t va) const;

  topo::PeCoord pe_;
  base::Bytes page_size_;
  base::Bytes mapped_;
  Map mappings_;
};

}  // namespace kernbench::mem
