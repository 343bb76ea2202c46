// A collective as data: message streams between plan ranks ("rank a sends elements [x, x+n) of
// its source to rank b, which reduces them into, or copies them to, [y, y+n) of its data"),
// ordered in steps. ScheduleCollective runs one, chunk by chunk; the builder below composes the
// usual phases (ring, tree, halving-doubling, pairwise exchange) so each algorithm writes its
// schedule in a few lines (algorithm_schedules.h).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace kernbench::ccl {

/// One message stream. A chunk of it may leave once every chunk the sender received in an
/// earlier step over the same elements has landed (and been reduced): so steps pipeline chunk by
/// chunk. A gated op also waits until its sender has received everything of earlier phases (a
/// step-synchronous exchange, as MPI's sendrecv per step).
struct ScheduleOp {
  int from = 0;  // plan ranks; from == to is a local copy (out-of-place schedules only)
  int to = 0;
  int step = 0;
  int phase = 0;
  bool gated = false;
  std::uint64_t src = 0;  // first element in the sender's source
  std::uint64_t dst = 0;  // first element in the receiver's data
  std::uint64_t count = 0;
  bool reduce = false;  // combine into the receiver's data (else copy)
};

struct Schedule {
  std::vector<ScheduleOp> ops;
  /// Sends read the data receives write (every op but all_to_all, which reads a separate input).
  bool in_place = true;
};

/// A forest over plan ranks: its roots, parent[r] (-1 for a root and for ranks outside it) and
/// children in order.
struct SpanningTree {
  std::vector<int> roots;
  std::vector<int> parent;
  std::vector<std::vector<int>> children;
};

/// Elements [begin, begin + count) split into `parts`: part i = [begin + i*count/parts, ...).
struct Range {
  std::uint64_t begin = 0;
  std::uint64_t count = 0;
  std::uint64_t part_begin(int i, int parts) const {
    return begin + count * static_cast<std::uint64_t>(i) / static_cast<std::uint64_t>(parts);
  }
  Range part(int i, int parts) const {
    const std::uint64_t b = part_begin(i, parts);
    return {b, part_begin(i + 1, parts) - b};
  }
};

/// Appends phases to a schedule; each phase takes the steps after the previous one's.
class ScheduleBuilder {
 public:
  explicit ScheduleBuilder(int world) : world_(world) {}

  /// From now on each phase (and each step of halving-doubling) waits, rank by rank, for
  /// everything the rank receives in earlier phases.
  void lockstep() { lockstep_ = true; }

  /// Ring reduce-scatter over `group` (ring order): member i ends with parts[i] reduced.
  void ring_reduce_scatter(const std::vector<int>& group, const std::vector<Range>& parts);
  /// Ring all-gather: member i's parts[i] reaches every member.
  void ring_all_gather(const std::vector<int>& group, const std::vector<Range>& parts);
  /// Recursive halving over all ranks (p a power of two): rank r ends with part r reduced.
  void halving_reduce_scatter(Range range);
  /// Recursive doubling: rank r's part r reaches every rank.
  void doubling_all_gather(Range range);
  /// Every member sends `range` up its tree, reduced on the way: each root ends with its tree's
  /// reduction.
  void tree_reduce(const SpanningTree& tree, Range range);
  /// Each root's `range` down its tree to every member.
  void tree_broadcast(const SpanningTree& tree, Range range);
  /// Part r of `range` (of world parts) from the root down to rank r, for every tree member r.
  void tree_scatter(const SpanningTree& tree, Range range);
  /// Part r of `range` from every tree member r up to the root.
  void tree_gather(const SpanningTree& tree, Range range);
  /// all_to_all by pairwise exchange: at step s rank r sends its part (r+s) % p to that rank.
  void pairwise_exchange(std::uint64_t count);

  Schedule take() { return std::move(schedule_); }

 private:
  void add(int from, int to, int step, std::uint64_t src, std::uint64_t dst, std::uint64_t count,
           bool reduce);
  void add(int from, int to, int step, Range r, bool reduce) {
    add(from, to, step, r.begin, r.begin, r.count, reduce);
  }

  int world_;
  int step_ = 0;  // the first step of the next phase
  int phase_ = 0;
  bool lockstep_ = false;
  Schedule schedule_;
};

/// The breadth-first spanning tree of a plan's neighbour tables from `root` (neighbours in slot
/// order), over every rank reachable.
SpanningTree breadth_first_tree(const std::vector<std::vector<int>>& neighbors, int root);

}  // namespace kernbench::ccl
