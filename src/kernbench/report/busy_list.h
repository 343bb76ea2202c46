// One track's busy intervals, kept compact: a track busy for a few hundred picoseconds of every
// nanosecond of a long run records millions of them. The newest stay plain (where spans arriving
// out of order land); older ones are sealed in batches of gaps and lengths as varints (about 4
// bytes an interval instead of 16, one byte for an interval spaced and sized like the one before
// it), never copied again as the list grows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "kernbench/base/units.h"

namespace kernbench::report {

/// A half-open stretch of simulated time [start, end).
struct Interval {
  base::SimTime start;
  base::SimTime end;
  bool operator==(const Interval&) const = default;
};

/// Bytes handed out in order from large blocks, all freed with it (a block's pages are touched
/// only as they are written).
class ByteArena {
 public:
  /// `n` bytes that stay put until the arena goes.
  std::uint8_t* allocate(std::size_t n);
  /// Returns the last `n` bytes of the latest allocation, unused, for the next one.
  void give_back(std::size_t n);

 private:
  struct FreeBlock {
    void operator()(std::uint8_t* block) const;
  };
  std::vector<std::unique_ptr<std::uint8_t[], FreeBlock>> blocks_;
  std::uint8_t* next_ = nullptr;
  std::size_t left_ = 0;
};

/// Sorted, disjoint intervals where spans that overlap or touch become one.
///
/// Contract: add() takes spans in any order (the usual case, a span after the last interval or
/// from within it, reads only this object's first cache line); a span reaching back into sealed
/// batches re-seals them from there (their old bytes stay in the arena). Queries are exact
/// integer-picosecond arithmetic over the same intervals a plain sorted list would hold.
class alignas(64) BusyList {
 public:
  bool empty() const { return last_.end <= last_.start; }
  /// Adds [span.start, span.end), which must not be empty; sealed batches' bytes come from
  /// `arena`.
  void add(Interval span, ByteArena& arena) {
    if (span.start >= last_.start && !empty()) [[likely]] {
      if (span.start <= last_.end) {
        if (span.end > last_.end) last_.end = span.end;
      } else {
        push(last_, arena);
        last_ = span;
      }
      return;
    }
    add_before(span, arena);
  }
  /// Time inside [from, to) covered by the intervals; zero for an empty window.
  base::SimTime busy_time(base::SimTime from, base::SimTime to) const;
  /// Every interval, sorted.
  std::vector<Interval> intervals() const;

 private:
  // Sealed intervals: the first starts at first_start, each is written as the gap from the end
  // of the one before (from first_start for the first) and its length.
  struct Batch {
    base::SimTime first_start;
    base::SimTime last_end;
    base::SimTime busy;  // the sum of their lengths
    const std::uint8_t* bytes;
    std::uint32_t size;   // bytes
    std::uint32_t count;  // intervals
  };
  static constexpr std::size_t kBatch = 64;

  void push(Interval iv, ByteArena& arena) {
    tail_.push_back(iv);
    if (tail_.size() == 2 * kBatch) [[unlikely]]
      seal(arena);
  }
  void seal(ByteArena& arena);
  void add_before(Interval span, ByteArena& arena);
  template <typename Fn>
  static void decode(const Batch& b, Fn&& fn);

  Interval last_;  // the newest interval (empty: none yet); neither sealed nor in tail_
  std::vector<Interval> tail_;  // plain, after the batches' and before last_
  std::vector<Batch> batches_;  // in time order
};

}  // namespace kernbench::report
