#include "kernbench/hw/mmu.h"

namespace kernbench::hw {

Mmu::Mmu(topo::PeCoord pe, const topo::MmuSpec& spec)
    : table_(pe, spec.page_size), spec_(spec), page_bytes_(spec.page_size.count()) {}

bool Mmu::touch(std::uint64_t page) {
  if (auto it = tlb_.find(page); it != tlb_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return true;
  }
  if (spec_.tlb_entries <= 0) return false;
  if (tlb_.size() >= static_cast<std::size_t>(spec_.tlb_entries)) {
    tlb_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(page);
  tlb_.emplace(page, lru_.begin());
  return false;
}

Mmu::Result Mmu::translate(mem::VirtAddr va) {
  Result r{table_.translate(va), {}, false};  // faults before touching the TLB
  r.tlb_hit = touch(va.value() / page_bytes_);
  r.cost = r.tlb_hit ? spec_.tlb_hit_latency : spec_.tlb_miss_latency;
  ++(r.tlb_hit ? hits_ : misses_);
  return r;
}

void Mmu::map(mem::VirtAddr va, mem::PhysAddr pa, base::Bytes size) { table_.map(va, pa, size); }

void Mmu::unmap(mem::VirtAddr va, base::Bytes size) {
  table_.unmap(va, size);
  const std::uint64_t first = va.value() / page_bytes_;
  const std::uint64_t last = (va.value() + size.count() - 1) / page_bytes_;
  // Drop cached pages of the range; walk whichever of range and TLB is smaller.
  if (last - first + 1 < tlb_.size()) {
    for (std::uint64_t p = first; p <= last; ++p)
      if (auto it = tlb_.find(p); it != tlb_.end()) {
        lru_.erase(it->second);
        tlb_.erase(it);
      }
    return;
  }
  for (auto it = lru_.begin(); it != lru_.end();) {
    if (*it >= first && *it <= last) {
      tlb_.erase(*it);
      it = lru_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace kernbench::hw
