// A schedule's ops as a graph the executor walks chunk by chunk without making every chunk ahead:
// which ops' chunks each op's chunks wait for (received by its sender in an earlier step over
// some of the same elements), its chunks that wait for none, and what each rank receives in each
// phase (what gated ops wait for). Facts about single chunks are computed from the ops when asked,
// so memory grows with the ops, not with their chunks.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "kernbench/ccl/schedule.h"

namespace kernbench::ccl::detail {

/// Chunk indices [first, last).
struct ChunkSpan {
  std::uint64_t first = 0, last = 0;
  std::uint64_t size() const { return last > first ? last - first : 0; }
};

/// The chunks of a stream of `count` elements from element `begin`, cut every `chunk` elements,
/// that hold some of elements [x, y).
ChunkSpan chunks_over(std::uint64_t begin, std::uint64_t count, std::uint64_t chunk,
                      std::uint64_t x, std::uint64_t y);

/// A count per chunk of one op (how many of the chunks it waits for are processed), kept as runs
/// of equal counts: inputs are processed mostly in chunk order, so a few runs hold every chunk's
/// count however long the op (a count per chunk held in a table grows with the chunks whose inputs
/// run ahead of others', e.g. a tree node whose leaf children run ahead of a deeper child).
class ChunkCounts {
 public:
  /// Adds one to chunk `c`'s count and returns the new count.
  std::uint32_t bump(std::uint64_t c);
  std::size_t runs() const { return runs_.size(); }

 private:
  // (first chunk, count), ascending; chunks before the first run count 0, a run ends where the
  // next begins, the last never ends; no run has its predecessor's count.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> runs_;
};

class ScheduleGraph {
 public:
  /// `ops` over `ranks` plan ranks, cut into chunks of `chunk` elements. Out of place (sends read
  /// a separate input), no chunk waits for another.
  ScheduleGraph(std::vector<ScheduleOp> ops, int ranks, std::uint64_t chunk, bool in_place);

  std::uint32_t size() const { return static_cast<std::uint32_t>(ops_.size()); }
  const ScheduleOp& op(std::uint32_t i) const { return ops_[i]; }
  std::uint64_t chunks(std::uint32_t i) const { return (ops_[i].count + chunk_ - 1) / chunk_; }
  /// How many chunks chunk `c` of op `i` waits for.
  std::uint32_t waits_for(std::uint32_t i, std::uint64_t c) const;
  /// The ops with chunks waiting for chunks of op `i`, ascending.
  std::span<const std::uint32_t> dependents(std::uint32_t i) const {
    return {dependents_.data() + dependents_at_[i], dependents_.data() + dependents_at_[i + 1]};
  }
  /// The chunks of op `j` that wait for chunk `c` of op `i` (one of i's dependents).
  ChunkSpan waiting_on(std::uint32_t j, std::uint32_t i, std::uint64_t c) const;
  /// Op `i`'s chunks that wait for none, ascending.
  std::span<const ChunkSpan> free_chunks(std::uint32_t i) const {
    return {free_.data() + free_at_[i], free_.data() + free_at_[i + 1]};
  }
  /// The phases rank `r` receives messages in (from other ranks), with how many, ascending.
  const std::vector<std::pair<int, std::uint64_t>>& receiving(int r) const {
    return receiving_[static_cast<std::size_t>(r)];
  }
  /// Op `i` is gated and its sender receives in an earlier phase: it waits for those messages.
  bool held(std::uint32_t i) const;

 private:
  // Elements [first, end) of op i's chunk c, in its sender's source or its receiver's data.
  std::pair<std::uint64_t, std::uint64_t> source_of(std::uint32_t i, std::uint64_t c) const;
  std::pair<std::uint64_t, std::uint64_t> landing_of(std::uint32_t i, std::uint64_t c) const;
  void link(int ranks);
  void find_free_chunks();
  void find_lined_up();

  std::vector<ScheduleOp> ops_;
  std::uint64_t chunk_;
  // CSR: the ops each op's chunks wait for, and the ops waiting for each op's chunks.
  std::vector<std::uint32_t> waits_at_, waits_, dependents_at_, dependents_;
  std::vector<std::uint32_t> free_at_;
  std::vector<ChunkSpan> free_;
  // Per op whose inputs all land where it reads from, each with at least its chunks (so chunk c
  // waits for chunk c of each): how many inputs; else kNotLinedUp. Spares waits_for the
  // arithmetic for the usual chains of rings and trees.
  static constexpr std::uint64_t kNotLinedUp = ~std::uint64_t{0};
  std::vector<std::uint64_t> lined_up_;
  std::vector<std::vector<std::pair<int, std::uint64_t>>> receiving_;
};

}  // namespace kernbench::ccl::detail
