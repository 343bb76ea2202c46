// The engine's pending-event set: a 4-ary min-heap of compact entries (time, sequence, function
// pointer, context). Equal times pop in insertion order, except for keyed entries, which pop as if
// pushed when their order key was reserved (see reserve_order); cancellation is lazy and O(1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <vector>

#include "kernbench/base/units.h"

namespace kernbench::sim {

/// A scheduled callback: a plain function pointer and its context, so no allocation per event.
using EventFn = void (*)(void* ctx);

/// Names one scheduled callback so it can be cancelled. A default-constructed id names nothing.
struct EventId {
  base::SimTime time;
  std::uint64_t seq = 0;
  constexpr bool valid() const { return seq != 0; }
  constexpr bool operator==(const EventId&) const = default;
};

namespace detail {
/// A heap-allocated closure owned by the queue: run once then deleted, or deleted unrun when
/// cancelled or when the queue is destroyed.
class OwnedClosure {
 public:
  virtual ~OwnedClosure() = default;
  virtual void run() = 0;
};
}  // namespace detail

class EventQueue {
 public:
  struct Entry {
    std::int64_t time_ps;
    // Tie-break: (order << kSubBits | sub) << 1 | owned. Bit 0 set: ctx is a detail::OwnedClosure
    // the queue must delete. A plain push takes a fresh order and sub 0.
    std::uint64_t seq;
    EventFn fn;
    void* ctx;
  };
  /// Sub-keys of one order key run 0 .. kMaxSub.
  static constexpr unsigned kSubBits = 10;
  static constexpr std::uint64_t kMaxSub = (std::uint64_t{1} << kSubBits) - 1;

  EventQueue() = default;
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;
  ~EventQueue();

  /// Schedules fn(ctx) at `at`; `at` must not precede the last popped entry's time.
  EventId push(base::SimTime at, EventFn fn, void* ctx) {
    return push_entry(at, tie_break(next_order_++, 0), fn, ctx);
  }
  /// Takes an order key now: entries pushed later with push_keyed(at, key, sub) pop among equal
  /// times as if they had been pushed at this moment, by increasing sub.
  std::uint64_t reserve_order() { return next_order_++; }
  /// Schedules fn(ctx) at `at` under a reserved order key; (at, key, sub) must come after the
  /// last popped entry.
  EventId push_keyed(base::SimTime at, std::uint64_t key, std::uint64_t sub, EventFn fn,
                     void* ctx) {
    return push_entry(at, tie_break(key, sub), fn, ctx);
  }
  /// The tie-break that (key, sub) gets, to compare with last_seq().
  static constexpr std::uint64_t tie_break(std::uint64_t key, std::uint64_t sub) {
    return ((key << kSubBits) | sub) << 1;
  }
  /// Time and tie-break of the entry popped last (the one running now, inside a handler).
  std::int64_t last_time_ps() const { return last_time_ps_; }
  std::uint64_t last_seq() const { return last_seq_; }
  /// Schedules a closure the queue owns (runs it once, deletes it after running or cancelling).
  EventId push_owned(base::SimTime at, detail::OwnedClosure* closure);
  /// Cancels a pending entry; false if it already ran, was cancelled, or never existed.
  bool cancel(EventId id);

  /// True when no live (uncancelled) entry is pending.
  bool empty() {
    drop_cancelled_top();
    return heap_.empty();
  }
  /// Time of the next live entry; the queue must not be empty.
  base::SimTime next_time() {
    drop_cancelled_top();
    return base::SimTime::from_ps(heap_.front().time_ps);
  }
  /// Removes and returns the next live entry; the queue must not be empty.
  Entry pop() {
    drop_cancelled_top();
    Entry top = heap_.front();
    remove_top();
    last_time_ps_ = top.time_ps;
    last_seq_ = top.seq;
    return top;
  }
  /// Frees an entry popped but never to be run (deletes it when the queue owns it).
  static void discard(const Entry& e);
  /// Pending entries, including cancelled ones not yet dropped.
  std::size_t size() const { return heap_.size(); }
  /// Reserves room for n pending entries.
  void reserve(std::size_t n) { heap_.reserve(n); }
  /// Runs an entry popped by pop() (deletes it afterwards when the queue owns it).
  static void run(const Entry& e) {
    if (e.seq & 1) [[unlikely]]
      run_owned(e);
    else
      e.fn(e.ctx);
  }

 private:
  static constexpr std::size_t kArity = 4;

  static bool earlier(const Entry& a, const Entry& b) {
    return a.time_ps < b.time_ps || (a.time_ps == b.time_ps && a.seq < b.seq);
  }
  EventId push_entry(base::SimTime at, std::uint64_t seq, EventFn fn, void* ctx);
  void sift_up(std::size_t hole, Entry e);
  void remove_top();
  void drop_cancelled_top() {
    // One branch in the common case: nothing was ever cancelled.
    if (!cancelled_.empty()) [[unlikely]]
      drop_cancelled_slow();
  }
  void drop_cancelled_slow();
  static void run_owned(const Entry& e);

  std::vector<Entry> heap_;
  std::unordered_set<std::uint64_t> cancelled_;
  std::uint64_t next_order_ = 1;
  std::int64_t last_time_ps_ = 0;
  std::uint64_t last_seq_ = 0;
};

}  // namespace kernbench::sim
