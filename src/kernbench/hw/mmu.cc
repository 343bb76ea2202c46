#include "kernbench/hw/mmu.h"

#include <algorithm>
#include <iterator>

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
      walker_free_(static_cast<std::size_t>(std::max(spec.page_walkers, 1))) {}

base::Bytes Mmu::tlb_reach() const {
  return base::Bytes(static_cast<std::uint64_t>(std::max(spec_.tlb_entries, 0)) * page_bytes_);
}

Mmu::Entry* Mmu::touch(std::uint64_t page, bool& hit) {
  if (auto it = tlb_.find(page); it != tlb_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    hit = true;
    return &it->second;
  }
  hit = false;
  if (spec_.tlb_entries <= 0) return nullptr;
  if (tlb_.size() >= static_cast<std::size_t>(spec_.tlb_entries)) {
    // The new page takes the least recently used page's list and map nodes: a miss allocates
    // nothing once the TLB is full.
    auto node = tlb_.extract(lru_.back());
    lru_.splice(lru_.begin(), lru_, std::prev(lru_.end()));
    lru_.front() = page;
    node.key() = page;
    node.mapped() = Entry{lru_.begin(), {}};
    return &tlb_.insert(std::move(node)).position->second;
  }
  lru_.push_front(page);
  return &tlb_.emplace(page, Entry{lru_.begin(), {}}).first->second;
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
  Entry* entry = touch(va.value() / page_bytes_, t.tlb_hit);
  if (t.tlb_hit) {
    ++hits_;
    t.ready = std::max(at + spec_.tlb_hit_latency, entry->ready);  // waits for a walk under way
    return t;
  }
  ++misses_;
  t.ready = walk(at);
  if (entry != nullptr) entry->ready = t.ready;
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

void Mmu::map(mem::VirtAddr va, mem::PhysAddr pa, base::Bytes size) { table_.map(va, pa, size); }

void Mmu::unmap(mem::VirtAddr va, base::Bytes size) {
  table_.unmap(va, size);
  const std::uint64_t first = va.value() / page_bytes_;
  const std::uint64_t last = (va.value() + size.count() - 1) / page_bytes_;
  // Drop cached pages of the range; walk whichever of range and TLB is smaller.
  if (last - first + 1 < tlb_.size()) {
    for (std::uint64_t p = first; p <= last; ++p)
      if (auto it = tlb_.find(p); it != tlb_.end()) {
        lru_.erase(it->second.lru);
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
