#include "kernbench/ccl/schedule_collective.h"

#include <algorithm>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "kernbench/base/assert.h"
#include "kernbench/base/error.h"
#include "kernbench/ccl/ring_collective.h"
#include "kernbench/hw/unit_costs.h"
#include "kernbench/sim/event.h"
#include "kernbench/sim/process.h"

namespace kernbench::ccl {

namespace {
constexpr std::uint32_t kLocal = std::numeric_limits<std::uint32_t>::max();
}  // namespace

// The messages from rank `from` to rank `to`: hw::Ipcq's queue from the sender's PE on channel 0
// at the receiver's (credits, receive slots in the receiver's buffer), and what the receiver
// reads its received chunks from.
struct ScheduleCollective::Queue {
  ScheduleCollective* self = nullptr;
  int from = 0, to = 0;
  std::uint64_t messages = 0, taken = 0;
  mem::MemoryId slot_memory;
  hw::Route read_slots;  // from the slots' memory to the receiver's PE
};

// A rank's reductions: those reading, reducing or writing back, and those that wait for one of
// them because they reduce into some of the same elements (read after write), in arrival order.
struct ScheduleCollective::Reducer {
  hw::Route read_data, write_data;  // between the rank's data and its PE
  std::vector<Message*> busy, waiting;
};

// One chunk of one op on its way.
struct ScheduleCollective::Message {
  ScheduleCollective* self = nullptr;
  std::uint32_t op = 0;
  std::uint32_t queue = 0;
  std::uint64_t offset = 0;  // elements from the op's first
  std::uint64_t elements = 0;
  mem::PhysAddr landed;           // where its data landed
  std::int32_t buffer_slot = -1;  // the receive slot it holds until processed
  std::uint32_t pending = 0;      // chunks it waits for
  std::uint32_t operands = 0;     // reads of a reduction's operands still under way
  std::uint32_t dependents_begin = 0, dependents_end = 0;
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
    auto& fabric = system.fabric();
    const auto pe = hw::Location::pe(pes_[r]), data = hw::Location::memory(data_[r].memory());
    reducers_.push_back({fabric.route(data, pe), fabric.route(pe, data), {}, {}});
  }
  chunk_elements_ = std::max<std::uint64_t>(1, plan.chunk_size.count() / esize_);
  build_queues(plan);
  build_messages();
  if (schedule_.in_place) build_dependencies();
  build_gates();
}

ScheduleCollective::~ScheduleCollective() = default;

std::uint64_t ScheduleCollective::messages() const { return messages_.size(); }

void ScheduleCollective::build_queues(const InstallPlan&) {
  std::map<std::pair<int, int>, std::uint32_t> index;  // (to, from) -> queue
  auto& fabric = system_.fabric();
  for (const ScheduleOp& op : schedule_.ops) {
    if (op.from == op.to) {
      op_queue_.push_back(kLocal);
      continue;
    }
    const auto [it, added] =
        index.try_emplace({op.to, op.from}, static_cast<std::uint32_t>(queues_.size()));
    op_queue_.push_back(it->second);
    if (!added) continue;
    auto q = std::make_unique<Queue>();
    q->self = this;
    q->from = op.from;
    q->to = op.to;
    q->slot_memory = scratch_[static_cast<std::size_t>(op.to)].memory();
    q->read_slots = fabric.route(hw::Location::memory(q->slot_memory),
                                 hw::Location::pe(pes_[static_cast<std::size_t>(op.to)]));
    queues_.push_back(std::move(q));
  }
}

void ScheduleCollective::build_messages() {
  for (std::uint32_t i = 0; i < schedule_.ops.size(); ++i) {
    const ScheduleOp& op = schedule_.ops[i];
    for (std::uint64_t at = 0; at < op.count; at += chunk_elements_) {
      messages_.push_back({this,
                           i,
                           op_queue_[i],
                           at,
                           std::min(chunk_elements_, op.count - at),
                           {},
                           -1,
                           0,
                           0,
                           0,
                           0});
      if (op_queue_[i] != kLocal) ++queues_[op_queue_[i]]->messages;
    }
  }
}

// A chunk a rank sends waits for every chunk it received in an earlier step over any of the same
// elements. Received chunks are at most chunk_elements_ long, so those overlapping [a, b) begin in
// (a - chunk_elements_, b).
void ScheduleCollective::build_dependencies() {
  struct Received {
    std::uint64_t begin, end;
    int step;
    std::uint32_t message;
  };
  std::vector<std::vector<Received>> received(pes_.size());
  for (std::uint32_t i = 0; i < messages_.size(); ++i) {
    const Message& m = messages_[i];
    const ScheduleOp& op = schedule_.ops[m.op];
    received[static_cast<std::size_t>(op.to)].push_back(
        {op.dst + m.offset, op.dst + m.offset + m.elements, op.step, i});
  }
  for (auto& r : received)
    std::sort(r.begin(), r.end(), [](const Received& a, const Received& b) {
      return a.begin != b.begin ? a.begin < b.begin : a.message < b.message;
    });
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;  // (landed, waiting)
  for (std::uint32_t i = 0; i < messages_.size(); ++i) {
    Message& m = messages_[i];
    const ScheduleOp& op = schedule_.ops[m.op];
    const std::uint64_t a = op.src + m.offset, b = a + m.elements;
    const auto& list = received[static_cast<std::size_t>(op.from)];
    const std::uint64_t lowest = a >= chunk_elements_ ? a - chunk_elements_ + 1 : 0;
    auto it = std::lower_bound(list.begin(), list.end(), lowest,
                               [](const Received& r, std::uint64_t v) { return r.begin < v; });
    for (; it != list.end() && it->begin < b; ++it)
      if (it->end > a && it->step < op.step) {
        edges.push_back({it->message, i});
        ++m.pending;
      }
  }
  std::sort(edges.begin(), edges.end());
  dependents_.reserve(edges.size());
  std::size_t e = 0;
  for (std::uint32_t i = 0; i < messages_.size(); ++i) {
    messages_[i].dependents_begin = static_cast<std::uint32_t>(dependents_.size());
    for (; e < edges.size() && edges[e].first == i; ++e) dependents_.push_back(edges[e].second);
    messages_[i].dependents_end = static_cast<std::uint32_t>(dependents_.size());
  }
}

// A gated message counts one more pending condition while its sender still receives in an
// earlier phase.
void ScheduleCollective::build_gates() {
  gates_.resize(pes_.size());
  for (const Message& m : messages_) {
    if (m.queue == kLocal) continue;
    const ScheduleOp& op = schedule_.ops[m.op];
    auto& receiving = gates_[static_cast<std::size_t>(op.to)].receiving;
    if (receiving.empty() || receiving.back().first != op.phase) {
      const auto it = std::lower_bound(receiving.begin(), receiving.end(),
                                       std::pair<int, std::uint64_t>{op.phase, 0});
      if (it == receiving.end() || it->first != op.phase) {
        receiving.insert(it, {op.phase, 1});
        continue;
      }
      ++it->second;
      continue;
    }
    ++receiving.back().second;
  }
  for (std::uint32_t i = 0; i < messages_.size(); ++i) {
    const ScheduleOp& op = schedule_.ops[messages_[i].op];
    Gate& g = gates_[static_cast<std::size_t>(op.from)];
    if (!op.gated || g.receiving.empty() || g.receiving.front().first >= op.phase) continue;
    ++messages_[i].pending;
    g.held.push_back({op.phase, i});
  }
  // Released together, messages leave chunk by chunk across streams (a parent feeds its children
  // in turn, not one child's whole stream first).
  for (Gate& g : gates_)
    std::stable_sort(g.held.begin(), g.held.end(), [this](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first
                                : messages_[a.second].offset < messages_[b.second].offset;
    });
}

// A message of `phase` has landed at `rank`: when that was the last of the earliest phase it still
// received in, the messages held for it may leave.
void ScheduleCollective::open_gate(int rank, int phase) {
  Gate& g = gates_[static_cast<std::size_t>(rank)];
  const auto it = std::lower_bound(g.receiving.begin(), g.receiving.end(),
                                   std::pair<int, std::uint64_t>{phase, 0});
  KB_ASSERT(it != g.receiving.end() && it->first == phase && it->second > 0,
            "a landed message was counted");
  if (--it->second != 0) return;
  while (g.first < g.receiving.size() && g.receiving[g.first].second == 0) ++g.first;
  const int open =
      g.first < g.receiving.size() ? g.receiving[g.first].first : std::numeric_limits<int>::max();
  for (; g.next < g.held.size() && g.held[g.next].first <= open; ++g.next) {
    Message& waiting = messages_[g.held[g.next].second];
    if (--waiting.pending == 0) send(waiting);
  }
}

void ScheduleCollective::start(sim::EventFn done, void* ctx) {
  started_ = system_.engine().now();
  done_ = done;
  done_ctx_ = ctx;
  left_ = messages_.size();
  if (left_ == 0) {
    finished_ = started_;
    system_.engine().schedule_in(base::SimTime::zero(), done, ctx);
    return;
  }
  install_tables(system_, plan_, scratch_, scratch_bytes(plan_, system_.spec()));
  for (const auto& q : queues_) {
    const topo::PeCoord from = pes_[static_cast<std::size_t>(q->from)];
    const topo::PeCoord to = pes_[static_cast<std::size_t>(q->to)];
    system_.pe(from).ipcq().expect_sends(to, 0, q->messages);
    if (q->messages > 0)
      system_.pe(to).ipcq().start_receive_from(from, 0, std::nullopt, &on_message, q.get());
  }
  std::vector<Message*> ready;  // chunk by chunk across streams, as the gates release them
  for (Message& m : messages_)
    if (m.pending == 0) ready.push_back(&m);
  std::stable_sort(ready.begin(), ready.end(),
                   [](const Message* a, const Message* b) { return a->offset < b->offset; });
  for (Message* m : ready) send(*m);
}

void ScheduleCollective::run(sim::Process& p) {
  sim::Event finished("collective");
  start([](void* e) { static_cast<sim::Event*>(e)->trigger(); }, &finished);
  p.wait(finished);
}

// A message to reduce lands in a receive slot of the receiver, a copy straight into its data; the
// descriptor names the message. A local copy is a DMA of the rank's own.
void ScheduleCollective::send(Message& m) {
  const ScheduleOp& op = schedule_.ops[m.op];
  const auto from = static_cast<std::size_t>(op.from), to = static_cast<std::size_t>(op.to);
  if (m.queue == kLocal) return system_.pe(pes_[from]).dma().acquire(&on_local_dma, &m);
  const mem::PhysAddr dst = data_[to] + base::Bytes((op.dst + m.offset) * esize_);
  system_.pe(pes_[from])
      .ipcq()
      .start_send_to(pes_[to],
                     {0,
                      0,
                      input_[from] + base::Bytes((op.src + m.offset) * esize_),
                      base::Bytes(m.elements * esize_),
                      op.reduce ? hw::IpcqLanding::in_slot() : hw::IpcqLanding::at(dst),
                      {0, static_cast<std::uint64_t>(&m - messages_.data()), 0, 0},
                      {},
                      !args_.timing_only},
                     nullptr, nullptr);
}

void ScheduleCollective::on_local_dma(void* p) {
  auto& m = *static_cast<Message*>(p);
  ScheduleCollective& self = *m.self;
  const auto at = static_cast<std::size_t>(self.schedule_.ops[m.op].from);
  const hw::Route route =
      self.system_.fabric().route(hw::Location::memory(self.input_[at].memory()),
                                  hw::Location::memory(self.data_[at].memory()));
  self.system_.transfers().start(route, base::Bytes(m.elements * self.esize_), &on_local_data, &m);
}

void ScheduleCollective::on_local_data(void* p) {
  auto& m = *static_cast<Message*>(p);
  ScheduleCollective& self = *m.self;
  const ScheduleOp& op = self.schedule_.ops[m.op];
  const auto at = static_cast<std::size_t>(op.from);
  self.system_.pe(self.pes_[at]).dma().release();
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
    self.system_.pe(self.pes_[static_cast<std::size_t>(q.to)])
        .ipcq()
        .start_receive_from(self.pes_[static_cast<std::size_t>(q.from)], 0, std::nullopt,
                            &on_message, &q);
  Message& m = self.messages_[message.descriptor[1]];
  m.landed = message.data;
  m.buffer_slot = message.buffer_slot;
  const ScheduleOp& op = self.schedule_.ops[m.op];
  if (!op.reduce) return self.processed(m);  // a copy: the data is in place
  Reducer& r = self.reducers_[static_cast<std::size_t>(op.to)];
  const auto clashes = [&](const Message* other) { return self.overlap(m, *other); };
  if (std::any_of(r.busy.begin(), r.busy.end(), clashes) ||
      std::any_of(r.waiting.begin(), r.waiting.end(), clashes))
    return r.waiting.push_back(&m);
  self.read_operands(m);
}

bool ScheduleCollective::overlap(const Message& a, const Message& b) const {
  const std::uint64_t a0 = schedule_.ops[a.op].dst + a.offset,
                      b0 = schedule_.ops[b.op].dst + b.offset;
  return a0 < b0 + b.elements && b0 < a0 + a.elements;
}

void ScheduleCollective::read_operands(Message& m) {
  const ScheduleOp& op = schedule_.ops[m.op];
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
  const ScheduleOp& op = self.schedule_.ops[m.op];
  const auto& core = self.system_.spec().cube.pe.core;
  const base::SimTime work = base::cycles_to_time(
      hw::vector_cycles(core, self.args_.dtype, static_cast<std::int64_t>(m.elements)), core.clock);
  self.system_.pe(self.pes_[static_cast<std::size_t>(op.to)])
      .ipcq()
      .reduce_received(work, m.elements, &on_reduced, &m);
}

void ScheduleCollective::on_reduced(void* p) {
  auto& m = *static_cast<Message*>(p);
  ScheduleCollective& self = *m.self;
  if (!self.args_.timing_only) {
    const ScheduleOp& op = self.schedule_.ops[m.op];
    std::vector<std::byte> acc(m.elements * self.esize_), in(m.elements * self.esize_);
    const mem::PhysAddr mine = self.data_[static_cast<std::size_t>(op.to)] +
                               base::Bytes((op.dst + m.offset) * self.esize_);
    self.system_.bytes().read(mine, acc);
    self.system_.bytes().read(m.landed, in);
    base::combine_into(self.args_.dtype, self.args_.op, acc, in);
    self.system_.bytes().write(mine, acc);
  }
  const ScheduleOp& op = self.schedule_.ops[m.op];
  self.system_.transfers().start(self.reducers_[static_cast<std::size_t>(op.to)].write_data,
                                 base::Bytes(m.elements * self.esize_), &on_written, &m);
}

// The result is back in the rank's data: reductions that waited for it may read their operands
// (each still after any earlier waiting one over the same elements).
void ScheduleCollective::on_written(void* p) {
  auto& m = *static_cast<Message*>(p);
  ScheduleCollective& self = *m.self;
  Reducer& r = self.reducers_[static_cast<std::size_t>(self.schedule_.ops[m.op].to)];
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
  const ScheduleOp& op = schedule_.ops[m.op];
  if (m.queue != kLocal) {
    const topo::PeCoord from = pes_[static_cast<std::size_t>(op.from)];
    system_.pe(pes_[static_cast<std::size_t>(op.to)])
        .ipcq()
        .release({from, -1, 0, {}, m.landed, base::Bytes(m.elements * esize_), m.buffer_slot});
  }
  for (std::uint32_t i = m.dependents_begin; i < m.dependents_end; ++i) {
    Message& waiting = messages_[dependents_[i]];
    if (--waiting.pending == 0) send(waiting);
  }
  if (m.queue != kLocal) open_gate(op.to, op.phase);
  if (--left_ == 0) {
    release_receive_buffers(system_, plan_);
    finished_ = system_.engine().now();
    done_(done_ctx_);
  }
}

}  // namespace kernbench::ccl
