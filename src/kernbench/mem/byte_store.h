// The functional contents of every memory of the machine, held sparsely by physical address:
// written bytes live in pages materialized on first write, fills are kept as extents, and memory
// never written or filled reads as zeros. Host memory grows with bytes touched, not capacity.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>

#include "kernbench/base/units.h"
#include "kernbench/mem/fill_pattern.h"
#include "kernbench/mem/phys_addr.h"

namespace kernbench::mem {

/// Defined reads: a byte never written nor filled reads as 0, as if every memory were zeroed at
/// power-on. The store does not check addresses against a machine (decode/validate do that); it
/// only refuses ranges that run past the end of their memory's offset field.
class ByteStore {
 public:
  /// Materialization granularity (a power of two); 4 KiB matches the default MMU page.
  static constexpr base::Bytes kDefaultPageSize{4096};

  explicit ByteStore(base::Bytes page_size = kDefaultPageSize);

  /// Stores `data` at [pa, pa + size); materializes the pages it touches.
  void write(PhysAddr pa, std::span<const std::byte> data);
  /// Reads [pa, pa + out.size()) into `out`: written bytes, fill patterns, zeros elsewhere.
  void read(PhysAddr pa, std::span<std::byte> out) const;
  /// Fills [pa, pa + size) with `pattern` repeated from pa. Kept as an extent: pages wholly
  /// inside are dropped, only partially covered pages that already exist get bytes written.
  void fill(PhysAddr pa, base::Bytes size, FillPattern pattern);

  /// Bytes of materialized pages (pages x page size); fills and zeros cost none.
  base::Bytes resident_bytes() const { return page_size_ * pages_.size(); }
  std::size_t page_count() const { return pages_.size(); }
  /// Number of fill extents held (metadata, a few dozen bytes each).
  std::size_t extent_count() const { return extents_.size(); }
  base::Bytes page_size() const { return page_size_; }

 private:
  struct Extent {
    std::uint64_t end = 0;     // one past the last byte
    std::uint64_t origin = 0;  // where the pattern's byte 0 sits: cuts keep the phase
    FillPattern pattern;
  };
  using Page = std::unique_ptr<std::byte[]>;

  std::uint64_t check_range(const char* op, PhysAddr pa, std::uint64_t size_bytes) const;
  /// What [lo, lo + out.size()) holds outside materialized pages: fills, else zeros.
  void unmaterialized(std::uint64_t lo, std::span<std::byte> out) const;
  /// Removes fill coverage of [lo, hi), cutting extents that straddle the ends.
  void cut_extents(std::uint64_t lo, std::uint64_t hi);
  /// The page numbered `page`, created holding what it held before (fills or zeros).
  std::byte* materialize(std::uint64_t page, bool will_overwrite_all);

  std::uint64_t page_bytes_;
  base::Bytes page_size_;
  std::map<std::uint64_t, Extent> extents_;  // start -> extent; never overlaps a page in pages_
  std::map<std::uint64_t, Page> pages_;      // page number (address / page size) -> bytes
};

}  // namespace kernbench::mem
