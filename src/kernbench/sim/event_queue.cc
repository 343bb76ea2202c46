#include "kernbench/sim/event_queue.h"

#include "kernbench/base/assert.h"

namespace kernbench::sim {

EventQueue::~EventQueue() {
  for (const Entry& e : heap_) discard(e);
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
  heap_.push_back(Entry{});
  sift_up(heap_.size() - 1, Entry{at.ps(), seq, fn, ctx});
  return EventId{at, seq};
}

void EventQueue::sift_up(std::size_t hole, Entry e) {
  while (hole > 0) {
    const std::size_t parent = (hole - 1) / kArity;
    if (!earlier(e, heap_[parent])) break;
    heap_[hole] = heap_[parent];
    hole = parent;
  }
  heap_[hole] = e;
}

void EventQueue::remove_top() {
  const Entry last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return;
  std::size_t hole = 0;
  for (;;) {
    const std::size_t first = hole * kArity + 1;
    if (first >= n) break;
    const std::size_t end = first + kArity < n ? first + kArity : n;
    std::size_t best = first;
    for (std::size_t c = first + 1; c < end; ++c)
      if (earlier(heap_[c], heap_[best])) best = c;
    if (!earlier(heap_[best], last)) break;
    heap_[hole] = heap_[best];
    hole = best;
  }
  heap_[hole] = last;
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
  while (!heap_.empty()) {
    auto it = cancelled_.find(heap_.front().seq);
    if (it == cancelled_.end()) return;
    cancelled_.erase(it);
    const Entry top = heap_.front();
    remove_top();
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
