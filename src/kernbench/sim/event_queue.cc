#include "kernbench/sim/event_queue.h"

#include <algorithm>
#include <bit>

#include "kernbench/base/assert.h"

namespace kernbench::sim {
namespace {

// Function objects, so the sorts and heap operations inline them.
struct Earlier {
  bool operator()(const EventQueue::Entry& a, const EventQueue::Entry& b) const {
    return a.time_ps < b.time_ps || (a.time_ps == b.time_ps && a.seq < b.seq);
  }
};
struct Later {
  bool operator()(const EventQueue::Entry& a, const EventQueue::Entry& b) const {
    return Earlier{}(b, a);
  }
};
constexpr Earlier earlier;
constexpr Later later;

}  // namespace

EventQueue::EventQueue() : slots_(kSlots) {}

EventQueue::~EventQueue() {
  for (std::size_t i = 0; i < kSlots; ++i)
    for (std::size_t k = i == current_index() ? head_ : 0; k < slots_[i].size(); ++k)
      discard(slots_[i][k]);
  for (const Entry& e : far_) discard(e);
}

EventId EventQueue::push_owned(base::SimTime at, detail::OwnedClosure* closure) {
  auto trampoline = [](void* ctx) { static_cast<detail::OwnedClosure*>(ctx)->run(); };
  return push_entry(at, trampoline, closure, 1);
}

EventId EventQueue::push_entry(base::SimTime at, EventFn fn, void* ctx, std::uint64_t owned_bit) {
  KB_ASSERT(at.ps() >= last_time_ps_, "event scheduled in the past");
  // Sequence numbers step by two so bit 0 can flag owned closures without changing the order.
  const std::uint64_t seq = (next_seq_ << 1) | owned_bit;
  ++next_seq_;
  place(Entry{at.ps(), seq, fn, ctx});
  ++size_;
  return EventId{at, seq};
}

void EventQueue::place(const Entry& e) {
  std::int64_t slot = slot_of(e.time_ps);
  if (slot == current_) return insert_in_current(e);
  if (slot < current_) [[unlikely]] {
    // A peek (next_time, or dropping cancelled entries) moved the clock's slot past `e`: the
    // wheel turns back to it, and what then lies past its span waits in the heap.
    std::vector<Entry>& old = slots_[current_index()];
    old.erase(old.begin(), old.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
    if (!old.empty()) mark(current_index());
    for (std::size_t i = 0; i < kSlots; ++i) {
      std::erase_if(slots_[i], [&](const Entry& x) {
        if (slot_of(x.time_ps) < slot + static_cast<std::int64_t>(kSlots)) return false;
        far_.push_back(x);
        std::push_heap(far_.begin(), far_.end(), later);
        return true;
      });
      if (slots_[i].empty()) unmark(i);
    }
    current_ = slot;
    unmark(current_index());
    std::sort(slots_[current_index()].begin(), slots_[current_index()].end(), earlier);
    return insert_in_current(e);
  }
  if (slot < current_ + static_cast<std::int64_t>(kSlots)) {
    const std::size_t index = static_cast<std::size_t>(slot) & (kSlots - 1);
    slots_[index].push_back(e);
    mark(index);
    return;
  }
  far_.push_back(e);
  std::push_heap(far_.begin(), far_.end(), later);
}

// The current slot is sorted from head_ on; `e` is the latest entry pushed, so it goes after
// every entry of its time.
void EventQueue::insert_in_current(const Entry& e) {
  std::vector<Entry>& v = slots_[current_index()];
  if (v.size() == head_ || v.back().time_ps <= e.time_ps) return v.push_back(e);
  const auto at =
      std::upper_bound(v.begin() + static_cast<std::ptrdiff_t>(head_), v.end(), e.time_ps,
                       [](std::int64_t t, const Entry& x) { return t < x.time_ps; });
  v.insert(at, e);
}

void EventQueue::unmark(std::size_t index) {
  std::uint64_t& word = occupied_[index / 64];
  word &= ~(std::uint64_t{1} << (index % 64));
  if (word == 0) summary_[index / 4096] &= ~(std::uint64_t{1} << (index / 64 % 64));
}

std::int64_t EventQueue::next_occupied() const {
  // The first occupied index at or after `from` (kSlots if none).
  const auto first_from = [this](std::size_t from) -> std::size_t {
    if (from >= kSlots) return kSlots;
    std::size_t w = from / 64;
    if (const std::uint64_t bits = occupied_[w] & (~std::uint64_t{0} << (from % 64)))
      return w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
    for (std::size_t word = w + 1; word < kWords;) {
      const std::size_t s = word / 64;
      if (const std::uint64_t words = summary_[s] & (~std::uint64_t{0} << (word % 64))) {
        const std::size_t found = s * 64 + static_cast<std::size_t>(std::countr_zero(words));
        return found * 64 + static_cast<std::size_t>(std::countr_zero(occupied_[found]));
      }
      word = (s + 1) * 64;
    }
    return kSlots;
  };
  const std::size_t here = current_index();
  std::size_t found = first_from(here + 1);
  if (found == kSlots) found = first_from(0);
  if (found == kSlots || found == here) return -1;
  return current_ + static_cast<std::int64_t>((found - here) & (kSlots - 1));
}

// The current slot is used up: the clock moves to the next occupied slot of the wheel, or to the
// heap's first entry's when the wheel is empty; entries of the heap that come within the wheel's
// span then join it, and the new current slot is sorted.
void EventQueue::advance_slow() {
  KB_ASSERT(size_ > 0, "pop from an empty event queue");
  slots_[current_index()].clear();
  head_ = 0;
  std::int64_t next = next_occupied();
  if (next < 0) next = slot_of(far_.front().time_ps);
  current_ = next;
  const std::int64_t end = current_ + static_cast<std::int64_t>(kSlots);
  while (!far_.empty() && slot_of(far_.front().time_ps) < end) {
    const Entry e = far_.front();
    std::pop_heap(far_.begin(), far_.end(), later);
    far_.pop_back();
    const std::size_t index = static_cast<std::size_t>(slot_of(e.time_ps)) & (kSlots - 1);
    slots_[index].push_back(e);
    mark(index);
  }
  unmark(current_index());
  std::vector<Entry>& now = slots_[current_index()];
  std::sort(now.begin(), now.end(), earlier);
}

base::SimTime EventQueue::next_time() {
  drop_cancelled_top();
  advance();
  return base::SimTime::from_ps(slots_[current_index()][head_].time_ps);
}

bool EventQueue::cancel(EventId id) {
  if (!id.valid()) return false;
  // Everything at or before the last popped key has run (or was dropped); later keys are pending,
  // because nothing can be scheduled before the last popped time.
  const bool ran =
      id.time.ps() < last_time_ps_ || (id.time.ps() == last_time_ps_ && id.seq <= last_seq_);
  if (ran || id.seq >= (next_seq_ << 1)) return false;
  return cancelled_.insert(id.seq).second;
}

void EventQueue::drop_cancelled_slow() {
  while (size_ > 0) {
    advance();
    const Entry top = slots_[current_index()][head_];
    auto it = cancelled_.find(top.seq);
    if (it == cancelled_.end()) return;
    cancelled_.erase(it);
    ++head_;
    --size_;
    last_time_ps_ = top.time_ps;
    last_seq_ = top.seq;
    discard(top);
  }
}

void EventQueue::run_owned(const Entry& e) {
  auto* closure = static_cast<detail::OwnedClosure*>(e.ctx);
  struct Deleter {
    detail::OwnedClosure* c;
    ~Deleter() { delete c; }
  } deleter{closure};
  closure->run();
}

void EventQueue::discard(const Entry& e) {
  if (e.seq & 1) delete static_cast<detail::OwnedClosure*>(e.ctx);
}

}  // namespace kernbench::sim
