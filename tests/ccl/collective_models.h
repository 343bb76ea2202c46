// The tree and hierarchical all-reduce models of docs/collectives.md ("Models"), with alpha, beta,
// gamma and delta computed from the spec's parameters (never fitted to the simulator): a route's
// parameters with a reduction's memory traffic, the two phases of a tree (reduce up, broadcast
// down) over any forest of ranks, and the chunk-pipelined ring of a hierarchy's top level.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <tuple>
#include <utility>
#include <vector>

#include "kernbench/base/dtype.h"
#include "kernbench/ccl/algorithm_schedules.h"
#include "kernbench/hw/system.h"
#include "kernbench/hw/unit_costs.h"

namespace kernbench::ccl::models {

// In ns: alpha is a message's fixed cost (the route's latencies, one DMA chunk of pipeline fill in
// every stage but the slowest -- or the whole message when it is smaller -- and the 64-byte
// descriptor's trip), beta the slowest stage's time per byte, hold how long the message keeps its
// DMA channel (its data's trip: alpha without the descriptor, plus message·beta). A reduction of
// a message reads both operands into the PE at once and writes the result back
// (reduction_terms): delta is its fixed cost (the reads' and the write's latencies and fills),
// gamma its time per byte reduced (the vector unit, the reads' busiest stage, the write's
// slowest).
struct Parameters {
  double alpha_ns = 0, beta_ns = 0, gamma_ns = 0, hold_ns = 0, delta_ns = 0;
};

namespace detail {

// A route's fixed cost for a message with `fill` bytes of pipeline fill: its latencies and one
// fill in every stage but the slowest.
inline double fixed_ns(const hw::Route& r, base::Bytes fill) {
  double sum = 0, slowest = 0;
  for (const hw::Channel* s : r.stages) {
    const double t = base::transfer_time(fill, s->bandwidth()).ns();
    sum += s->latency().ns() + t;
    slowest = std::max(slowest, t);
  }
  return sum - slowest;
}

}  // namespace detail

/// Adds to `m` the memory traffic of reducing a message of `message_bytes` on `pe`, whose
/// accumulator is in `data` and received chunk in `scratch`: both read at once (their bytes add
/// up on the stages the two routes share), then the result written back.
inline void add_reduction_traffic(Parameters& m, hw::System& system, topo::PeCoord pe,
                                  mem::MemoryId data, mem::MemoryId scratch,
                                  std::uint64_t message_bytes) {
  auto& f = system.fabric();
  const hw::Route reads[] = {f.route(hw::Location::memory(data), hw::Location::pe(pe)),
                             f.route(hw::Location::memory(scratch), hw::Location::pe(pe))};
  const hw::Route write = f.route(hw::Location::pe(pe), hw::Location::memory(data));
  const base::Bytes fill(std::min(system.spec().cube.pe.dma.chunk_size.count(), message_bytes));
  double read_per_byte = 0, write_per_byte = 0;
  for (const hw::Route& r : reads)
    for (const hw::Channel* s : r.stages) {
      double crossings = 0;
      for (const hw::Route& o : reads)
        crossings += static_cast<double>(std::count(o.stages.begin(), o.stages.end(), s));
      read_per_byte = std::max(read_per_byte, crossings / s->bandwidth().gb_per_second());
    }
  for (const hw::Channel* s : write.stages)
    write_per_byte = std::max(write_per_byte, 1.0 / s->bandwidth().gb_per_second());
  m.delta_ns += std::max(detail::fixed_ns(reads[0], fill), detail::fixed_ns(reads[1], fill)) +
                detail::fixed_ns(write, fill);
  m.gamma_ns += read_per_byte + write_per_byte;
}

/// The parameters of a message of `message_bytes` from `from`'s TCM to `to`'s TCM, reduced there
/// (accumulator and receive buffer in `to`'s TCM).
inline Parameters route_parameters(hw::System& system, topo::PeCoord from, topo::PeCoord to,
                                   std::uint64_t message_bytes, base::DType dtype) {
  const auto& spec = system.spec();
  auto& f = system.fabric();
  const hw::Route data = f.route(hw::Location::memory(mem::MemoryId::tcm(from)),
                                 hw::Location::memory(mem::MemoryId::tcm(to)));
  const hw::Route desc = f.route(hw::Location::pe(from), hw::Location::pe(to));
  const base::Bytes fill(std::min(spec.cube.pe.dma.chunk_size.count(), message_bytes));
  Parameters m;
  double slowest_gbps = data.stages.front()->bandwidth().gb_per_second();
  for (const hw::Channel* s : data.stages)
    slowest_gbps = std::min(slowest_gbps, s->bandwidth().gb_per_second());
  m.alpha_ns = detail::fixed_ns(data, fill);  // the slowest stage's share is the beta term
  m.beta_ns = 1.0 / slowest_gbps;
  m.hold_ns = m.alpha_ns + static_cast<double>(message_bytes) * m.beta_ns;
  for (const hw::Channel* s : desc.stages)
    m.alpha_ns += s->latency().ns() + base::transfer_time(base::Bytes(64), s->bandwidth()).ns();
  const auto& core = spec.cube.pe.core;
  m.gamma_ns = 1.0 / (static_cast<double>(hw::vector_lanes(core, dtype)) *
                      static_cast<double>(base::size_bytes(dtype)) *
                      static_cast<double>(core.clock.hertz()) / 1e9);
  add_reduction_traffic(m, system, to, mem::MemoryId::tcm(to), mem::MemoryId::tcm(to),
                        message_bytes);
  return m;
}

/// How a rank's n bytes travel: m messages of s = min(chunk, n) bytes, at most w (the PE's DMA
/// channels) in flight per rank.
struct Messages {
  double n = 0, s = 0, m = 0;
  int w = 1;
  static Messages of(std::uint64_t bytes, std::uint64_t chunk, int channels) {
    return {static_cast<double>(bytes), static_cast<double>(std::min(chunk, bytes)),
            static_cast<double>((bytes + chunk - 1) / chunk), channels};
  }
  /// Messages of a stream that land together: one, since a route passes its messages in the
  /// order they were sent (the rest of the w in flight follow it, s·β apart).
  double group() const { return 1; }
};

/// A stream's time per byte: its route's slowest stage, or -- when its messages outnumber the w
/// in flight and those w do not cover their own trip -- hold per w·s bytes (the DMA window).
inline double stream_beta(const Parameters& e, const Messages& x) {
  if (x.m <= static_cast<double>(x.w)) return e.beta_ns;
  return std::max(e.beta_ns, e.hold_ns / (static_cast<double>(x.w) * x.s));
}

/// A forest of ranks: parent[r] (-1 for a root or a rank outside it) and the parameters of each
/// rank's route to its parent (the way down takes the reverse route, alike on these machines).
struct Forest {
  std::vector<int> parent;
  std::vector<Parameters> up;

  std::vector<std::vector<int>> children() const {
    std::vector<std::vector<int>> c(parent.size());
    for (std::size_t r = 0; r < parent.size(); ++r)
      if (parent[r] >= 0) c[static_cast<std::size_t>(parent[r])].push_back(static_cast<int>(r));
    return c;
  }
  const Parameters& edge(int child) const { return up[static_cast<std::size_t>(child)]; }
};

namespace detail {

using Children = std::vector<std::vector<int>>;

// When rank v holds the first group of messages of every child, reduced. A child sends its first
// g messages together; they reach v's port alpha after the child held its own first group. The
// port takes the children's groups in that order; groups that reach it while it is busy share it
// chunk by chunk and land together when it has taken them all. v reduces a child's first message
// (delta + s·gamma) once it has landed and the previous child's reduction of the same elements is
// written back.
inline double first_group_up(const Forest& f, const Children& ch, int v, const Messages& x) {
  const auto& kids = ch[static_cast<std::size_t>(v)];
  if (kids.empty()) return 0;
  std::vector<std::pair<double, int>> arrivals;
  for (const int c : kids)
    arrivals.push_back({first_group_up(f, ch, c, x) + f.edge(c).alpha_ns, c});
  std::sort(arrivals.begin(), arrivals.end());
  std::vector<double> landed(arrivals.size());
  double port = 0;
  for (std::size_t i = 0, batch = 0; i < arrivals.size(); ++i) {
    const auto& [at, c] = arrivals[i];
    if (at >= port) batch = i;  // the port was idle: a new batch
    port = std::max(port, at) + x.group() * x.s * f.edge(c).beta_ns;
    std::fill(landed.begin() + static_cast<std::ptrdiff_t>(batch),
              landed.begin() + static_cast<std::ptrdiff_t>(i) + 1, port);
  }
  double reduced = 0;
  for (std::size_t i = 0; i < arrivals.size(); ++i) {
    const Parameters& e = f.edge(arrivals[i].second);
    reduced = std::max(reduced, landed[i]) + e.delta_ns + x.s * e.gamma_ns;
  }
  return reduced;
}

// The latest arrival below v of its last message, which leaves v at `t` (its DMA engine serves its
// channels oldest first, so a rank's messages follow one another on its port): the sender's last
// messages to its k children go in turn, the i-th (from 0) done (k-1-i)·s·beta before `t`; a rank
// below forwards the message to its children in turn, the i-th landing alpha + (i+1)·s·beta
// after it has it.
inline double last_group_down(const Forest& f, const Children& ch, int v, double t,
                              const Messages& x, bool sender) {
  const auto& kids = ch[static_cast<std::size_t>(v)];
  double latest = t, turn = sender ? -static_cast<double>(kids.size()) : 0;
  for (const int c : kids) {
    ++turn;
    latest = std::max(
        latest, last_group_down(f, ch, c, t + f.edge(c).alpha_ns + turn * x.s * f.edge(c).beta_ns,
                                x, false));
  }
  return latest;
}

}  // namespace detail

/// Reduce up every tree of the forest: the first groups' way up (detail::first_group_up), then
/// the rest of the bytes at the busiest port's pace: a rank's port takes n - g·s more bytes from
/// each child (sum of their betas), unless one child's own stream is slower.
inline double tree_reduce_ns(const Forest& f, const Messages& x) {
  const auto ch = f.children();
  double pace = 0, first = 0;
  for (std::size_t v = 0; v < f.parent.size(); ++v) {
    double port = 0, slowest = 0;
    for (const int c : ch[v]) {
      port += f.edge(c).beta_ns;
      slowest = std::max(slowest, stream_beta(f.edge(c), x));
    }
    pace = std::max(pace, std::max(port, slowest));
    if (f.parent[v] < 0 && !ch[v].empty())
      first = std::max(first, detail::first_group_up(f, ch, static_cast<int>(v), x));
  }
  return first + (x.n - x.group() * x.s) * pace;
}

/// Broadcast down every tree. A rank with k children sends k·n bytes through its port (each
/// child's stream at stream_beta) from when its first message has arrived, and its last message
/// then crosses every level below; the slowest rank counts. A rank's first message goes to its
/// children in turn, one after another on its port (its DMA engine serves its channels oldest
/// first), the i-th child (from 0) getting it alpha + (i+1)·s·beta after the rank had it.
inline double tree_broadcast_ns(const Forest& f, const Messages& x) {
  const auto ch = f.children();
  double worst = 0;
  std::vector<std::pair<int, double>> todo;  // (rank, first arrival)
  for (std::size_t r = 0; r < f.parent.size(); ++r)
    if (f.parent[r] < 0 && !ch[r].empty()) todo.emplace_back(static_cast<int>(r), 0.0);
  while (!todo.empty()) {
    const auto [v, first] = todo.back();
    todo.pop_back();
    const auto& kids = ch[static_cast<std::size_t>(v)];
    if (kids.empty()) continue;
    double port = 0;
    for (const int c : kids) port += stream_beta(f.edge(c), x);
    worst = std::max(worst, detail::last_group_down(f, ch, v, first + x.n * port, x, true));
    double turn = 0;
    for (const int c : kids)
      todo.emplace_back(c, first + f.edge(c).alpha_ns + ++turn * x.s * f.edge(c).beta_ns);
  }
  return worst;
}

/// The chunk-pipelined ring all-reduce (as a schedule's ring phases run) on P members joined by
/// equal routes `e`, n bytes each: each half is P-1 steps of a segment of m messages of s bytes
/// (n/P in all); the next step starts when this step's first group (g = min(w, m) messages) has
/// landed, alpha + g·s·beta (+ delta in the reduce-scatter half: its first message reduced), or
/// when the port has sent this step's m·s bytes if that is later. With m <= w this is the
/// literature's 2(P-1)alpha + (P-1)delta + 2(P-1)/P·n·beta, plus (P-1)/P·n·gamma.
inline double pipelined_ring_all_reduce_ns(const Parameters& e, int members, std::uint64_t n,
                                           std::uint64_t chunk, int channels) {
  const Messages x = Messages::of(n / static_cast<std::uint64_t>(members), chunk, channels);
  const double beta = stream_beta(e, x);
  const auto half = [&](double delta) {
    const double step = std::max(x.n * beta, e.alpha_ns + delta + x.group() * x.s * beta);
    return static_cast<double>(members - 2) * step + e.alpha_ns + delta + x.n * beta;
  };
  return half(e.delta_ns) + half(0) + static_cast<double>(members - 1) * x.n * e.gamma_ns;
}

/// The model of a tree or hierarchical all-reduce of `bytes` per rank on `plan`, from the trees
/// and the ring its schedule uses: the forest its first phase reduces along (each edge's
/// parameters for messages of min(chunk, n)), the ring of its reduce-scatter phase if any, and
/// the same forest broadcast down: T_up + T_ring + T_down.
inline double schedule_all_reduce_ns(hw::System& system, const InstallPlan& plan,
                                     std::uint64_t bytes, base::DType dtype) {
  const auto esize = base::size_bytes(dtype);
  const Schedule schedule = make_schedule(plan, CollectiveOp::all_reduce, bytes / esize, 0);
  const std::uint64_t chunk = plan.chunk_size.count();
  const int channels = system.spec().cube.pe.dma.channels;
  const auto pe = [&](int r) { return plan.ranks[static_cast<std::size_t>(r)]; };
  Forest f{std::vector<int>(plan.ranks.size(), -1), std::vector<Parameters>(plan.ranks.size())};
  std::vector<int> next(plan.ranks.size(), -1);  // the ring: its first step's sends
  int ring_step = -1, members = 0, first = -1;
  for (const ScheduleOp& op : schedule.ops) {
    if (op.phase == 0 && op.reduce) {
      f.parent[static_cast<std::size_t>(op.from)] = op.to;
      f.up[static_cast<std::size_t>(op.from)] =
          route_parameters(system, pe(op.from), pe(op.to), std::min(chunk, bytes), dtype);
    } else if (op.phase == 1 && op.reduce && (ring_step < 0 || op.step == ring_step)) {
      ring_step = op.step;
      next[static_cast<std::size_t>(op.from)] = op.to;
      ++members;
      if (first < 0) first = op.from;
    }
  }
  const Messages x = Messages::of(bytes, chunk, channels);
  double ring = 0;
  if (members > 1) {
    const std::uint64_t segment = std::min(chunk, bytes / static_cast<std::uint64_t>(members));
    const Parameters e = route_parameters(
        system, pe(first), pe(next[static_cast<std::size_t>(first)]), segment, dtype);
    ring = pipelined_ring_all_reduce_ns(e, members, bytes, chunk, channels);
  }
  return tree_reduce_ns(f, x) + ring + tree_broadcast_ns(f, x);
}

}  // namespace kernbench::ccl::models
