#include "kernbench/hw/mmu.h"

#include <algorithm>
#include <bit>

#include "kernbench/base/assert.h"
#include "kernbench/sim/engine.h"

namespace kernbench::hw {

using base::SimTime;

Mmu::Mmu(sim::Engine& engine, sim::TraceTrack track, topo::PeCoord pe, const topo::MmuSpec& spec)
    : engine_(engine),
      track_(std::move(track)),
      table_(pe, spec.page_size),
      spec_(spec),
      page_bytes_(spec.page_size.count()),
      walker_free_(static_cast<std::size_t>(std::max(spec.page_walkers, 1))) {
  const auto entries = static_cast<std::size_t>(std::max(spec.tlb_entries, 0));
  pages_.assign(entries, kNoPage);
  slots_.resize(entries);
  for (std::size_t i = entries; i-- > 0;) free_slots_.push_back(static_cast<std::uint32_t>(i));
  if (entries > 0) table_of_.assign(std::bit_ceil(entries * 4), kNoSlot);
}

base::Bytes Mmu::tlb_reach() const {
  return base::Bytes(static_cast<std::uint64_t>(std::max(spec_.tlb_entries, 0)) * page_bytes_);
}

std::size_t Mmu::home(std::uint64_t page) const {
  return static_cast<std::size_t>((page * 0x9E3779B97F4A7C15u) >> 32) & (table_of_.size() - 1);
}

std::uint32_t Mmu::find(std::uint64_t page) const {
  if (table_of_.empty()) return kNoSlot;
  for (std::size_t i = home(page);; i = (i + 1) & (table_of_.size() - 1)) {
    const std::uint32_t slot = table_of_[i];
    if (slot == kNoSlot || pages_[slot] == page) return slot;
  }
}

void Mmu::index(std::uint32_t slot) {
  std::size_t i = home(pages_[slot]);
  while (table_of_[i] != kNoSlot) i = (i + 1) & (table_of_.size() - 1);
  table_of_[i] = slot;
}

// Removes a slot from the table, moving later entries of its probe run back into the hole so
// every page stays reachable from its home.
void Mmu::unindex(std::uint32_t slot) {
  const std::size_t mask = table_of_.size() - 1;
  std::size_t hole = home(pages_[slot]);
  while (table_of_[hole] != slot) hole = (hole + 1) & mask;
  for (std::size_t i = (hole + 1) & mask; table_of_[i] != kNoSlot; i = (i + 1) & mask) {
    const std::size_t want = home(pages_[table_of_[i]]);
    // The entry at i may fill the hole unless its home lies cyclically in (hole, i].
    if (((i - want) & mask) >= ((i - hole) & mask)) {
      table_of_[hole] = table_of_[i];
      hole = i;
    }
  }
  table_of_[hole] = kNoSlot;
}

void Mmu::unlink(std::uint32_t slot) {
  Slot& s = slots_[slot];
  (s.newer == kNoSlot ? newest_ : slots_[s.newer].older) = s.older;
  (s.older == kNoSlot ? oldest_ : slots_[s.older].newer) = s.newer;
}

void Mmu::link_front(std::uint32_t slot) {
  Slot& s = slots_[slot];
  s.newer = kNoSlot;
  s.older = newest_;
  (newest_ == kNoSlot ? oldest_ : slots_[newest_].newer) = slot;
  newest_ = slot;
}

void Mmu::drop(std::uint32_t slot) {
  unlink(slot);
  unindex(slot);
  pages_[slot] = kNoPage;
  free_slots_.push_back(slot);
}

std::uint32_t Mmu::touch(std::uint64_t page, bool& hit) {
  if (const std::uint32_t slot = find(page); slot != kNoSlot) {
    if (slot != newest_) {
      unlink(slot);
      link_front(slot);
    }
    hit = true;
    return slot;
  }
  hit = false;
  if (pages_.empty()) return kNoSlot;
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {  // the least recently used page makes room
    slot = oldest_;
    unlink(slot);
    unindex(slot);
  }
  pages_[slot] = page;
  index(slot);
  slots_[slot].ready = SimTime{};
  link_front(slot);
  return slot;
}

// Every walk takes the same time and walkers serve in arrival order, so the walker a walk gets
// and when it ends are known when it is asked for: no event per walk.
SimTime Mmu::walk(SimTime at) {
  const auto walker = std::ranges::min_element(walker_free_);
  const SimTime start = std::max(at, *walker);
  *walker = start + spec_.tlb_miss_latency;
  trace_walk(start, *walker);
  return *walker;
}

Mmu::Result Mmu::translate(mem::VirtAddr va, SimTime at) {
  const mem::Translation translation = table_.translate(va);  // faults before touching the TLB
  const Timing t = look_up(va, at);
  return Result{translation, t.ready, t.tlb_hit};
}

Mmu::Timing Mmu::look_up(mem::VirtAddr va, SimTime at) {
  KB_ASSERT(at >= engine_.now(), "an MMU lookup in the past");
  Timing t;
  const std::uint32_t slot = touch(va.value() / page_bytes_, t.tlb_hit);
  if (t.tlb_hit) {
    ++hits_;
    // (waits for a walk under way)
    t.ready = std::max(at + spec_.tlb_hit_latency, slots_[slot].ready);
    return t;
  }
  ++misses_;
  t.ready = walk(at);
  if (slot != kNoSlot) slots_[slot].ready = t.ready;
  return t;
}

Mmu::Result Mmu::translate(mem::VirtAddr va) { return translate(va, engine_.now()); }

void Mmu::trace_walk(SimTime start, SimTime end) {
  sim::TraceSink* sink = engine_.trace_sink();
  if (sink == nullptr || end <= start) return;
  if (start > run_end_) {
    if (run_end_ > run_start_) sink->span(track_.id_in(*sink), "walk", run_start_, run_end_);
    run_start_ = start;
  }
  run_start_ = std::min(run_start_, start);  // a lookup asked a little earlier than the last
  run_end_ = std::max(run_end_, end);
  if (!run_end_armed_) {
    run_end_armed_ = true;
    engine_.schedule_at(run_end_, &Mmu::on_run_end, this);
  }
}

void Mmu::on_run_end(void* self) {
  auto& m = *static_cast<Mmu*>(self);
  m.run_end_armed_ = false;
  if (m.run_end_ > m.engine_.now()) {  // a walk extended the run meanwhile
    m.run_end_armed_ = true;
    m.engine_.schedule_at(m.run_end_, &Mmu::on_run_end, self);
    return;
  }
  if (sim::TraceSink* sink = m.engine_.trace_sink(); sink != nullptr && m.run_end_ > m.run_start_)
    sink->span(m.track_.id_in(*sink), "walk", m.run_start_, m.run_end_);
  m.run_start_ = m.run_end_;
}

void Mmu::map(mem::VirtAddr va, mem::PhysAddr pa, base::Bytes size) {
  found_.fill(Found{});
  table_.map(va, pa, size);
}

void Mmu::unmap(mem::VirtAddr va, base::Bytes size) {
  found_.fill(Found{});
  table_.unmap(va, size);
  const std::uint64_t first = va.value() / page_bytes_;
  const std::uint64_t last = (va.value() + size.count() - 1) / page_bytes_;
  // Drop cached pages of the range; walk whichever of range and TLB is smaller.
  if (last - first + 1 < pages_.size() - free_slots_.size()) {
    for (std::uint64_t p = first; p <= last; ++p)
      if (const std::uint32_t slot = find(p); slot != kNoSlot) drop(slot);
    return;
  }
  for (std::uint32_t slot = 0; slot < pages_.size(); ++slot)
    if (pages_[slot] != kNoPage && pages_[slot] >= first && pages_[slot] <= last) drop(slot);
}

std::optional<mem::Translation> Mmu::find_mapping(mem::VirtAddr va) {
  const std::uint64_t at = va.value();
  for (const Found& f : found_)
    if (at >= f.va && at < f.end)
      return mem::Translation{f.pa + base::Bytes(at - f.va), base::Bytes(f.end - at)};
  const auto t = table_.try_translate(va);
  if (t) {
    found_[next_found_] = Found{at, at + t->contiguous.count(), t->pa};
    next_found_ = (next_found_ + 1) % kFound;
  }
  return t;
}

}  // namespace kernbench::hw
