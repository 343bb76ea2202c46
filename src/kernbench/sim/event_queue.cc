#include "kernbench/sim/event_queue.h"

#include <algorithm>
#include <bit>

#include "kernbench/base/assert.h"

namespace kernbench::sim {

EventQueue::~EventQueue() {
  for (std::size_t b = 0; b < kBuckets; ++b)
    for (std::size_t i = b == 0 ? head_ : 0; i < buckets_[b].size(); ++i) discard(buckets_[b][i]);
}

void EventQueue::reserve(std::size_t n) {
  buckets_[0].reserve(n);
  for (std::size_t b = 1; b <= 2 * kDigits; ++b) buckets_[b].reserve(n / kDigits);
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
  // A peek (next_time) may have moved the base past the clock; an entry before it rebases.
  if (at.ps() < base_ps_) [[unlikely]]
    rebase(at.ps());
  place(Entry{at.ps(), seq, fn, ctx});
  ++size_;
  return EventId{at, seq};
}

// Bucket 0 is used up: the lowest non-empty bucket holds the next entries. Its minimum becomes the
// base, and its entries spread into lower buckets (those at the minimum into bucket 0); a bucket of
// the lowest digit holds one time and simply becomes bucket 0. Entries of equal time always share a
// bucket, and pushes and this scan keep their insertion order, so bucket 0 comes out in sequence
// order with no sort. The other buckets stay right for the new base: it shares their entries'
// higher digits with the old one, and their digit is still above its own.
void EventQueue::refill_slow() {
  auto& zero = buckets_[0];
  zero.clear();
  head_ = 0;
  std::size_t b = kBuckets;
  for (std::size_t w = 0; w < kWords; ++w) {
    const std::uint64_t bits = w == 0 ? occupied_[0] & ~std::uint64_t{1} : occupied_[w];
    if (bits != 0) {
      b = w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
      break;
    }
  }
  KB_ASSERT(b < kBuckets, "pop from an empty event queue");
  auto& from = buckets_[b];
  occupied_[b / 64] &= ~(std::uint64_t{1} << (b % 64));
  if (b <= kDigits) {  // the lowest digit: one time
    base_ps_ = from.front().time_ps;
    zero.swap(from);
    return;
  }
  // Its entries were pushed long ago and have left the first-level cache: fetch them ahead.
  constexpr std::size_t kAhead = 16;  // entries (eight lines)
  const std::size_t n = from.size();
  std::int64_t lowest = from.front().time_ps;
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) __builtin_prefetch(&from[i + kAhead]);
    lowest = std::min(lowest, from[i].time_ps);
  }
  base_ps_ = lowest;
  for (const Entry& e : from) place(e);
  from.clear();
}

// Moves the base back to `t` (before every pending entry) and re-buckets everything.
void EventQueue::rebase(std::int64_t t) {
  std::vector<Entry> all;
  all.reserve(size_);
  for (std::size_t b = 0; b < kBuckets; ++b) {
    for (std::size_t i = b == 0 ? head_ : 0; i < buckets_[b].size(); ++i)
      all.push_back(buckets_[b][i]);
    buckets_[b].clear();
  }
  head_ = 0;
  occupied_.fill(0);
  base_ps_ = t;
  for (const Entry& e : all) place(e);  // all later than t: none lands in bucket 0
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
    refill();
    const Entry top = buckets_[0][head_];
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
