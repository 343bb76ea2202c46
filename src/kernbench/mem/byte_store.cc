#include "kernbench/mem/byte_store.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include <fmt/format.h>

#include "kernbench/base/assert.h"
#include "kernbench/base/error.h"

namespace kernbench::mem {

ByteStore::ByteStore(base::Bytes page_size)
    : page_bytes_(page_size.count()), page_size_(page_size) {
  KB_ASSERT(std::has_single_bit(page_bytes_), "store page size must be a power of two");
}

void ByteStore::write(PhysAddr pa, std::span<const std::byte> data) {
  const std::uint64_t lo = pa.bits();
  const std::uint64_t hi = lo + check_range("write", pa, data.size());
  for (std::uint64_t at = lo; at < hi;) {
    const std::uint64_t page = at / page_bytes_;
    const std::uint64_t page_lo = page * page_bytes_;
    const std::uint64_t chunk_end = std::min(hi, page_lo + page_bytes_);
    const bool whole = at == page_lo && chunk_end == page_lo + page_bytes_;
    std::byte* bytes = materialize(page, whole);
    std::memcpy(bytes + (at - page_lo), data.data() + (at - lo), chunk_end - at);
    at = chunk_end;
  }
}

void ByteStore::read(PhysAddr pa, std::span<std::byte> out) const {
  const std::uint64_t lo = pa.bits();
  const std::uint64_t hi = lo + check_range("read", pa, out.size());
  for (std::uint64_t at = lo; at < hi;) {
    const std::uint64_t page = at / page_bytes_;
    const std::uint64_t page_lo = page * page_bytes_;
    const std::uint64_t chunk_end = std::min(hi, page_lo + page_bytes_);
    const auto chunk = out.subspan(at - lo, chunk_end - at);
    if (const auto it = pages_.find(page); it != pages_.end())
      std::memcpy(chunk.data(), it->second.get() + (at - page_lo), chunk.size());
    else
      unmaterialized(at, chunk);
    at = chunk_end;
  }
}

void ByteStore::fill(PhysAddr pa, base::Bytes size, FillPattern pattern) {
  const std::uint64_t lo = pa.bits();
  const std::uint64_t hi = lo + check_range("fill", pa, size.count());
  if (lo == hi) return;
  // Existing pages: drop those wholly inside, write the pattern into the (at most two) others.
  for (auto it = pages_.lower_bound(lo / page_bytes_);
       it != pages_.end() && it->first * page_bytes_ < hi;) {
    const std::uint64_t page_lo = it->first * page_bytes_;
    const std::uint64_t a = std::max(lo, page_lo);
    const std::uint64_t b = std::min(hi, page_lo + page_bytes_);
    if (a == page_lo && b == page_lo + page_bytes_) {
      it = pages_.erase(it);
      continue;
    }
    for (std::uint64_t x = a; x < b; ++x) it->second[x - page_lo] = pattern.at(x - lo);
    ++it;
  }
  cut_extents(lo, hi);
  if (pattern.is_zero()) return;  // zeros are the absence of anything
  std::uint64_t ext_lo = lo;
  std::uint64_t ext_hi = hi;
  if (pages_.contains(lo / page_bytes_))
    ext_lo = std::min(hi, (lo / page_bytes_ + 1) * page_bytes_);
  if (pages_.contains((hi - 1) / page_bytes_))
    ext_hi = std::max(ext_lo, (hi - 1) / page_bytes_ * page_bytes_);
  if (ext_lo < ext_hi) extents_.emplace(ext_lo, Extent{ext_hi, lo, pattern});
}

std::uint64_t ByteStore::check_range(const char* op, PhysAddr pa, std::uint64_t size_bytes) const {
  if (size_bytes > PhysAddr::kOffsetMask + 1 - pa.offset())
    throw base::AddressError(fmt::format("{} of {} at {} runs past the end of its memory", op,
                                         base::Bytes(size_bytes), pa));
  return size_bytes;
}

void ByteStore::unmaterialized(std::uint64_t lo, std::span<std::byte> out) const {
  std::fill(out.begin(), out.end(), std::byte{0});
  const std::uint64_t hi = lo + out.size();
  auto it = extents_.upper_bound(lo);
  if (it != extents_.begin() && std::prev(it)->second.end > lo) --it;
  for (; it != extents_.end() && it->first < hi; ++it) {
    const Extent& e = it->second;
    const std::uint64_t a = std::max(lo, it->first);
    const std::uint64_t b = std::min(hi, e.end);
    for (std::uint64_t x = a; x < b; ++x) out[x - lo] = e.pattern.at(x - e.origin);
  }
}

void ByteStore::cut_extents(std::uint64_t lo, std::uint64_t hi) {
  auto it = extents_.lower_bound(lo);
  if (it != extents_.begin()) {
    Extent& prev = std::prev(it)->second;
    if (prev.end > lo) {
      const Extent whole = prev;
      prev.end = lo;
      if (whole.end > hi) extents_.emplace(hi, whole);  // hole punched in the middle
    }
  }
  while (it != extents_.end() && it->first < hi) {
    const Extent e = it->second;
    it = extents_.erase(it);
    if (e.end > hi) {
      extents_.emplace(hi, e);
      break;
    }
  }
}

std::byte* ByteStore::materialize(std::uint64_t page, bool will_overwrite_all) {
  if (const auto it = pages_.find(page); it != pages_.end()) return it->second.get();
  Page bytes = std::make_unique_for_overwrite<std::byte[]>(page_bytes_);
  const std::uint64_t page_lo = page * page_bytes_;
  if (!will_overwrite_all) unmaterialized(page_lo, std::span(bytes.get(), page_bytes_));
  cut_extents(page_lo, page_lo + page_bytes_);
  return pages_.emplace(page, std::move(bytes)).first->second.get();
}

}  // namespace kernbench::mem
