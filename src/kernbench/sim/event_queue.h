// The engine's pending-event set: a 4-ary min-heap of compact entries (time, sequence, function
// pointer, context). Equal times pop in insertion order; cancellation is lazy and O(1).
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
    std::uint64_t seq;  // bit 0 set: ctx is a detail::OwnedClosure the queue must delete
    EventFn fn;
    void* ctx;
  };

  EventQueue() = default;
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;
  ~EventQueue();

  /// Schedules fn(ctx) at `at`; `at` must not precede the last popped entry's time.
  EventId push(base::SimTime at, EventFn fn, void* ctx) { return push_entry(at, fn, ctx, 0); }
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
  EventId push_entry(base::SimTime at, EventFn fn, void* ctx, std::uint64_t owned_bit);
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
  std::uint64_t next_seq_ = 1;
  std::int64_t last_time_ps_ = 0;
  std::uint64_t last_seq_ = 0;
};

}  // namespace kernbench::sim
