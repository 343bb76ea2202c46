#include "kernbench/ccl/schedule.h"

#include <algorithm>
#include <bit>
#include <deque>

#include "kernbench/base/assert.h"
#include "kernbench/base/error.h"

namespace kernbench::ccl {
namespace {

// Per tree member: its depth, its height (0 for a leaf) and the ranks of its subtree.
struct TreeShape {
  std::vector<int> order;  // breadth-first from the root
  std::vector<int> depth, height;
  std::vector<std::vector<int>> subtree;
};

TreeShape shape_of(const SpanningTree& tree) {
  const std::size_t p = tree.parent.size();
  TreeShape s{{}, std::vector<int>(p, 0), std::vector<int>(p, 0), std::vector<std::vector<int>>(p)};
  s.order = tree.roots;
  for (std::size_t i = 0; i < s.order.size(); ++i)
    for (const int c : tree.children[static_cast<std::size_t>(s.order[i])]) {
      s.depth[static_cast<std::size_t>(c)] = s.depth[static_cast<std::size_t>(s.order[i])] + 1;
      s.order.push_back(c);
    }
  for (auto it = s.order.rbegin(); it != s.order.rend(); ++it) {  // children before parents
    const auto r = static_cast<std::size_t>(*it);
    s.subtree[r].insert(s.subtree[r].begin(), *it);
    const int parent = tree.parent[r];
    if (parent < 0) continue;
    const auto up = static_cast<std::size_t>(parent);
    s.height[up] = std::max(s.height[up], s.height[r] + 1);
    s.subtree[up].insert(s.subtree[up].end(), s.subtree[r].begin(), s.subtree[r].end());
  }
  return s;
}

int max_of(const std::vector<int>& v, const std::vector<int>& members) {
  int m = 0;
  for (const int r : members) m = std::max(m, v[static_cast<std::size_t>(r)]);
  return m;
}

int mod(int a, int m) { return ((a % m) + m) % m; }

}  // namespace

int RingPhase::part_sent(int i, int t) const { return mod(reduce ? i - t - 1 : i - t, members()); }

ScheduleOp RingPhase::op(int i, int t) const {
  const int m = members();
  const Range r = parts[static_cast<std::size_t>(part_sent(i, t))];
  return {group[static_cast<std::size_t>(i)],
          group[static_cast<std::size_t>((i + 1) % m)],
          step + t,
          phase,
          gated,
          r.begin,
          r.begin,
          r.count,
          reduce};
}

void ScheduleOps::push_back(const ScheduleOp& op) {
  if (blocks_.empty() || blocks_.back().ring) blocks_.push_back({false, ops_.size(), 0});
  ops_.push_back(op);
  ++blocks_.back().count;
  ++size_;
}

// Each step sends every part once.
void ScheduleOps::push_back(RingPhase ring) {
  KB_ASSERT(ring.parts.size() == ring.group.size(), "a ring phase has a part per member");
  const auto sending = static_cast<std::size_t>(std::count_if(
      ring.parts.begin(), ring.parts.end(), [](const Range& r) { return r.count > 0; }));
  const std::size_t count = sending * static_cast<std::size_t>(std::max(0, ring.members() - 1));
  if (count == 0) return;
  blocks_.push_back({true, rings_.size(), count});
  rings_.push_back(std::move(ring));
  size_ += count;
}

ScheduleOp ScheduleOps::operator[](std::size_t i) const {
  KB_ASSERT(i < size_, "a schedule op in range");
  std::size_t b = 0;
  for (; i >= blocks_[b].count; ++b) i -= blocks_[b].count;
  if (!blocks_[b].ring) return ops_[blocks_[b].first + i];
  Iterator it(this, b);
  for (; i > 0; --i) ++it;
  return *it;
}

ScheduleOps::Iterator ScheduleOps::begin() const { return Iterator(this, 0); }
ScheduleOps::Iterator ScheduleOps::end() const { return Iterator(this, blocks_.size()); }

std::vector<const RingPhase*> ScheduleOps::only_rings() const {
  std::vector<const RingPhase*> out;
  for (const Block& b : blocks_) {
    if (!b.ring) return {};
    out.push_back(&rings_[b.first]);
  }
  return out;
}

ScheduleOps::Iterator::Iterator(const ScheduleOps* ops, std::size_t block)
    : ops_(ops), block_(block) {
  skip_empty();
}

ScheduleOp ScheduleOps::Iterator::operator*() const {
  const Block& b = ops_->blocks_[block_];
  if (!b.ring) return ops_->ops_[b.first + at_];
  const RingPhase& ring = ops_->rings_[b.first];
  const auto m = static_cast<std::size_t>(ring.members());
  return ring.op(static_cast<int>(at_ % m), static_cast<int>(at_ / m));
}

ScheduleOps::Iterator& ScheduleOps::Iterator::operator++() {
  ++at_;
  skip_empty();
  return *this;
}

void ScheduleOps::Iterator::skip_empty() {
  while (block_ < ops_->blocks_.size()) {
    const Block& b = ops_->blocks_[block_];
    if (!b.ring) {
      if (at_ < b.count) return;
    } else {
      const RingPhase& ring = ops_->rings_[b.first];
      const auto m = static_cast<std::size_t>(ring.members());
      for (; at_ < (m - 1) * m; ++at_) {
        const int part = ring.part_sent(static_cast<int>(at_ % m), static_cast<int>(at_ / m));
        if (ring.parts[static_cast<std::size_t>(part)].count > 0) return;
      }
    }
    ++block_;
    at_ = 0;
  }
}

void ScheduleBuilder::add(int from, int to, int step, std::uint64_t src, std::uint64_t dst,
                          std::uint64_t count, bool reduce) {
  if (count == 0) return;
  schedule_.ops.push_back(ScheduleOp{from, to, step, phase_, lockstep_, src, dst, count, reduce});
}

// Step t: member i sends part i-t-1 (reduce-scatter) or part i-t (all-gather) to member i+1, the
// part it received the step before.
void ScheduleBuilder::ring_reduce_scatter(const std::vector<int>& group,
                                          const std::vector<Range>& parts) {
  const int m = static_cast<int>(group.size());
  if (m < 2) return;
  schedule_.ops.push_back(RingPhase{group, parts, step_, phase_, lockstep_, true});
  step_ += m - 1;
  ++phase_;
}

void ScheduleBuilder::ring_all_gather(const std::vector<int>& group,
                                      const std::vector<Range>& parts) {
  const int m = static_cast<int>(group.size());
  if (m < 2) return;
  schedule_.ops.push_back(RingPhase{group, parts, step_, phase_, lockstep_, false});
  step_ += m - 1;
  ++phase_;
}

// Step t exchanges across bit j = k-1-t: a rank keeps the half of its region whose blocks share
// its bit j and sends the other half, so after k steps rank r holds block r.
void ScheduleBuilder::halving_reduce_scatter(Range range) {
  const auto p = static_cast<unsigned>(world_);
  KB_ASSERT(std::has_single_bit(p), "halving-doubling needs a power-of-two world");
  const int k = std::countr_zero(p);
  for (int t = 0; t < k; ++t) {
    const int j = k - 1 - t;
    for (int r = 0; r < world_; ++r) {
      const int q = r ^ (1 << j);
      const int first = ((r >> (j + 1)) << (j + 1)) + (((q >> j) & 1) << j);
      const std::uint64_t b = range.part_begin(first, world_);
      const std::uint64_t e = range.part_begin(first + (1 << j), world_);
      add(r, q, step_ + t, b, b, e - b, true);
    }
    ++phase_;  // each exchange is a phase of its own
  }
  step_ += k;
}

void ScheduleBuilder::doubling_all_gather(Range range) {
  const auto p = static_cast<unsigned>(world_);
  KB_ASSERT(std::has_single_bit(p), "halving-doubling needs a power-of-two world");
  const int k = std::countr_zero(p);
  for (int j = 0; j < k; ++j) {
    for (int r = 0; r < world_; ++r) {
      const int first = (r >> j) << j;
      const std::uint64_t b = range.part_begin(first, world_);
      const std::uint64_t e = range.part_begin(first + (1 << j), world_);
      add(r, r ^ (1 << j), step_ + j, b, b, e - b, false);
    }
    ++phase_;
  }
  step_ += k;
}

void ScheduleBuilder::tree_reduce(const SpanningTree& tree, Range range) {
  const TreeShape s = shape_of(tree);
  for (const int r : s.order)
    if (tree.parent[static_cast<std::size_t>(r)] >= 0)
      add(r, tree.parent[static_cast<std::size_t>(r)],
          step_ + s.height[static_cast<std::size_t>(r)], range, true);
  step_ += max_of(s.height, tree.roots);
  ++phase_;
}

void ScheduleBuilder::tree_broadcast(const SpanningTree& tree, Range range) {
  const TreeShape s = shape_of(tree);
  for (const int r : s.order)
    for (const int c : tree.children[static_cast<std::size_t>(r)])
      add(r, c, step_ + s.depth[static_cast<std::size_t>(r)], range, false);
  step_ += max_of(s.depth, s.order);
  ++phase_;
}

void ScheduleBuilder::tree_scatter(const SpanningTree& tree, Range range) {
  const TreeShape s = shape_of(tree);
  for (const int r : s.order)
    for (const int c : tree.children[static_cast<std::size_t>(r)])
      for (const int m : s.subtree[static_cast<std::size_t>(c)])
        add(r, c, step_ + s.depth[static_cast<std::size_t>(r)], range.part(m, world_), false);
  step_ += max_of(s.depth, s.order);
  ++phase_;
}

void ScheduleBuilder::tree_gather(const SpanningTree& tree, Range range) {
  const TreeShape s = shape_of(tree);
  for (const int r : s.order) {
    const int up = tree.parent[static_cast<std::size_t>(r)];
    if (up < 0) continue;
    for (const int m : s.subtree[static_cast<std::size_t>(r)])
      add(r, up, step_ + s.height[static_cast<std::size_t>(r)], range.part(m, world_), false);
  }
  step_ += max_of(s.height, tree.roots);
  ++phase_;
}

void ScheduleBuilder::pairwise_exchange(std::uint64_t count) {
  schedule_.in_place = false;
  const Range all{0, count};
  for (int r = 0; r < world_; ++r) {
    const Range own = all.part(r, world_);
    add(r, r, step_, own.begin, own.begin, own.count, false);
    for (int s = 1; s < world_; ++s) {
      const int q = (r + s) % world_;
      const Range block = all.part(q, world_);
      add(r, q, step_ + s - 1, block.begin, own.begin, block.count, false);
    }
  }
  step_ += std::max(1, world_ - 1);
  ++phase_;
}

SpanningTree breadth_first_tree(const std::vector<std::vector<int>>& neighbors, int root) {
  const std::size_t p = neighbors.size();
  SpanningTree t{{root}, std::vector<int>(p, -1), std::vector<std::vector<int>>(p)};
  std::vector<bool> seen(p, false);
  std::deque<int> queue{root};
  seen[static_cast<std::size_t>(root)] = true;
  while (!queue.empty()) {
    const int r = queue.front();
    queue.pop_front();
    for (const int n : neighbors[static_cast<std::size_t>(r)]) {
      if (seen[static_cast<std::size_t>(n)]) continue;
      seen[static_cast<std::size_t>(n)] = true;
      t.parent[static_cast<std::size_t>(n)] = r;
      t.children[static_cast<std::size_t>(r)].push_back(n);
      queue.push_back(n);
    }
  }
  return t;
}

}  // namespace kernbench::ccl
