#include "kernbench/ccl/detail/schedule_graph.h"

#include <algorithm>

namespace kernbench::ccl::detail {

ChunkSpan chunks_over(std::uint64_t begin, std::uint64_t count, std::uint64_t chunk,
                      std::uint64_t x, std::uint64_t y) {
  if (count == 0 || x >= y || y <= begin || x >= begin + count) return {};
  const std::uint64_t first = x > begin ? (x - begin) / chunk : 0;
  return {first, std::min((count + chunk - 1) / chunk, (y - begin + chunk - 1) / chunk)};
}

std::uint32_t ChunkCounts::bump(std::uint64_t c) {
  const auto at_or_after = [this](std::uint64_t chunk) {
    return static_cast<std::size_t>(
        std::lower_bound(runs_.begin(), runs_.end(), chunk,
                         [](const auto& run, std::uint64_t v) { return run.first < v; }) -
        runs_.begin());
  };
  std::size_t i = at_or_after(c + 1);  // the first run from chunk c + 1 on
  const std::uint32_t was = i == 0 ? 0 : runs_[i - 1].second;
  const auto offset = [this](std::size_t k) {
    return runs_.begin() + static_cast<std::ptrdiff_t>(k);
  };
  if (i == runs_.size() || runs_[i].first != c + 1) runs_.insert(offset(i), {c + 1, was});
  if (i == 0 || runs_[i - 1].first != c) runs_.insert(offset(i++), {c, was});
  const std::size_t at = i - 1;  // chunk c's run, one chunk long
  runs_[at].second = was + 1;
  const auto same_as_before = [this](std::size_t k) {
    return runs_[k].second == (k == 0 ? 0 : runs_[k - 1].second);
  };
  if (same_as_before(at + 1)) runs_.erase(offset(at + 1));
  if (same_as_before(at)) runs_.erase(offset(at));
  return was + 1;
}

ScheduleGraph::ScheduleGraph(std::vector<ScheduleOp> ops, int ranks, std::uint64_t chunk,
                             bool in_place)
    : ops_(std::move(ops)), chunk_(chunk), receiving_(static_cast<std::size_t>(ranks)) {
  for (std::uint32_t i = 0; i < size(); ++i) {
    const ScheduleOp& op = ops_[i];
    if (op.count == 0 || op.from == op.to) continue;
    auto& phases = receiving_[static_cast<std::size_t>(op.to)];
    const auto it =
        std::lower_bound(phases.begin(), phases.end(), std::pair<int, std::uint64_t>{op.phase, 0});
    if (it == phases.end() || it->first != op.phase)
      phases.insert(it, {op.phase, chunks(i)});
    else
      it->second += chunks(i);
  }
  if (in_place) {
    link(ranks);
  } else {
    waits_at_.assign(ops_.size() + 1, 0);
    dependents_at_.assign(ops_.size() + 1, 0);
  }
  find_free_chunks();
  find_lined_up();
}

std::pair<std::uint64_t, std::uint64_t> ScheduleGraph::source_of(std::uint32_t i,
                                                                 std::uint64_t c) const {
  const ScheduleOp& op = ops_[i];
  const std::uint64_t at = c * chunk_;
  return {op.src + at, op.src + at + std::min(chunk_, op.count - at)};
}

std::pair<std::uint64_t, std::uint64_t> ScheduleGraph::landing_of(std::uint32_t i,
                                                                  std::uint64_t c) const {
  const ScheduleOp& op = ops_[i];
  const std::uint64_t at = c * chunk_;
  return {op.dst + at, op.dst + at + std::min(chunk_, op.count - at)};
}

// Op j's chunks wait for chunks of op i when i lands at j's sender in an earlier step than j's
// over some of the elements j sends. Received ops no longer than `longest` that overlap [a, b)
// begin in (a - longest, b).
void ScheduleGraph::link(int ranks) {
  struct Received {
    std::uint64_t begin, end;
    int step;
    std::uint32_t op;
  };
  std::vector<std::vector<Received>> received(static_cast<std::size_t>(ranks));
  std::vector<std::uint64_t> longest(static_cast<std::size_t>(ranks), 0);
  for (std::uint32_t i = 0; i < size(); ++i) {
    const ScheduleOp& op = ops_[i];
    if (op.count == 0) continue;
    const auto to = static_cast<std::size_t>(op.to);
    received[to].push_back({op.dst, op.dst + op.count, op.step, i});
    longest[to] = std::max(longest[to], op.count);
  }
  for (auto& r : received)
    std::sort(r.begin(), r.end(), [](const Received& a, const Received& b) {
      return a.begin != b.begin ? a.begin < b.begin : a.op < b.op;
    });
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;  // (landed, waiting)
  for (std::uint32_t j = 0; j < size(); ++j) {
    const ScheduleOp& op = ops_[j];
    if (op.count == 0) continue;
    const auto from = static_cast<std::size_t>(op.from);
    const std::uint64_t a = op.src, b = a + op.count;
    const std::uint64_t lowest = a >= longest[from] ? a - longest[from] + 1 : 0;
    const auto& list = received[from];
    auto it = std::lower_bound(list.begin(), list.end(), lowest,
                               [](const Received& r, std::uint64_t v) { return r.begin < v; });
    for (; it != list.end() && it->begin < b; ++it)
      if (it->end > a && it->step < op.step) edges.push_back({it->op, j});
  }
  const auto csr = [this](std::vector<std::pair<std::uint32_t, std::uint32_t>>& e,
                          std::vector<std::uint32_t>& at, std::vector<std::uint32_t>& to) {
    std::sort(e.begin(), e.end());
    at.assign(ops_.size() + 1, 0);
    to.reserve(e.size());
    for (const auto& [key, value] : e) {
      ++at[key + 1];
      to.push_back(value);
    }
    for (std::size_t i = 0; i < ops_.size(); ++i) at[i + 1] += at[i];
  };
  csr(edges, dependents_at_, dependents_);
  for (auto& [landed, waiting] : edges) std::swap(landed, waiting);
  csr(edges, waits_at_, waits_);
}

// The chunks of op j that hold some of the elements of an op it waits for wait; the others not.
void ScheduleGraph::find_free_chunks() {
  free_at_.assign(ops_.size() + 1, 0);
  std::vector<ChunkSpan> waiting;
  for (std::uint32_t j = 0; j < size(); ++j) {
    const ScheduleOp& op = ops_[j];
    waiting.clear();
    for (std::uint32_t k = waits_at_[j]; k < waits_at_[j + 1]; ++k) {
      const ScheduleOp& in = ops_[waits_[k]];
      waiting.push_back(chunks_over(op.src, op.count, chunk_, in.dst, in.dst + in.count));
    }
    std::sort(waiting.begin(), waiting.end(),
              [](const ChunkSpan& a, const ChunkSpan& b) { return a.first < b.first; });
    std::uint64_t at = 0;
    for (const ChunkSpan& w : waiting) {
      if (w.first > at) free_.push_back({at, w.first});
      at = std::max(at, w.last);
    }
    if (at < chunks(j)) free_.push_back({at, chunks(j)});
    free_at_[j + 1] = static_cast<std::uint32_t>(free_.size());
  }
}

// Chunk c of op i reads [src + c*chunk, ...), within the elements chunk c of an op landing at
// dst == src holds, and of no other chunk of it: when every op i waits for lands so and has at
// least i's chunks, each of i's chunks waits for one chunk of each.
void ScheduleGraph::find_lined_up() {
  lined_up_.assign(ops_.size(), kNotLinedUp);
  for (std::uint32_t i = 0; i < size(); ++i) {
    bool lined_up = true;
    for (std::uint32_t k = waits_at_[i]; k < waits_at_[i + 1] && lined_up; ++k)
      lined_up = ops_[waits_[k]].dst == ops_[i].src && chunks(waits_[k]) >= chunks(i);
    if (lined_up) lined_up_[i] = waits_at_[i + 1] - waits_at_[i];
  }
}

std::uint32_t ScheduleGraph::waits_for(std::uint32_t i, std::uint64_t c) const {
  if (const std::uint64_t n = lined_up_[i]; n != kNotLinedUp) return static_cast<std::uint32_t>(n);
  const auto [x, y] = source_of(i, c);
  std::uint64_t n = 0;
  for (std::uint32_t k = waits_at_[i]; k < waits_at_[i + 1]; ++k) {
    const ScheduleOp& in = ops_[waits_[k]];
    n += chunks_over(in.dst, in.count, chunk_, x, y).size();
  }
  return static_cast<std::uint32_t>(n);
}

ChunkSpan ScheduleGraph::waiting_on(std::uint32_t j, std::uint32_t i, std::uint64_t c) const {
  const auto [x, y] = landing_of(i, c);
  return chunks_over(ops_[j].src, ops_[j].count, chunk_, x, y);
}

bool ScheduleGraph::held(std::uint32_t i) const {
  const ScheduleOp& op = ops_[i];
  const auto& phases = receiving(op.from);
  return op.gated && !phases.empty() && phases.front().first < op.phase;
}

}  // namespace kernbench::ccl::detail
