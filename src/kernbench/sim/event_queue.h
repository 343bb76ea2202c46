// The engine's pending-event set: compact entries (time, sequence, function pointer, context) in
// a radix heap, which suits a clock that never goes back. Its digits are kDigitBits wide: an entry
// sits in the bucket of the highest digit where its time differs from the last minimum and of its
// value there, and moves to a lower digit's bucket as the clock nears it (at most once a digit:
// about two moves an entry with six-bit digits in a 512-rank ring all-reduce under chunks, where
// four-bit digits took three and one-bit ones five). Equal times pop in insertion order;
// cancellation is lazy and O(1).
#pragma once

#include <array>
#include <bit>
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
    return size_ == 0;
  }
  /// Time of the next live entry; the queue must not be empty.
  base::SimTime next_time() {
    drop_cancelled_top();
    refill();
    return base::SimTime::from_ps(buckets_[0][head_].time_ps);
  }
  /// Removes and returns the next live entry; the queue must not be empty.
  Entry pop() {
    drop_cancelled_top();
    refill();
    const Entry top = buckets_[0][head_++];
    --size_;
    last_time_ps_ = top.time_ps;
    last_seq_ = top.seq;
    // The next entry's context is what the next event reads first: have it on its way.
    if (head_ < buckets_[0].size()) __builtin_prefetch(buckets_[0][head_].ctx);
    return top;
  }
  /// Frees an entry popped but never to be run (deletes it when the queue owns it).
  static void discard(const Entry& e);
  /// Pending entries, including cancelled ones not yet dropped.
  std::size_t size() const { return size_; }
  /// Reserves room for n pending entries (in the buckets entries land in first).
  void reserve(std::size_t n);
  /// Runs an entry popped by pop() (deletes it afterwards when the queue owns it).
  static void run(const Entry& e) {
    if (e.seq & 1) [[unlikely]]
      run_owned(e);
    else
      e.fn(e.ctx);
  }

 private:
  // Bucket 0: entries at base_ps_, in sequence order from head_ on. Bucket 1 + kDigits * l + d:
  // entries whose time first differs from base_ps_ in digit l (bits kDigitBits * l and up) and has
  // d there, in no order. Buckets in index order hold ever later times, and a bucket of digit 0
  // holds one time. Times are never negative.
  static constexpr int kDigitBits = 6;
  static constexpr std::size_t kDigits = std::size_t{1} << kDigitBits;
  static constexpr std::size_t kLevels = (63 + kDigitBits - 1) / kDigitBits;
  static constexpr std::size_t kBuckets = 1 + kLevels * kDigits;
  static constexpr std::size_t kWords = (kBuckets + 63) / 64;

  static std::size_t bucket_of(std::int64_t t, std::int64_t base) {
    const auto diff = static_cast<std::uint64_t>(t ^ base);
    if (diff == 0) return 0;
    const auto level = static_cast<std::size_t>(std::bit_width(diff) - 1) / kDigitBits;
    const auto digit = (static_cast<std::uint64_t>(t) >> (level * kDigitBits)) & (kDigits - 1);
    return 1 + level * kDigits + static_cast<std::size_t>(digit);
  }
  EventId push_entry(base::SimTime at, EventFn fn, void* ctx, std::uint64_t owned_bit);
  void place(const Entry& e) {
    const std::size_t b = bucket_of(e.time_ps, base_ps_);
    buckets_[b].push_back(e);
    occupied_[b / 64] |= std::uint64_t{1} << (b % 64);
  }
  // Makes bucket 0 hold the next entry (the queue must not be empty).
  void refill() {
    if (head_ == buckets_[0].size()) [[unlikely]]
      refill_slow();
  }
  void refill_slow();
  void rebase(std::int64_t t);
  void drop_cancelled_top() {
    // One branch in the common case: nothing was ever cancelled.
    if (!cancelled_.empty()) [[unlikely]]
      drop_cancelled_slow();
  }
  void drop_cancelled_slow();
  static void run_owned(const Entry& e);

  std::array<std::vector<Entry>, kBuckets> buckets_;
  std::array<std::uint64_t, kWords> occupied_{};  // bit b: bucket b >= 1 is not empty
  std::size_t head_ = 0;                          // next entry of bucket 0
  std::size_t size_ = 0;
  std::int64_t base_ps_ = 0;  // the radix base: no pending entry is earlier
  std::unordered_set<std::uint64_t> cancelled_;
  std::uint64_t next_seq_ = 1;
  std::int64_t last_time_ps_ = 0;
  std::uint64_t last_seq_ = 0;
};

}  // namespace kernbench::sim
