#include "kernbench/ccl/schedule_collective.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <tuple>

#include <fmt/format.h>

#include "kernbench/base/assert.h"
#include "kernbench/base/error.h"
#include "kernbench/ccl/detail/schedule_graph.h"
#include "kernbench/hw/unit_costs.h"
#include "kernbench/sim/event.h"
#include "kernbench/sim/process.h"

namespace kernbench::ccl {

namespace {
constexpr std::uint32_t kLocal = std::numeric_limits<std::uint32_t>::max();
}  // namespace

// The messages from rank `from` to rank `to` on one channel: hw::Ipcq's queue from the sender's
// PE on that channel at the receiver's (credits, receive slots in the receiver's buffer), what the
// receiver reads its received chunks from, and the chunks ready to go that the executor keeps
// while hw::Ipcq holds as many as it has credits (`asking`: handed over, no credit yet). Handed
// over in order, one as each credit is granted, they take their credits when they would have
// had every send been handed over at once.
struct ScheduleCollective::Queue {
  ScheduleCollective* self = nullptr;
  int from = 0, to = 0, channel = 0;
  std::uint64_t messages = 0, taken = 0;
  mem::MemoryId slot_memory;
  hw::Route read_slots;     // from the slots' memory to the receiver's PE
  hw::Ipcq::QueueRef ipcq;  // hw::Ipcq's queue, once the tables are installed
  std::uint32_t depth = 0, asking = 0;
  std::deque<Span> later;
};

// A rank's reductions: those reading, reducing or writing back, and those that wait for one of
// them because they reduce into some of the same elements (read after write), in arrival order.
struct ScheduleCollective::Reducer {
  hw::Route read_data, write_data;  // between the rank's data and its PE
  std::vector<Message*> busy, waiting;
};

// One chunk on its way, made when it leaves and reused once processed: chunk `chunk` of graph op
// `node`, or of member `member`'s op at step `step` of chain `chain` (`own`, read from the record).
struct ScheduleCollective::Message {
  ScheduleCollective* self = nullptr;
  const ScheduleOp* op = nullptr;
  ScheduleOp own;
  std::uint32_t queue = 0;
  std::uint32_t node = 0;
  std::uint64_t chunk = 0;
  std::uint64_t offset = 0;  // elements from the op's first
  std::uint64_t elements = 0;
  mem::PhysAddr landed{};         // where its data landed
  std::int32_t buffer_slot = -1;  // the receive slot it holds until processed
  std::uint32_t operands = 0;     // reads of a reduction's operands still under way
  bool ring = false;
  std::uint32_t chain = 0;
  int member = 0, step = 0;
  std::uint64_t index = 0;  // its place in messages_
};

// Ring phases that run from their records: a ring reduce-scatter, a ring all-gather, or the one
// then the other around the same ring over the same parts. Member i's chunk c of step t leaves
// once its chunk c of step t-1 has landed (the part it sends is the one it received): that is the
// schedule's rule, as no other op reaches the chain's ranks (build_chains checks it).
struct ScheduleCollective::Chain {
  std::vector<const RingPhase*> phases;
  std::vector<std::uint32_t> queues;  // member i's queue to member i+1
  int members() const { return phases.front()->members(); }
  int steps() const { return static_cast<int>(phases.size()) * (members() - 1); }
  ScheduleOp op(int member, int step) const {
    const int per = members() - 1;
    return phases[static_cast<std::size_t>(step / per)]->op(member, step % per);
  }
};

// Per rank: the phases it still receives in (phase, messages left, ascending); its gated ops that
// wait for those of earlier phases, by (phase, op); the earliest phase it still receives in (its
// gated ops up to that phase may go); and the chunks of held ops whose inputs are in.
struct ScheduleCollective::Gate {
  std::vector<std::pair<int, std::uint64_t>> receiving;
  std::size_t first = 0;
  int open = std::numeric_limits<int>::max();
  std::vector<std::uint32_t> held;
  std::size_t next = 0;
  std::vector<Span> in;
};

base::Bytes ScheduleCollective::scratch_bytes(const InstallPlan& plan,
                                              const topo::TopologySpec& spec) {
  std::size_t widest = 1;
  for (const auto& t : plan.tables) widest = std::max(widest, t.size());
  // depth < 2^31 and widest < 2^32: their product fits 64 bits.
  return receive_buffer_bytes(plan.chunk_size, static_cast<std::uint64_t>(spec.cube.pe.ipcq.depth) *
                                                   static_cast<std::uint64_t>(widest));
}

ScheduleCollective::ScheduleCollective(hw::System& system, const InstallPlan& plan,
                                       Schedule schedule, std::vector<mem::PhysAddr> data,
                                       std::vector<mem::PhysAddr> scratch, ScheduleArgs args,
                                       std::vector<mem::PhysAddr> input)
    : system_(system),
      plan_(plan),
      schedule_(std::move(schedule)),
      data_(std::move(data)),
      scratch_(std::move(scratch)),
      input_(input.empty() ? data_ : std::move(input)),
      pes_(plan.ranks),
      args_(args) {
  if (data_.size() != pes_.size() || scratch_.size() != pes_.size() || input_.size() != pes_.size())
    throw base::ShapeError(
        fmt::format("collective on '{}': {} ranks but {} data, {} input and {} scratch buffers",
                    plan.entry, pes_.size(), data_.size(), input_.size(), scratch_.size()));
  esize_ = base::size_bytes(args.dtype);
  for (std::size_t r = 0; r < pes_.size(); ++r) {
    pe_of_.push_back(&system.pe(pes_[r]));
    auto& fabric = system.fabric();
    const auto pe = hw::Location::pe(pes_[r]), data = hw::Location::memory(data_[r].memory());
    reducers_.push_back({fabric.route(data, pe), fabric.route(pe, data), {}, {}});
  }
  chunk_elements_ = std::max<std::uint64_t>(1, plan.chunk_size.count() / esize_);
  if (!build_chains())
    graph_ = std::make_unique<detail::ScheduleGraph>(
        std::vector<ScheduleOp>(schedule_.ops.begin(), schedule_.ops.end()),
        static_cast<int>(pes_.size()), chunk_elements_, schedule_.in_place);
  build_queues();
  if (!graph_) return;
  build_gates();
  counts_.resize(graph_->size());
}

ScheduleCollective::~ScheduleCollective() = default;

std::uint64_t ScheduleCollective::messages() const { return total_; }

std::size_t ScheduleCollective::most_in_flight() const { return messages_.size(); }

std::uint64_t ScheduleCollective::chunks(std::uint64_t elements) const {
  return (elements + chunk_elements_ - 1) / chunk_elements_;
}

// The chains a schedule of rings only runs as: each ring's ranks are reached by no other ring
// but, after a reduce-scatter, the all-gather around the same ring over the same parts; no ring
// is gated, and a ring's parts do not overlap. Anything else runs from its messages.
bool ScheduleCollective::build_chains() {
  const std::vector<const RingPhase*> rings = schedule_.ops.only_rings();
  if (!schedule_.in_place || rings.empty()) return false;
  std::vector<int> chain_of(pes_.size(), -1);
  for (const RingPhase* ring : rings) {
    std::vector<Range> parts;
    for (const Range& r : ring->parts)
      if (r.count > 0) parts.push_back(r);
    std::sort(parts.begin(), parts.end(),
              [](const Range& a, const Range& b) { return a.begin < b.begin; });
    for (std::size_t i = 1; i < parts.size(); ++i)
      if (parts[i - 1].begin + parts[i - 1].count > parts[i].begin || ring->gated) {
        chains_.clear();
        return false;
      }
    const int first = chain_of[static_cast<std::size_t>(ring->group.front())];
    const auto same_parts = [](const RingPhase& a, const RingPhase& b) {
      return std::equal(
          a.parts.begin(), a.parts.end(), b.parts.begin(), b.parts.end(),
          [](const Range& x, const Range& y) { return x.begin == y.begin && x.count == y.count; });
    };
    if (first >= 0) {
      Chain& c = chains_[static_cast<std::size_t>(first)];
      const RingPhase& before = *c.phases.front();
      if (c.phases.size() != 1 || !before.reduce || ring->reduce || before.group != ring->group ||
          !same_parts(before, *ring)) {
        chains_.clear();
        return false;
      }
      c.phases.push_back(ring);
      continue;
    }
    for (const int r : ring->group)
      if (chain_of[static_cast<std::size_t>(r)] >= 0) {
        chains_.clear();
        return false;
      } else {
        chain_of[static_cast<std::size_t>(r)] = static_cast<int>(chains_.size());
      }
    chains_.push_back({{ring}, {}});
  }
  return true;
}

// Queues with the messages each carries: for a graph in the order its ops first use them, for
// chains member by member.
void ScheduleCollective::build_queues() {
  std::map<std::tuple<int, int, int>, std::uint32_t> index;  // (to, from, channel) -> queue
  auto& fabric = system_.fabric();
  const auto queue_of = [&](const ScheduleOp& op) {
    const auto [it, added] =
        index.try_emplace({op.to, op.from, op.channel}, static_cast<std::uint32_t>(queues_.size()));
    if (added) {
      auto q = std::make_unique<Queue>();
      q->self = this;
      q->from = op.from;
      q->to = op.to;
      q->channel = op.channel;
      q->slot_memory = scratch_[static_cast<std::size_t>(op.to)].memory();
      q->read_slots = fabric.route(hw::Location::memory(q->slot_memory),
                                   hw::Location::pe(pes_[static_cast<std::size_t>(op.to)]));
      q->depth =
          static_cast<std::uint32_t>(pe_of_[static_cast<std::size_t>(op.to)]->ipcq().depth());
      queues_.push_back(std::move(q));
    }
    return it->second;
  };
  const auto count = [&](const ScheduleOp& op) {
    total_ += chunks(op.count);
    if (op.from == op.to) return kLocal;
    const std::uint32_t q = queue_of(op);
    queues_[q]->messages += chunks(op.count);
    return q;
  };
  if (graph_) {
    for (std::uint32_t i = 0; i < graph_->size(); ++i) op_queue_.push_back(count(graph_->op(i)));
    return;
  }
  // A chain's member i sends every part but one in each phase (part i in a reduce-scatter, part
  // i+1 in an all-gather), all to member i+1: counted per part, not per op.
  for (Chain& c : chains_) {
    const int members = c.members();
    for (int i = 0; i < members; ++i) c.queues.push_back(queue_of(c.op(i, 0)));
    for (const RingPhase* phase : c.phases) {
      std::uint64_t all = 0;
      for (const Range& part : phase->parts) all += chunks(part.count);
      for (int i = 0; i < members; ++i) {
        const int kept = phase->reduce ? i : (i + 1) % members;
        const std::uint64_t sent = all - chunks(phase->parts[static_cast<std::size_t>(kept)].count);
        queues_[c.queues[static_cast<std::size_t>(i)]]->messages += sent;
        total_ += sent;
      }
    }
  }
}

// A gated op whose sender receives in an earlier phase waits for those messages.
void ScheduleCollective::build_gates() {
  gates_.resize(pes_.size());
  for (std::size_t r = 0; r < pes_.size(); ++r) {
    Gate& g = gates_[r];
    g.receiving = graph_->receiving(static_cast<int>(r));
    if (!g.receiving.empty()) g.open = g.receiving.front().first;
  }
  for (std::uint32_t i = 0; i < graph_->size(); ++i)
    if (graph_->held(i)) gates_[static_cast<std::size_t>(graph_->op(i).from)].held.push_back(i);
  for (Gate& g : gates_)
    std::stable_sort(g.held.begin(), g.held.end(), [this](std::uint32_t a, std::uint32_t b) {
      return graph_->op(a).phase < graph_->op(b).phase;
    });
}

// Chunks that may leave together leave chunk by chunk across streams (chunk 0 of every op in op
// order, then chunk 1, ...): a parent feeds its children in turn, not one child's whole stream
// first.
void ScheduleCollective::release_in_order(std::vector<Span> spans) {
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.first != b.first ? a.first < b.first : a.op < b.op;
  });
  std::vector<Span> active;  // by op
  std::size_t next = 0;
  std::uint64_t c = 0;
  while (next < spans.size() || !active.empty()) {
    if (active.empty()) c = spans[next].first;
    for (; next < spans.size() && spans[next].first == c; ++next) {
      if (spans[next].last <= c) continue;
      const auto at = std::lower_bound(active.begin(), active.end(), spans[next].op,
                                       [](const Span& s, std::uint32_t op) { return s.op < op; });
      active.insert(at, spans[next]);
    }
    for (const Span& s : active) ready(s.op, c);
    std::erase_if(active, [c](const Span& s) { return s.last == c + 1; });
    ++c;
  }
}

// One more of the chunks chunk `chunk` of op `op` waits for has been processed.
void ScheduleCollective::satisfied(std::uint32_t op, std::uint64_t chunk) {
  const std::uint32_t need = graph_->waits_for(op, chunk);
  if (need > 1 && counts_[op].bump(chunk) < need) return;
  inputs_in(op, chunk);
}

// Every chunk it waits for is processed: it goes, unless its gate is still closed.
void ScheduleCollective::inputs_in(std::uint32_t op, std::uint64_t chunk) {
  const ScheduleOp& o = graph_->op(op);
  Gate& g = gates_[static_cast<std::size_t>(o.from)];
  if (!graph_->held(op) || o.phase <= g.open) return ready(op, chunk);
  if (!g.in.empty() && g.in.back().op == op && g.in.back().last == chunk)
    ++g.in.back().last;
  else
    g.in.push_back({op, chunk, chunk + 1});
}

// A chunk ready to go: to hw::Ipcq if its queue has a credit's worth of room, else kept in order.
void ScheduleCollective::ready(std::uint32_t op, std::uint64_t chunk) {
  if (const std::uint32_t q = op_queue_[op]; q != kLocal) {
    Queue& queue = *queues_[q];
    if (!queue.later.empty() || queue.asking >= queue.depth) {
      if (!queue.later.empty() && queue.later.back().op == op && queue.later.back().last == chunk)
        ++queue.later.back().last;
      else
        queue.later.push_back({op, chunk, chunk + 1});
      return;
    }
    ++queue.asking;
  }
  send_chunk(op, chunk);
}

ScheduleCollective::Message& ScheduleCollective::new_message() {
  if (spare_.empty()) {
    Message& m = messages_.emplace_back();
    m.index = messages_.size() - 1;
    return m;
  }
  Message& m = *spare_.back();
  spare_.pop_back();
  return m;
}

void ScheduleCollective::send_chunk(std::uint32_t op, std::uint64_t chunk) {
  Message& m = new_message();
  m.self = this;
  m.op = &graph_->op(op);
  m.queue = op_queue_[op];
  m.node = op;
  m.chunk = chunk;
  m.offset = chunk * chunk_elements_;
  m.elements = std::min(chunk_elements_, m.op->count - m.offset);
  m.ring = false;
  send(m);
}

// A send holds its credit: the queue hands hw::Ipcq its next chunk, if it keeps one.
void ScheduleCollective::on_granted(void* p) {
  auto& m = *static_cast<Message*>(p);
  ScheduleCollective& self = *m.self;
  Queue& q = *self.queues_[m.queue];
  --q.asking;
  if (q.later.empty()) return;
  Span& s = q.later.front();
  const std::uint32_t op = s.op;
  const std::uint64_t chunk = s.first++;
  if (s.first == s.last) q.later.pop_front();
  ++q.asking;
  self.send_chunk(op, chunk);
}

// A message of `phase` has landed at `rank`: when that was the last of the earliest phase it still
// received in, its gated ops of the phases now open may go, phase by phase.
void ScheduleCollective::open_gate(int rank, int phase) {
  Gate& g = gates_[static_cast<std::size_t>(rank)];
  const auto it = std::lower_bound(g.receiving.begin(), g.receiving.end(),
                                   std::pair<int, std::uint64_t>{phase, 0});
  KB_ASSERT(it != g.receiving.end() && it->first == phase && it->second > 0,
            "a landed message was counted");
  if (--it->second != 0) return;
  while (g.first < g.receiving.size() && g.receiving[g.first].second == 0) ++g.first;
  g.open =
      g.first < g.receiving.size() ? g.receiving[g.first].first : std::numeric_limits<int>::max();
  while (g.next < g.held.size() && graph_->op(g.held[g.next]).phase <= g.open) {
    const int now = graph_->op(g.held[g.next]).phase;
    std::vector<Span> spans;
    for (; g.next < g.held.size() && graph_->op(g.held[g.next]).phase == now; ++g.next)
      for (const detail::ChunkSpan& s : graph_->free_chunks(g.held[g.next]))
        spans.push_back({g.held[g.next], s.first, s.last});
    const auto in = std::stable_partition(
        g.in.begin(), g.in.end(), [&](const Span& s) { return graph_->op(s.op).phase != now; });
    spans.insert(spans.end(), in, g.in.end());
    g.in.erase(in, g.in.end());
    release_in_order(std::move(spans));
  }
}

void ScheduleCollective::start(sim::EventFn done, void* ctx) {
  started_ = system_.engine().now();
  done_ = done;
  done_ctx_ = ctx;
  left_ = total_;
  if (left_ == 0) {
    finished_ = started_;
    system_.engine().schedule_in(base::SimTime::zero(), done, ctx);
    return;
  }
  install_tables(system_, plan_, scratch_, scratch_bytes(plan_, system_.spec()));
  for (const auto& q : queues_) {
    const topo::PeCoord to = pes_[static_cast<std::size_t>(q->to)];
    hw::Ipcq& sender = pe_of_[static_cast<std::size_t>(q->from)]->ipcq();
    q->ipcq = sender.queue_to(to, q->channel);
    sender.expect_sends(to, q->channel, q->messages);
    if (q->messages > 0)
      pe_of_[static_cast<std::size_t>(q->to)]->ipcq().start_receive_on(q->ipcq, std::nullopt,
                                                                       &on_message, q.get());
  }
  if (!chains_.empty()) return start_rings();
  std::vector<Span> spans;  // the chunks that wait for nothing
  for (std::uint32_t i = 0; i < graph_->size(); ++i)
    if (!graph_->held(i))
      for (const detail::ChunkSpan& s : graph_->free_chunks(i))
        spans.push_back({i, s.first, s.last});
  release_in_order(std::move(spans));
}

// The first step of each chain leaves chunk by chunk across its members (chunk 0 of every
// member's op, then chunk 1, ...), as chunks released together do.
void ScheduleCollective::start_rings() {
  struct First {
    std::uint32_t chain;
    int member;
    std::uint64_t chunks;
  };
  std::vector<First> first;
  std::uint64_t most = 0;
  for (std::uint32_t c = 0; c < chains_.size(); ++c)
    for (int i = 0; i < chains_[c].members(); ++i) {
      const std::uint64_t n = chunks(chains_[c].op(i, 0).count);
      if (n > 0) first.push_back({c, i, n});
      most = std::max(most, n);
    }
  for (std::uint64_t k = 0; k < most; ++k)
    for (const First& f : first)
      if (k < f.chunks) send_ring(f.chain, f.member, 0, k);
}

void ScheduleCollective::run(sim::Process& p) {
  sim::Event finished("collective");
  start([](void* e) { static_cast<sim::Event*>(e)->trigger(); }, &finished);
  p.wait(finished);
}

// A message to reduce lands in a receive slot of the receiver, a copy straight into its data; the
// descriptor names the message. A local copy is a DMA of the rank's own.
void ScheduleCollective::send(Message& m) {
  const ScheduleOp& op = *m.op;
  const auto from = static_cast<std::size_t>(op.from), to = static_cast<std::size_t>(op.to);
  if (m.queue == kLocal) return pe_of_[from]->dma().acquire(&on_local_dma, &m);
  const mem::PhysAddr dst = data_[to] + base::Bytes((op.dst + m.offset) * esize_);
  pe_of_[from]->ipcq().start_send_on(
      queues_[m.queue]->ipcq,
      {0,
       op.channel,
       input_[from] + base::Bytes((op.src + m.offset) * esize_),
       base::Bytes(m.elements * esize_),
       op.reduce ? hw::IpcqLanding::in_slot() : hw::IpcqLanding::at(dst),
       {0, m.index, 0, 0},
       {},
       !args_.timing_only},
      nullptr, &m, m.ring ? nullptr : &on_granted);
}

// Member `member` of chain `chain` sends chunk `chunk` of its op at the chain's step `step`.
void ScheduleCollective::send_ring(std::uint32_t chain, int member, int step, std::uint64_t chunk) {
  Message* m = &new_message();
  const Chain& c = chains_[chain];
  m->own = c.op(member, step);
  m->self = this;
  m->op = &m->own;
  m->queue = c.queues[static_cast<std::size_t>(member)];
  m->offset = chunk * chunk_elements_;
  m->elements = std::min(chunk_elements_, m->own.count - m->offset);
  m->ring = true;
  m->chain = chain;
  m->member = member;
  m->step = step;
  m->chunk = chunk;
  send(*m);
}

void ScheduleCollective::on_local_dma(void* p) {
  auto& m = *static_cast<Message*>(p);
  ScheduleCollective& self = *m.self;
  const auto at = static_cast<std::size_t>(m.op->from);
  const hw::Route route =
      self.system_.fabric().route(hw::Location::memory(self.input_[at].memory()),
                                  hw::Location::memory(self.data_[at].memory()));
  self.system_.transfers().start(route, base::Bytes(m.elements * self.esize_), &on_local_data, &m);
}

void ScheduleCollective::on_local_data(void* p) {
  auto& m = *static_cast<Message*>(p);
  ScheduleCollective& self = *m.self;
  const ScheduleOp& op = *m.op;
  const auto at = static_cast<std::size_t>(op.from);
  self.pe_of_[at]->dma().release();
  if (!self.args_.timing_only)
    self.system_.copy_bytes(self.input_[at] + base::Bytes((op.src + m.offset) * self.esize_),
                            self.data_[at] + base::Bytes((op.dst + m.offset) * self.esize_),
                            base::Bytes(m.elements * self.esize_));
  self.processed(m);
}

// A reduction reads both operands into the receiver's PE (the accumulator from its data, the
// received chunk from its receive buffer, at once), reduces them on its vector unit and writes
// the result back to its data; each read and write costs its bytes on the memory's port and on
// every link between it and the PE. The vector unit streams: it reduces one chunk while the
// operands of others are read and results written back, except that a reduction into elements
// another one is still reducing waits for that one's write-back (read after write).
void ScheduleCollective::on_message(void* p, const hw::IpcqMessage& message) {
  auto& q = *static_cast<Queue*>(p);
  ScheduleCollective& self = *q.self;
  if (++q.taken < q.messages)  // wait for the next one at once
    self.pe_of_[static_cast<std::size_t>(q.to)]->ipcq().start_receive_on(q.ipcq, std::nullopt,
                                                                         &on_message, &q);
  Message& m = self.messages_[message.descriptor[1]];
  m.landed = message.data;
  m.buffer_slot = message.buffer_slot;
  const ScheduleOp& op = *m.op;
  if (!op.reduce) return self.processed(m);  // a copy: the data is in place
  Reducer& r = self.reducers_[static_cast<std::size_t>(op.to)];
  const auto clashes = [&](const Message* other) { return self.overlap(m, *other); };
  if (std::any_of(r.busy.begin(), r.busy.end(), clashes) ||
      std::any_of(r.waiting.begin(), r.waiting.end(), clashes))
    return r.waiting.push_back(&m);
  self.read_operands(m);
}

bool ScheduleCollective::overlap(const Message& a, const Message& b) const {
  const std::uint64_t a0 = a.op->dst + a.offset, b0 = b.op->dst + b.offset;
  return a0 < b0 + b.elements && b0 < a0 + a.elements;
}

void ScheduleCollective::read_operands(Message& m) {
  const ScheduleOp& op = *m.op;
  reducers_[static_cast<std::size_t>(op.to)].busy.push_back(&m);
  const base::Bytes bytes(m.elements * esize_);
  m.operands = 2;
  Queue& q = *queues_[m.queue];
  if (m.landed.memory() != q.slot_memory) {
    q.slot_memory = m.landed.memory();
    q.read_slots = system_.fabric().route(hw::Location::memory(q.slot_memory),
                                          hw::Location::pe(pes_[static_cast<std::size_t>(op.to)]));
  }
  system_.transfers().start(reducers_[static_cast<std::size_t>(op.to)].read_data, bytes,
                            &on_operand, &m);
  system_.transfers().start(q.read_slots, bytes, &on_operand, &m);
}

void ScheduleCollective::on_operand(void* p) {
  auto& m = *static_cast<Message*>(p);
  if (--m.operands > 0) return;
  ScheduleCollective& self = *m.self;
  const ScheduleOp& op = *m.op;
  const auto& core = self.system_.spec().cube.pe.core;
  const base::SimTime work = base::cycles_to_time(
      hw::vector_cycles(core, self.args_.dtype, static_cast<std::int64_t>(m.elements)), core.clock);
  hw::Pe& pe = *self.pe_of_[static_cast<std::size_t>(op.to)];
  // Timing-only and untraced, the reduction computes and records nothing: where the vector unit
  // can tell now when it ends and the fabric model can start a transfer ahead, the write-back is
  // set to start then, with no event at the reduction's end.
  hw::TransferEngine& transfers = self.system_.transfers();
  if (self.args_.timing_only && self.system_.engine().trace_sink() == nullptr &&
      transfers.starts_ahead())
    if (const std::optional<base::SimTime> end = pe.vector_unit().reserve(work)) {
      const bool started =
          transfers.start_at(*end, self.reducers_[static_cast<std::size_t>(op.to)].write_data,
                             base::Bytes(m.elements * self.esize_), &on_written, &m);
      KB_ASSERT(started, "a model that starts ahead started a transfer ahead");
      return;
    }
  pe.ipcq().reduce_received(work, m.elements, &on_reduced, &m);
}

void ScheduleCollective::on_reduced(void* p) {
  auto& m = *static_cast<Message*>(p);
  ScheduleCollective& self = *m.self;
  if (!self.args_.timing_only) {
    const ScheduleOp& op = *m.op;
    std::vector<std::byte> acc(m.elements * self.esize_), in(m.elements * self.esize_);
    const mem::PhysAddr mine = self.data_[static_cast<std::size_t>(op.to)] +
                               base::Bytes((op.dst + m.offset) * self.esize_);
    self.system_.bytes().read(mine, acc);
    self.system_.bytes().read(m.landed, in);
    base::combine_into(self.args_.dtype, self.args_.op, acc, in);
    self.system_.bytes().write(mine, acc);
  }
  const ScheduleOp& op = *m.op;
  self.system_.transfers().start(self.reducers_[static_cast<std::size_t>(op.to)].write_data,
                                 base::Bytes(m.elements * self.esize_), &on_written, &m);
}

// The result is back in the rank's data: reductions that waited for it may read their operands
// (each still after any earlier waiting one over the same elements).
void ScheduleCollective::on_written(void* p) {
  auto& m = *static_cast<Message*>(p);
  ScheduleCollective& self = *m.self;
  Reducer& r = self.reducers_[static_cast<std::size_t>(m.op->to)];
  r.busy.erase(std::find(r.busy.begin(), r.busy.end(), &m));
  std::vector<Message*> still;
  for (Message* w : r.waiting) {
    const auto clashes = [&](const Message* other) { return self.overlap(*w, *other); };
    if (std::any_of(r.busy.begin(), r.busy.end(), clashes) ||
        std::any_of(still.begin(), still.end(), clashes))
      still.push_back(w);
    else
      self.read_operands(*w);
  }
  r.waiting = std::move(still);
  self.processed(m);
}

// The receiver is done with a chunk: hw::Ipcq frees its slot and returns its credit, and the
// chunks that waited for it may leave.
void ScheduleCollective::processed(Message& m) {
  const ScheduleOp& op = *m.op;
  if (m.queue != kLocal) {
    const topo::PeCoord from = pes_[static_cast<std::size_t>(op.from)];
    pe_of_[static_cast<std::size_t>(op.to)]->ipcq().release_on(
        queues_[m.queue]->ipcq,
        {from, -1, op.channel, {}, m.landed, base::Bytes(m.elements * esize_), m.buffer_slot});
  }
  if (m.ring) {
    forward(m);
  } else {
    const std::uint32_t node = m.node;
    const std::uint64_t chunk = m.chunk;
    for (const std::uint32_t waiting : graph_->dependents(node)) {
      const detail::ChunkSpan s = graph_->waiting_on(waiting, node, chunk);
      for (std::uint64_t c = s.first; c < s.last; ++c) satisfied(waiting, c);
    }
    if (m.queue != kLocal) open_gate(op.to, op.phase);
    spare_.push_back(&m);
  }
  if (--left_ == 0) {
    release_receive_buffers(system_, plan_);
    finished_ = system_.engine().now();
    done_(done_ctx_);
  }
}

// The receiver sends the chunk on at the chain's next step (it holds what it forwards). A ring
// member sends on the part it received, so within a phase the next op is this one a member on
// (only its ends and step change) and the message goes on as it is; a phase's first step reads
// its op from the phase's record.
void ScheduleCollective::forward(Message& m) {
  const Chain& c = chains_[m.chain];
  const int members = c.members(), member = (m.member + 1) % members, step = m.step + 1;
  if (step >= c.steps()) return spare_.push_back(&m);
  if (step % (members - 1) == 0) {
    const std::uint32_t chain = m.chain;
    const std::uint64_t chunk = m.chunk;
    spare_.push_back(&m);
    return send_ring(chain, member, step, chunk);
  }
  m.own.from = m.own.to;
  m.own.to = c.phases.front()->group[static_cast<std::size_t>((member + 1) % members)];
  ++m.own.step;
  m.queue = c.queues[static_cast<std::size_t>(member)];
  m.member = member;
  m.step = step;
  send(m);
}

}  // namespace kernbench::ccl
