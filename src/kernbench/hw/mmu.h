// A PE's MMU: its page table (VA -> PA ranges), a TLB of recently used pages with LRU replacement
// and the page walkers that fill it. A lookup that hits is ready after the TLB hit latency; a miss
// waits for a walker (page_walkers of them serve the PE's misses in arrival order) and is ready
// when its walk ends. An unmapped VA is a fault naming the PE and the address.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernbench/mem/page_table.h"
#include "kernbench/sim/trace_sink.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::sim {
class Engine;
}

namespace kernbench::hw {

class Mmu {
 public:
  /// What a lookup returns: where the VA lands and when the translation is known.
  struct Result {
    mem::Translation translation;
    base::SimTime ready;  // absolute simulated time
    bool tlb_hit = false;
  };

  /// The MMU of PE `pe`; its page walks show as busy runs on trace track `track`.
  Mmu(sim::Engine& engine, sim::TraceTrack track, topo::PeCoord pe, const topo::MmuSpec& spec);
  Mmu(const Mmu&) = delete;
  Mmu& operator=(const Mmu&) = delete;

  /// Looks `va` up at time `at` (not before now; callers ask in nondecreasing order of `at` up
  /// to a few lookups' time). A hit is ready after the hit latency, or when the walk that brings
  /// its page in ends if that is later; a miss enters the TLB at once and is ready when its walk
  /// ends (on the walker free first, not before `at`). AddressError (a fault naming the PE and
  /// VA) if unmapped; a fault neither fills the TLB nor walks.
  Result translate(mem::VirtAddr va, base::SimTime at);
  /// translate(va, now).
  Result translate(mem::VirtAddr va);
  /// When a lookup is ready and whether it hit.
  struct Timing {
    base::SimTime ready;  // absolute simulated time
    bool tlb_hit = false;
  };
  /// translate()'s timing and TLB effects for a `va` the caller has already found mapped in
  /// page_table() (a DMA engine whose runs were planned from it): no second table search.
  Timing look_up(mem::VirtAddr va, base::SimTime at);
  /// Installs a mapping (see mem::PageTable::map for the errors).
  void map(mem::VirtAddr va, mem::PhysAddr pa, base::Bytes size);
  /// Removes mappings and drops their pages from the TLB.
  void unmap(mem::VirtAddr va, base::Bytes size);

  const mem::PageTable& page_table() const { return table_; }
  /// page_table().try_translate(va), answered from the last few answers where one holds `va` (a
  /// shortcut of the simulator, not of the machine: it costs no simulated time and leaves the TLB
  /// alone). Planning a DMA request's runs asks it once a request, and a search of the page table
  /// read several cold tree nodes each time.
  std::optional<mem::Translation> find_mapping(mem::VirtAddr va);
  const topo::MmuSpec& spec() const { return spec_; }
  /// The trace track of its walks: "sip0/cube3/pe5/mmu".
  const std::string& track() const { return track_.name(); }
  std::uint64_t tlb_hits() const { return hits_; }
  std::uint64_t tlb_misses() const { return misses_; }
  /// Bytes the TLB maps when full: entries x page size.
  base::Bytes tlb_reach() const;

 private:
  // The TLB: tlb_entries slots in flat arrays, chained most recently used first by index, found
  // through an open-addressed table of slot numbers (no allocation per miss).
  static constexpr std::uint32_t kNoSlot = UINT32_MAX;
  static constexpr std::uint64_t kNoPage = UINT64_MAX;
  struct Slot {
    base::SimTime ready;  // when the walk that brought the page in ends
    std::uint32_t newer = kNoSlot, older = kNoSlot;
  };

  /// The page's slot after a lookup (then the most recently used), or kNoSlot on a miss: the page
  /// then takes a free slot or the least recently used page's, unless the TLB has no entries.
  std::uint32_t touch(std::uint64_t page, bool& hit);
  std::uint32_t find(std::uint64_t page) const;
  std::size_t home(std::uint64_t page) const;
  void index(std::uint32_t slot);
  void unindex(std::uint32_t slot);
  void unlink(std::uint32_t slot);
  void link_front(std::uint32_t slot);
  void drop(std::uint32_t slot);
  /// Runs one walk asked for at `at` on the walker free first; returns when it ends.
  base::SimTime walk(base::SimTime at);
  /// Adds [start, end) to the current busy run of the walkers, closing the run before it in the
  /// trace when there is a gap (walks start in nondecreasing order, so runs are disjoint).
  void trace_walk(base::SimTime start, base::SimTime end);
  /// Event: closes the current run in the trace once no walk extends it.
  static void on_run_end(void* self);

  sim::Engine& engine_;
  sim::TraceTrack track_;
  mem::PageTable table_;
  topo::MmuSpec spec_;
  std::uint64_t page_bytes_;
  std::vector<std::uint64_t> pages_;  // per slot: its page, kNoPage when free
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::uint32_t newest_ = kNoSlot, oldest_ = kNoSlot;
  // Slot numbers by page hash, linear probing, kNoSlot where free; a power of two of at least
  // four times the entries.
  std::vector<std::uint32_t> table_of_;
  std::vector<base::SimTime> walker_free_;  // per walker: when its last walk ends
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
  base::SimTime run_start_, run_end_;  // the walkers' current busy run, not yet traced
  bool run_end_armed_ = false;
  // find_mapping's last answers: [va, end) translates from pa at va on; emptied by map and unmap.
  struct Found {
    std::uint64_t va = 0, end = 0;
    mem::PhysAddr pa;
  };
  static constexpr std::size_t kFound = 8;
  std::array<Found, kFound> found_{};
  std::size_t next_found_ = 0;  // where the next answer goes (round robin)
};

}  // namespace kernbench::hw
