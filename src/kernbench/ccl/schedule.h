// A collective as data: message streams between plan ranks ("rank a sends elements [x, x+n) of
// its source to rank b, which reduces them into, or copies them to, [y, y+n) of its data"),
// ordered in steps. ScheduleCollective runs one, chunk by chunk; the builder below composes the
// usual phases (ring, tree, halving-doubling, pairwise exchange) so each algorithm writes its
// schedule in a few lines (algorithm_schedules.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
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
  int channel = 0;      // the IPCQ queue between the two ranks it goes by (each has its credits)
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

/// A ring phase as one record (ScheduleBuilder's ring_reduce_scatter and ring_all_gather): at
/// step `step + t` member i sends part i-t-1 (reduce-scatter, reduced on arrival) or part i-t
/// (all-gather, copied) to member i+1 (indices mod the group's size). Its ops are read from the
/// record, never stored: a 512-rank ring is 523 k ops.
struct RingPhase {
  std::vector<int> group;    // plan ranks in ring order
  std::vector<Range> parts;  // one per member
  int step = 0;              // its first step
  int phase = 0;
  bool gated = false;
  bool reduce = false;  // reduce-scatter (else all-gather)

  int members() const { return static_cast<int>(group.size()); }
  /// The part member `i` sends at the phase's step `t` (0 .. members-2).
  int part_sent(int i, int t) const;
  /// The op member `i` sends at the phase's step `t`.
  ScheduleOp op(int i, int t) const;
};

/// A schedule's ops in order: ops given one by one and ring phases, each read as its ops (steps
/// in order, members in order, empty parts left out). Reading is by value.
class ScheduleOps {
 public:
  class Iterator;

  void push_back(const ScheduleOp& op);
  /// Appends a ring phase (nothing when it sends nothing).
  void push_back(RingPhase ring);

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  ScheduleOp operator[](std::size_t i) const;
  Iterator begin() const;
  Iterator end() const;

  /// The ring phases, in order, when the schedule is made of nothing else (else empty).
  std::vector<const RingPhase*> only_rings() const;

 private:
  // ops_[first, first + count), or rings_[first] whose `count` ops are not empty.
  struct Block {
    bool ring = false;
    std::size_t first = 0, count = 0;
  };
  std::vector<ScheduleOp> ops_;
  std::vector<RingPhase> rings_;
  std::vector<Block> blocks_;
  std::size_t size_ = 0;
};

class ScheduleOps::Iterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = ScheduleOp;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = ScheduleOp;

  ScheduleOp operator*() const;
  Iterator& operator++();
  Iterator operator++(int) {
    Iterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const Iterator& o) const { return block_ == o.block_ && at_ == o.at_; }

 private:
  friend class ScheduleOps;
  Iterator(const ScheduleOps* ops, std::size_t block);
  void skip_empty();  // in a ring block: on to its next op that sends something

  const ScheduleOps* ops_ = nullptr;
  std::size_t block_ = 0;
  std::size_t at_ = 0;  // an index into the block's ops, or t * members + i in a ring block
};

struct Schedule {
  ScheduleOps ops;
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
