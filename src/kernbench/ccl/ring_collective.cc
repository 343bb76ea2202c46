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
constexpr base::Bytes kDescriptorBytes{64};  // as hw::Ipcq: a message's descriptor on the wire
constexpr base::Bytes kCreditBytes{16};      // as hw::Ipcq: a returned credit on the wire

std::string_view name(RingKind kind) {
  switch (kind) {
    case RingKind::reduce_scatter: return "reduce_scatter";
    case RingKind::all_gather: return "all_gather";
    case RingKind::all_reduce: break;
  }
  return "all_reduce";
}
}  // namespace

// One chunk on its way from rank `from` to the next rank.
struct RingCollective::Message {
  RingCollective* self = nullptr;
  int from = 0;
  int step = 0;
  std::uint64_t chunk = 0;
  std::uint64_t offset = 0;  // first element in the rank's data
  std::uint64_t elements = 0;
  std::uint64_t slot = 0;  // receive-buffer slot (reduce-scatter steps)
  int operands = 0;        // reads of a reduction's operands still under way
};

struct RingCollective::Rank {
  topo::PeCoord pe;
  int next = 0;
  mem::PhysAddr data, scratch;
  hw::Route to_scratch, to_data, descriptor;      // from this rank to the next
  hw::Route credit;                               // from this rank back to the one before
  hw::Route read_data, read_scratch, write_data;  // between this rank's memories and its PE
  std::unique_ptr<sim::Resource> credits;         // this rank's receive queue: one slot per entry
  std::vector<std::uint64_t> free_slots;          // of its receive buffer
  std::uint64_t expected = 0, received = 0;       // messages this rank receives
  std::uint64_t claimed = 0;                      // of those, the ones that took a credit
  std::uint64_t returning = 0;                    // credits on their way back to the sender
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
    : system_(system), args_(args), world_(plan.world_size()) {
  if (data.size() != plan.ranks.size() || scratch.size() != plan.ranks.size())
    throw base::ShapeError(
        fmt::format("ring {} on '{}': {} ranks but {} data and {} scratch buffers", name(args.kind),
                    plan.entry, world_, data.size(), scratch.size()));
  const auto esize = base::size_bytes(args.dtype);
  first_step_ = args.kind == RingKind::all_gather ? world_ - 1 : 0;
  end_step_ = args.kind == RingKind::reduce_scatter ? world_ - 1 : 2 * (world_ - 1);
  chunk_elements_ = std::max<std::uint64_t>(1, plan.chunk_size.count() / esize);
  depth_ = static_cast<std::uint64_t>(system.spec().cube.pe.ipcq.depth);
  auto& fabric = system.fabric();
  for (int r = 0; r < world_; ++r) {
    // A ring of one has no neighbour and nothing to send: every op takes no time.
    const int slot = world_ == 1 ? -1 : plan.slot(r, "ring.next");
    if (slot < 0 && world_ > 1)
      throw base::ConfigError(
          {fmt::format("ring {} needs a ring plan: entry '{}' (kind {}) gives rank {} no ring.next",
                       name(args.kind), plan.entry, plan.kind, r)});
    auto rank = std::make_unique<Rank>();
    rank->pe = plan.ranks[static_cast<std::size_t>(r)];
    rank->next =
        slot < 0 ? r
                 : plan.tables[static_cast<std::size_t>(r)][static_cast<std::size_t>(slot)].rank;
    rank->data = data[static_cast<std::size_t>(r)];
    rank->scratch = scratch[static_cast<std::size_t>(r)];
    rank->credits = std::make_unique<sim::Resource>(
        system.engine(), fmt::format("ccl {} rank {} receive queue", plan.entry, r), depth_);
    for (std::uint64_t s = depth_; s-- > 0;) rank->free_slots.push_back(s);
    const auto pe = hw::Location::pe(rank->pe);
    rank->read_data = fabric.route(hw::Location::memory(rank->data.memory()), pe);
    rank->read_scratch = fabric.route(hw::Location::memory(rank->scratch.memory()), pe);
    rank->write_data = fabric.route(pe, hw::Location::memory(rank->data.memory()));
    ranks_.push_back(std::move(rank));
  }
  for (auto& rank : ranks_) {
    const Rank& next = *ranks_[static_cast<std::size_t>(rank->next)];
    const auto from = hw::Location::memory(rank->data.memory());
    rank->to_scratch = fabric.route(from, hw::Location::memory(next.scratch.memory()));
    rank->to_data = fabric.route(from, hw::Location::memory(next.data.memory()));
    rank->descriptor = fabric.route(hw::Location::pe(rank->pe), hw::Location::pe(next.pe));
  }
  for (auto& rank : ranks_)
    ranks_[static_cast<std::size_t>(rank->next)]->credit =
        fabric.route(hw::Location::pe(ranks_[static_cast<std::size_t>(rank->next)]->pe),
                     hw::Location::pe(rank->pe));
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
  for (int r = 0; r < world_; ++r)
    for (int t = first_step_; t < end_step_; ++t)
      ranks_[static_cast<std::size_t>(ranks_[static_cast<std::size_t>(r)]->next)]->expected +=
          chunks_in(sent_segment(r, t));
  ranks_left_ = static_cast<int>(
      std::count_if(ranks_.begin(), ranks_.end(), [](const auto& r) { return r->expected > 0; }));
  if (ranks_left_ == 0) {
    finished_ = started_;
    system_.engine().schedule_in(base::SimTime::zero(), done, ctx);
    return;
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

void RingCollective::send(int rank, int step, std::uint64_t chunk) {
  Message* m;
  if (free_.empty()) {
    messages_pool_.emplace_back();
    m = &messages_pool_.back();
  } else {
    m = free_.back();
    free_.pop_back();
  }
  const int segment = sent_segment(rank, step);
  const std::uint64_t begin = segment_begin(segment) + chunk * chunk_elements_;
  *m = Message{this,  rank,  step,
               chunk, begin, std::min(chunk_elements_, segment_begin(segment + 1) - begin),
               0};
  ++messages_;
  const Rank& from = *ranks_[static_cast<std::size_t>(rank)];
  ranks_[static_cast<std::size_t>(from.next)]->credits->acquire(&on_credit, m);
}

void RingCollective::on_credit(void* p) {
  auto& m = *static_cast<Message*>(p);
  ++m.self->ranks_[static_cast<std::size_t>(m.self->ranks_[static_cast<std::size_t>(m.from)]->next)]
        ->claimed;
  m.self->system_.pe(m.self->ranks_[static_cast<std::size_t>(m.from)]->pe)
      .dma()
      .acquire(&on_dma, &m);
}

void RingCollective::on_dma(void* p) {
  auto& m = *static_cast<Message*>(p);
  RingCollective& self = *m.self;
  Rank& from = *self.ranks_[static_cast<std::size_t>(m.from)];
  const bool reduce = self.reduces(m.step);
  if (reduce) {  // the credit this message holds keeps a slot free
    Rank& to = *self.ranks_[static_cast<std::size_t>(from.next)];
    m.slot = to.free_slots.back();
    to.free_slots.pop_back();
  }
  const base::Bytes bytes(m.elements * base::size_bytes(self.args_.dtype));
  self.system_.transfers().start(reduce ? from.to_scratch : from.to_data, bytes, &on_data, &m);
}

void RingCollective::on_data(void* p) {
  auto& m = *static_cast<Message*>(p);
  RingCollective& self = *m.self;
  Rank& from = *self.ranks_[static_cast<std::size_t>(m.from)];
  const Rank& to = *self.ranks_[static_cast<std::size_t>(from.next)];
  self.system_.pe(from.pe).dma().release();
  if (!self.args_.timing_only) {
    const auto esize = base::size_bytes(self.args_.dtype);
    const base::Bytes bytes(m.elements * esize), at(m.offset * esize);
    const bool reduce = self.reduces(m.step);
    const mem::PhysAddr dst =
        reduce ? to.scratch + base::Bytes(m.slot * self.chunk_elements_ * esize) : to.data + at;
    self.system_.copy_bytes(from.data + at, dst, bytes);
  }
  self.system_.transfers().start(from.descriptor, kDescriptorBytes, &on_descriptor, &m,
                                 hw::TrafficClass::control);
}

// A reduction reads both operands into the receiver's PE (the accumulator from its data, the
// received chunk from its receive buffer, at once), reduces them on its vector unit and writes
// the result back to its data; each read and write costs its bytes on the memory's port and on
// every link between it and the PE. The vector unit streams: it reduces one chunk while the
// operands of the next are read and the result of the previous one is written back. A ring rank
// reduces a distinct segment each step, so no reduction waits for another's write-back.
void RingCollective::on_descriptor(void* p) {
  auto& m = *static_cast<Message*>(p);
  RingCollective& self = *m.self;
  if (!self.reduces(m.step)) return self.processed(m);  // all-gather: the data is final
  const Rank& to =
      *self.ranks_[static_cast<std::size_t>(self.ranks_[static_cast<std::size_t>(m.from)]->next)];
  const base::Bytes bytes(m.elements * base::size_bytes(self.args_.dtype));
  m.operands = 2;
  self.system_.transfers().start(to.read_data, bytes, &on_operand, &m);
  self.system_.transfers().start(to.read_scratch, bytes, &on_operand, &m);
}

void RingCollective::on_operand(void* p) {
  auto& m = *static_cast<Message*>(p);
  if (--m.operands > 0) return;
  RingCollective& self = *m.self;
  const Rank& to =
      *self.ranks_[static_cast<std::size_t>(self.ranks_[static_cast<std::size_t>(m.from)]->next)];
  const auto& core = self.system_.spec().cube.pe.core;
  const base::SimTime work = base::cycles_to_time(
      hw::vector_cycles(core, self.args_.dtype, static_cast<std::int64_t>(m.elements)), core.clock);
  self.system_.pe(to.pe).vector_unit().request(work, &on_reduced, &m);
}

void RingCollective::on_reduced(void* p) {
  auto& m = *static_cast<Message*>(p);
  RingCollective& self = *m.self;
  const Rank& to =
      *self.ranks_[static_cast<std::size_t>(self.ranks_[static_cast<std::size_t>(m.from)]->next)];
  if (!self.args_.timing_only) {
    const auto esize = base::size_bytes(self.args_.dtype);
    std::vector<std::byte> acc(m.elements * esize), in(m.elements * esize);
    const mem::PhysAddr mine = to.data + base::Bytes(m.offset * esize);
    self.system_.bytes().read(mine, acc);
    self.system_.bytes().read(to.scratch + base::Bytes(m.slot * self.chunk_elements_ * esize), in);
    base::combine_into(self.args_.dtype, self.args_.op, acc, in);
    self.system_.bytes().write(mine, acc);
  }
  const base::Bytes bytes(m.elements * base::size_bytes(self.args_.dtype));
  self.system_.transfers().start(to.write_data, bytes, &on_written, &m);
}

// A credit goes back only while the messages still to claim one outnumber the credits the sender
// holds or has coming: a credit no later message takes is not sent, so none is on the wire once
// the last message has been processed (and the collective may end and be destroyed).
void RingCollective::return_credit(Rank& to) {
  const std::uint64_t held = to.credits->slots() - to.credits->busy();
  if (to.expected - to.claimed <= held + to.returning) return;
  ++to.returning;
  system_.transfers().start(to.credit, kCreditBytes, &on_credit_back, &to,
                            hw::TrafficClass::control);
}

void RingCollective::on_credit_back(void* p) {
  auto& to = *static_cast<Rank*>(p);
  --to.returning;
  to.credits->release();
}

void RingCollective::on_written(void* p) {
  auto& m = *static_cast<Message*>(p);
  m.self->processed(m);
}

// The receiver is done with a chunk: its buffer slot frees, its credit travels back to the sender
// (control traffic), and it forwards the chunk next step.
void RingCollective::processed(Message& m) {
  const int to_index = ranks_[static_cast<std::size_t>(m.from)]->next;
  Rank& to = *ranks_[static_cast<std::size_t>(to_index)];
  if (reduces(m.step)) to.free_slots.push_back(m.slot);
  return_credit(to);
  const int step = m.step;
  const std::uint64_t chunk = m.chunk;
  free_.push_back(&m);
  if (step + 1 < end_step_) send(to_index, step + 1, chunk);
  if (++to.received == to.expected && --ranks_left_ == 0) {
    finished_ = system_.engine().now();
    done_(done_ctx_);
  }
}

}  // namespace kernbench::ccl
