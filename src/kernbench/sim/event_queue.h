// The engine's pending-event set: compact entries (time, sequence, function pointer, context) on
// a calendar wheel, which suits a clock that never goes back and events that crowd the near
// future. Each of its slots spans a fixed stretch of time; the slot the clock is in is kept
// sorted from its next entry on, later slots are sorted when the clock reaches them, and entries
// past the wheel's span wait in a binary heap until it comes within reach. Equal times pop in
// insertion order; cancellation is lazy and O(1).
#pragma once

#include <array>
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

  EventQueue();
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
    return size_ == 0;
  }
  /// Time of the next live entry; the queue must not be empty.
  base::SimTime next_time();
  /// Removes and returns the next live entry; the queue must not be empty.
  Entry pop() {
    drop_cancelled_top();
    advance();
    const Entry top = slots_[current_index()][head_++];
    --size_;
    last_time_ps_ = top.time_ps;
    last_seq_ = top.seq;
    return top;
  }
  /// Frees an entry popped but never to be run (deletes it when the queue owns it).
  static void discard(const Entry& e);
  /// Pending entries, including cancelled ones not yet dropped.
  std::size_t size() const { return size_; }
  /// Reserves room for n pending entries past the wheel's span.
  void reserve(std::size_t n) { far_.reserve(n); }
  /// Runs an entry popped by pop() (deletes it afterwards when the queue owns it).
  static void run(const Entry& e) {
    if (e.seq & 1) [[unlikely]]
      run_owned(e);
    else
      e.fn(e.ctx);
  }

 private:
  // A slot spans 2^kSlotBits ps (about a nanosecond: dense simulations run a few events a
  // nanosecond); the wheel's kSlots slots span about 17 us. Slot numbers are absolute (time >>
  // kSlotBits); the wheel holds the entries of slots current_ .. current_ + kSlots - 1, each at
  // index slot % kSlots, and far_ those of later slots.
  static constexpr int kSlotBits = 10;
  static constexpr std::size_t kSlots = std::size_t{1} << 14;
  static constexpr std::size_t kWords = kSlots / 64;

  static std::int64_t slot_of(std::int64_t t) { return t >> kSlotBits; }
  std::size_t current_index() const { return static_cast<std::size_t>(current_) & (kSlots - 1); }
  EventId push_entry(base::SimTime at, EventFn fn, void* ctx, std::uint64_t owned_bit);
  void place(const Entry& e);
  void insert_in_current(const Entry& e);
  void mark(std::size_t index) {
    occupied_[index / 64] |= std::uint64_t{1} << (index % 64);
    summary_[index / 4096] |= std::uint64_t{1} << (index / 64 % 64);
  }
  void unmark(std::size_t index);
  // The wheel's first occupied slot after the current one (absolute), or -1.
  std::int64_t next_occupied() const;
  // Makes the current slot hold the next entry at head_ (the queue must not be empty).
  void advance() {
    if (head_ == slots_[current_index()].size()) [[unlikely]]
      advance_slow();
  }
  void advance_slow();
  void drop_cancelled_top() {
    // One branch in the common case: nothing was ever cancelled.
    if (!cancelled_.empty()) [[unlikely]]
      drop_cancelled_slow();
  }
  void drop_cancelled_slow();
  static void run_owned(const Entry& e);

  std::vector<std::vector<Entry>> slots_;         // kSlots; the current one sorted from head_ on
  std::array<std::uint64_t, kWords> occupied_{};  // bit i: slot index i is not empty
  std::array<std::uint64_t, kWords / 64> summary_{};  // bit w: occupied_[w] is not zero
  std::vector<Entry> far_;                            // a min-heap of entries past the wheel's span
  std::int64_t current_ = 0;                          // the clock's slot (absolute)
  std::size_t head_ = 0;                              // next entry of the current slot
  std::size_t size_ = 0;
  std::unordered_set<std::uint64_t> cancelled_;
  std::uint64_t next_seq_ = 1;
  std::int64_t last_time_ps_ = 0;
  std::uint64_t last_seq_ = 0;
};

}  // namespace kernbench::sim
