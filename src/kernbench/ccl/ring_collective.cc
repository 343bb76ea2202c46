#include "kernbench/ccl/ring_collective.h"

#include <algorithm>
#include <limits>
#include <string_view>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/hw/unit_costs.h"
#include "kernbench/sim/event.h"
#include "kernbench/sim/process.h"

namespace kernbench::ccl {

namespace {
std::string_view name(RingKind kind) {
  switch (kind) {
    case RingKind::reduce_scatter: return "reduce_scatter";
    case RingKind::all_gather: return "all_gather";
    case RingKind::all_reduce: break;
  }
  return "all_reduce";
}
}  // namespace

// One chunk a rank received from the one before it, while the rank processes it.
struct RingCollective::Message {
  RingCollective* self = nullptr;
  int to = 0;
  int step = 0;
  std::uint64_t chunk = 0;
  std::uint64_t offset = 0;  // first element in the rank's data
  std::uint64_t elements = 0;
  int operands = 0;  // reads of a reduction's operands still under way
  hw::IpcqMessage ipcq;
};

struct RingCollective::Rank {
  RingCollective* self = nullptr;
  int index = 0;
  topo::PeCoord pe;
  int next = 0, prev = 0;
  mem::PhysAddr data;
  hw::Ipcq* ipcq = nullptr;
  hw::Route read_data, write_data;  // between this rank's data and its PE
  hw::Route read_slot;              // from its receive slots' memory to its PE
  mem::MemoryId slot_memory;
  std::uint64_t expected = 0, taken = 0, received = 0;  // messages it receives, takes, is done with
};

mem::PhysAddr allocate_near(hw::System& system, mem::MemoryKind kind, topo::PeCoord pe,
                            base::Bytes size) {
  switch (kind) {
    case mem::MemoryKind::tcm: return system.allocator().allocate_tcm(pe, size);
    case mem::MemoryKind::sram: return system.allocator().allocate_sram(pe.cube_coord(), size);
    case mem::MemoryKind::hbm: break;
  }
  return system.allocator().allocate_hbm(pe, size);
}

base::Bytes receive_buffer_bytes(base::Bytes chunk, std::uint64_t slots) {
  std::uint64_t bytes = 0;
  if (__builtin_mul_overflow(chunk.count(), slots, &bytes))
    return base::Bytes(std::numeric_limits<std::uint64_t>::max());
  return base::Bytes(bytes);
}

base::Bytes RingCollective::scratch_bytes(const InstallPlan& plan, const topo::TopologySpec& spec) {
  return receive_buffer_bytes(plan.chunk_size, static_cast<std::uint64_t>(spec.cube.pe.ipcq.depth));
}

mem::PhysAddr RingCollective::allocate_scratch(hw::System& system, const InstallPlan& plan,
                                               topo::PeCoord pe) {
  return allocate_near(system, plan.buffer, pe, scratch_bytes(plan, system.spec()));
}

RingCollective::RingCollective(hw::System& system, const InstallPlan& plan,
                               std::vector<mem::PhysAddr> data, std::vector<mem::PhysAddr> scratch,
                               RingArgs args)
    : system_(system),
      plan_(plan),
      scratch_(std::move(scratch)),
      args_(args),
      world_(plan.world_size()) {
  if (data.size() != plan.ranks.size() || scratch_.size() != plan.ranks.size())
    throw base::ShapeError(
        fmt::format("ring {} on '{}': {} ranks but {} data and {} scratch buffers", name(args.kind),
                    plan.entry, world_, data.size(), scratch_.size()));
  const auto esize = base::size_bytes(args.dtype);
  first_step_ = args.kind == RingKind::all_gather ? world_ - 1 : 0;
  end_step_ = args.kind == RingKind::reduce_scatter ? world_ - 1 : 2 * (world_ - 1);
  chunk_elements_ = std::max<std::uint64_t>(1, plan.chunk_size.count() / esize);
  auto& fabric = system.fabric();
  for (int r = 0; r < world_; ++r) {
    // A ring of one has no neighbour and nothing to send: every op takes no time.
    const int slot = world_ == 1 ? -1 : plan.slot(r, "ring.next");
    if (slot < 0 && world_ > 1)
      throw base::ConfigError(
          {fmt::format("ring {} needs a ring plan: entry '{}' (kind {}) gives rank {} no ring.next",
                       name(args.kind), plan.entry, plan.kind, r)});
    auto rank = std::make_unique<Rank>();
    rank->self = this;
    rank->index = r;
    rank->pe = plan.ranks[static_cast<std::size_t>(r)];
    rank->next =
        slot < 0 ? r
                 : plan.tables[static_cast<std::size_t>(r)][static_cast<std::size_t>(slot)].rank;
    rank->data = data[static_cast<std::size_t>(r)];
    rank->ipcq = &system.pe(rank->pe).ipcq();
    const auto pe = hw::Location::pe(rank->pe);
    rank->read_data = fabric.route(hw::Location::memory(rank->data.memory()), pe);
    rank->write_data = fabric.route(pe, hw::Location::memory(rank->data.memory()));
    rank->slot_memory = scratch_[static_cast<std::size_t>(r)].memory();
    rank->read_slot = fabric.route(hw::Location::memory(rank->slot_memory), pe);
    ranks_.push_back(std::move(rank));
  }
  for (auto& rank : ranks_) ranks_[static_cast<std::size_t>(rank->next)]->prev = rank->index;
}

RingCollective::~RingCollective() = default;

std::uint64_t RingCollective::segment_begin(int segment) const {
  return args_.count * static_cast<std::uint64_t>(segment) / static_cast<std::uint64_t>(world_);
}

std::uint64_t RingCollective::chunks_in(int segment) const {
  const std::uint64_t n = segment_begin(segment + 1) - segment_begin(segment);
  return (n + chunk_elements_ - 1) / chunk_elements_;
}

// Reduce-scatter step t sends segment r - t - 1, so rank r ends with segment r reduced;
// all-gather step s sends segment r - s, starting with its own (mod p). Each step forwards the
// segment the rank received (and reduced) in the step before.
int RingCollective::sent_segment(int rank, int step) const {
  const int s = reduces(step) ? rank - step - 1 : rank - (step - (world_ - 1));
  return ((s % world_) + world_) % world_;
}

void RingCollective::start(sim::EventFn done, void* ctx) {
  started_ = system_.engine().now();
  done_ = done;
  done_ctx_ = ctx;
  for (int r = 0; r < world_; ++r) {
    std::uint64_t sends = 0;
    for (int t = first_step_; t < end_step_; ++t) sends += chunks_in(sent_segment(r, t));
    ranks_[static_cast<std::size_t>(ranks_[static_cast<std::size_t>(r)]->next)]->expected = sends;
  }
  ranks_left_ = static_cast<int>(
      std::count_if(ranks_.begin(), ranks_.end(), [](const auto& r) { return r->expected > 0; }));
  if (ranks_left_ == 0) {
    finished_ = started_;
    system_.engine().schedule_in(base::SimTime::zero(), done, ctx);
    return;
  }
  install_tables(system_, plan_, scratch_, scratch_bytes(plan_, system_.spec()));
  for (auto& rank : ranks_) {
    const Rank& next = *ranks_[static_cast<std::size_t>(rank->next)];
    rank->ipcq->expect_sends(next.pe, 0, next.expected);
    if (rank->expected > 0)
      rank->ipcq->start_receive_from(ranks_[static_cast<std::size_t>(rank->prev)]->pe, 0,
                                     std::nullopt, &on_message, rank.get());
  }
  for (int r = 0; r < world_; ++r)
    for (std::uint64_t c = 0; c < chunks_in(sent_segment(r, first_step_)); ++c)
      send(r, first_step_, c);
}

void RingCollective::run(sim::Process& p) {
  sim::Event finished("ring collective");
  start([](void* e) { static_cast<sim::Event*>(e)->trigger(); }, &finished);
  p.wait(finished);
}

// Reduce-scatter steps land in a receive slot of the next rank (to be reduced), all-gather steps
// straight into its data. The descriptor says which step, chunk and first element.
void RingCollective::send(int rank, int step, std::uint64_t chunk) {
  const int segment = sent_segment(rank, step);
  const std::uint64_t begin = segment_begin(segment) + chunk * chunk_elements_;
  const std::uint64_t elements = std::min(chunk_elements_, segment_begin(segment + 1) - begin);
  const auto esize = base::size_bytes(args_.dtype);
  const Rank& from = *ranks_[static_cast<std::size_t>(rank)];
  const Rank& to = *ranks_[static_cast<std::size_t>(from.next)];
  const base::Bytes at(begin * esize);
  ++messages_;
  from.ipcq->start_send_to(
      to.pe,
      {0,
       0,
       from.data + at,
       base::Bytes(elements * esize),
       reduces(step) ? hw::IpcqLanding::in_slot() : hw::IpcqLanding::at(to.data + at),
       {0, static_cast<std::uint64_t>(step), chunk, begin},
       {},
       !args_.timing_only},
      nullptr, nullptr);
}

// A chunk is in the rank's queue: the rank waits for the next one at once, then processes this
// one (all-gather: the data is final).
void RingCollective::on_message(void* p, const hw::IpcqMessage& message) {
  auto& to = *static_cast<Rank*>(p);
  RingCollective& self = *to.self;
  if (++to.taken < to.expected)
    to.ipcq->start_receive_from(self.ranks_[static_cast<std::size_t>(to.prev)]->pe, 0, std::nullopt,
                                &on_message, &to);
  Message* m;
  if (self.free_.empty()) {
    self.messages_pool_.emplace_back();
    m = &self.messages_pool_.back();
  } else {
    m = self.free_.back();
    self.free_.pop_back();
  }
  const int step = static_cast<int>(message.descriptor[1]);
  *m = Message{&self,
               to.index,
               step,
               message.descriptor[2],
               message.descriptor[3],
               message.size.count() / base::size_bytes(self.args_.dtype),
               0,
               message};
  if (!self.reduces(step)) return self.processed(*m);
  // A reduction reads both operands into the receiver's PE (the accumulator from its data, the
  // received chunk from its receive slot, at once), reduces them on its vector unit and writes
  // the result back to its data; each read and write costs its bytes on the memory's port and on
  // every link between it and the PE. The vector unit streams: it reduces one chunk while the
  // operands of the next are read and the result of the previous one is written back. A ring rank
  // reduces a distinct segment each step, so no reduction waits for another's write-back.
  if (message.data.memory() != to.slot_memory) {
    to.slot_memory = message.data.memory();
    to.read_slot =
        self.system_.fabric().route(hw::Location::memory(to.slot_memory), hw::Location::pe(to.pe));
  }
  const base::Bytes bytes(m->elements * base::size_bytes(self.args_.dtype));
  m->operands = 2;
  self.system_.transfers().start(to.read_data, bytes, &on_operand, m);
  self.system_.transfers().start(to.read_slot, bytes, &on_operand, m);
}

void RingCollective::on_operand(void* p) {
  auto& m = *static_cast<Message*>(p);
  if (--m.operands > 0) return;
  RingCollective& self = *m.self;
  const Rank& to = *self.ranks_[static_cast<std::size_t>(m.to)];
  const auto& core = self.system_.spec().cube.pe.core;
  const base::SimTime work = base::cycles_to_time(
      hw::vector_cycles(core, self.args_.dtype, static_cast<std::int64_t>(m.elements)), core.clock);
  self.system_.pe(to.pe).ipcq().reduce_received(work, m.elements, &on_reduced, &m);
}

void RingCollective::on_reduced(void* p) {
  auto& m = *static_cast<Message*>(p);
  RingCollective& self = *m.self;
  const Rank& to = *self.ranks_[static_cast<std::size_t>(m.to)];
  if (!self.args_.timing_only) {
    const auto esize = base::size_bytes(self.args_.dtype);
    std::vector<std::byte> acc(m.elements * esize), in(m.elements * esize);
    const mem::PhysAddr mine = to.data + base::Bytes(m.offset * esize);
    self.system_.bytes().read(mine, acc);
    self.system_.bytes().read(m.ipcq.data, in);
    base::combine_into(self.args_.dtype, self.args_.op, acc, in);
    self.system_.bytes().write(mine, acc);
  }
  const base::Bytes bytes(m.elements * base::size_bytes(self.args_.dtype));
  self.system_.transfers().start(to.write_data, bytes, &on_written, &m);
}

void RingCollective::on_written(void* p) {
  auto& m = *static_cast<Message*>(p);
  m.self->processed(m);
}

// The receiver is done with a chunk: hw::Ipcq frees its slot and returns its credit, and the
// rank forwards the chunk next step.
void RingCollective::processed(Message& m) {
  Rank& to = *ranks_[static_cast<std::size_t>(m.to)];
  to.ipcq->release(m.ipcq);
  const int step = m.step;
  const std::uint64_t chunk = m.chunk;
  free_.push_back(&m);
  if (step + 1 < end_step_) send(to.index, step + 1, chunk);
  if (++to.received == to.expected && --ranks_left_ == 0) {
    release_receive_buffers(system_, plan_);
    finished_ = system_.engine().now();
    done_(done_ctx_);
  }
}

}  // namespace kernbench::ccl
