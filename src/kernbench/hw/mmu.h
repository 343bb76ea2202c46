// A PE's MMU: its page table (VA -> PA ranges) and a TLB of recently used pages with LRU
// replacement. A translation costs the TLB hit latency, or the miss latency on a miss (then the
// page enters the TLB); an unmapped VA is a fault naming the PE and the address.
#pragma once

#include <cstdint>
#include <list>
#include <unordered_map>

#include "kernbench/mem/page_table.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::hw {

class Mmu {
 public:
  /// What a translation returns: where the VA lands and what the lookup cost.
  struct Result {
    mem::Translation translation;
    base::SimTime cost;
    bool tlb_hit = false;
  };

  Mmu(topo::PeCoord pe, const topo::MmuSpec& spec);

  /// Translates `va` through the TLB; AddressError (a fault naming the PE and VA) if unmapped.
  Result translate(mem::VirtAddr va);
  /// Installs a mapping (see mem::PageTable::map for the errors).
  void map(mem::VirtAddr va, mem::PhysAddr pa, base::Bytes size);
  /// Removes mappings and drops their pages from the TLB.
  void unmap(mem::VirtAddr va, base::Bytes size);

  const mem::PageTable& page_table() const { return table_; }
  std::uint64_t tlb_hits() const { return hits_; }
  std::uint64_t tlb_misses() const { return misses_; }

 private:
  bool touch(std::uint64_t page);  // true on a hit; inserts (evicting the LRU page) on a miss

  mem::PageTable table_;
  topo::MmuSpec spec_;
  std::uint64_t page_bytes_;
  std::list<std::uint64_t> lru_;  // most recent first
  std::unordered_map<std::uint64_t, std::list<std::uint64_t>::iterator> tlb_;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace kernbench::hw
