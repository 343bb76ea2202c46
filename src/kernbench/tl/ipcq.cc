#include "kernbench/tl/ipcq.h"

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/hw/pe.h"
#include "kernbench/hw/system.h"
#include "kernbench/hw/unit_costs.h"
#include "kernbench/sim/event.h"
#include "kernbench/sim/process.h"
#include "kernbench/tl/semantic_error.h"

namespace kernbench::tl {

namespace {

hw::Ipcq& ipcq_of(Program& p) { return p.context().pe().ipcq(); }

// IPCQ DMA names memory by physical address, as the queue's engine is given pinned ranges (RDMA's
// registered memory): a range is looked up in the PE's page table without a TLB charge, and must
// be physically contiguous.
mem::PhysAddr resolve(Program& program, const Tile& ptr, std::int64_t offset, std::int64_t count,
                      std::string_view op) {
  if (!ptr.is_pointer() || ptr.rank() != 0)
    throw SemanticError(fmt::format("{}: expects a scalar pointer, got {} ({})", op, ptr.describe(),
                                    program.where()));
  const auto esize = static_cast<std::uint64_t>(base::size_bytes(ptr.dtype()));
  const mem::VirtAddr va(ptr.address(0) + static_cast<std::uint64_t>(offset) * esize);
  const mem::Translation t = program.context().pe().mmu().page_table().translate(va);
  const base::Bytes size(static_cast<std::uint64_t>(count) * esize);
  if (offset < 0 || count < 0 || t.contiguous < size)
    throw base::AddressError(fmt::format(
        "{}: elements [{}, {}) from {:#x} are not one mapped, physically contiguous range ({})", op,
        offset, offset + count, ptr.address(0), program.where()));
  return t.pa;
}

// The callback a started operation triggers: it owns a reference to the Pending's event.
void trigger_owned(void* ctx) {
  auto* owned = static_cast<std::shared_ptr<sim::Event>*>(ctx);
  (*owned)->trigger();
  delete owned;
}

// A send waiting for the Pending it comes after.
struct DeferredSend : sim::Waiter {
  hw::Ipcq* ipcq = nullptr;
  hw::IpcqSend send;
  Pending after;
  std::shared_ptr<sim::Event> done;
};

void start(hw::Ipcq& ipcq, const hw::IpcqSend& send, std::shared_ptr<sim::Event> done) {
  ipcq.start_send(send, &trigger_owned, new std::shared_ptr<sim::Event>(std::move(done)));
}

Pending send_message(const Peer& to, hw::IpcqSend send, std::uint64_t element_bytes,
                     const SendOptions& o) {
  if (to.program == nullptr) throw SemanticError("IPCQ send to a peer that was never resolved");
  send.slot = to.slot;
  send.channel = o.channel;
  send.descriptor[0] = o.tag;
  if (o.to.window >= 0)
    send.to = hw::IpcqLanding::in_window(
        o.to.window, base::Bytes(static_cast<std::uint64_t>(o.to.offset) * element_bytes));
  Pending done =
      Pending::make(fmt::format("IPCQ send to rank {} ({}), tag {}", to.rank, to.role, o.tag));
  hw::Ipcq& ipcq = ipcq_of(*to.program);
  std::shared_ptr<sim::Event> event(done.event(), [keep = done](sim::Event*) {});
  to.program->hold(event);
  if (o.after.done()) {
    start(ipcq, send, std::move(event));
    return done;
  }
  auto* d = new DeferredSend;
  d->ipcq = &ipcq;
  d->send = std::move(send);
  d->after = o.after;
  d->done = std::move(event);
  d->notify = [](sim::Waiter& w) {
    auto* d = static_cast<DeferredSend*>(&w);
    start(*d->ipcq, d->send, std::move(d->done));
    delete d;
  };
  o.after.event()->subscribe(*d);
  return done;
}

// A reduction of a received message into memory, as a chain of callbacks: both operands read into
// the PE at once, the vector unit, the result written back, then the message released.
struct Reduction {
  hw::System* system = nullptr;
  hw::Pe* pe = nullptr;
  hw::IpcqMessage message;
  mem::PhysAddr dst;
  base::DType dtype = base::DType::f32;
  base::CombineOp op = base::CombineOp::sum;
  std::int64_t count = 0;
  int operands = 2;
  std::shared_ptr<sim::Event> done;

  static void on_operand(void* self) {
    auto& r = *static_cast<Reduction*>(self);
    if (--r.operands > 0) return;
    const auto& core = r.system->spec().cube.pe.core;
    r.pe->vector_unit().request(
        base::cycles_to_time(hw::vector_cycles(core, r.dtype, r.count), core.clock), &on_reduced,
        self);
  }
  static void on_reduced(void* self) {
    auto& r = *static_cast<Reduction*>(self);
    std::vector<std::byte> acc(r.message.size.count()), in(r.message.size.count());
    r.system->bytes().read(r.dst, acc);
    r.system->bytes().read(r.message.data, in);
    base::combine_into(r.dtype, r.op, acc, in);
    r.system->bytes().write(r.dst, acc);
    const auto route = r.system->fabric().route(hw::Location::pe(r.pe->coord()),
                                                hw::Location::memory(r.dst.memory()));
    r.system->transfers().start(route, r.message.size, &on_written, self);
  }
  static void on_written(void* self) {
    auto* r = static_cast<Reduction*>(self);
    r->pe->ipcq().release(r->message);
    r->done->trigger();
    delete r;
  }
};

}  // namespace

bool Pending::done() const { return !state_ || state_->triggered(); }

void Pending::wait(Program& program) const {
  if (!done()) program.context().process().wait(*state_);
}

Pending Pending::make(std::string name) {
  Pending p;
  p.state_ = std::make_shared<sim::Event>(std::move(name));
  return p;
}

Ipcq::Ipcq(Program& program) : program_(program), hw_(ipcq_of(program)) {}

Peer Ipcq::peer(std::string_view role) const {
  const int slot = hw_.slot(role);
  if (slot < 0) {
    std::string roles;
    for (const auto& p : hw_.table().peers)
      roles += fmt::format("{}'{}'", roles.empty() ? "" : ", ", p.role);
    throw base::NotFoundError(fmt::format(
        "IPCQ of rank {} on PE {}: no neighbour '{}' in its table (it has {}) ({})", hw_.rank(),
        hw_.owner(), role, roles.empty() ? std::string("none") : roles, program_.where()));
  }
  const hw::IpcqPeer& p = hw_.table().peers[static_cast<std::size_t>(slot)];
  return {&program_, slot, p.rank, p.role, p.pe};
}

std::vector<Peer> Ipcq::peers() const {
  std::vector<Peer> out;
  const auto& table = hw_.table().peers;
  for (std::size_t i = 0; i < table.size(); ++i)
    out.push_back({&program_, static_cast<int>(i), table[i].rank, table[i].role, table[i].pe});
  return out;
}

void Ipcq::expose(int window, const Tile& ptr, std::int64_t count) const {
  const mem::PhysAddr pa = resolve(program_, ptr, 0, count, "ipcq expose");
  hw_.expose(window, pa,
             base::Bytes(static_cast<std::uint64_t>(count) * base::size_bytes(ptr.dtype())));
}

Pending send(const Peer& to, const Tile& tile, const SendOptions& options) {
  hw::IpcqSend s;
  const std::byte* bytes = tile.data();
  const std::size_t size = static_cast<std::size_t>(tile.numel()) * tile.element_bytes();
  s.payload = std::make_shared<const std::vector<std::byte>>(bytes, bytes + size);
  s.size = base::Bytes(size);
  s.src = mem::PhysAddr::encode(mem::MemoryId::tcm(to.program->context().pe().coord()), 0);
  return send_message(to, std::move(s), tile.element_bytes(), options);
}

Pending send(const Peer& to, const Tile& ptr, std::int64_t offset, std::int64_t count,
             const SendOptions& options) {
  hw::IpcqSend s;
  s.src = resolve(*to.program, ptr, offset, count, "ipcq send");
  const auto esize = static_cast<std::uint64_t>(base::size_bytes(ptr.dtype()));
  s.size = base::Bytes(static_cast<std::uint64_t>(count) * esize);
  return send_message(to, std::move(s), esize, options);
}

namespace {

void check_size(const Message& m, std::uint64_t bytes, std::string_view op) {
  if (m.raw.size.count() != bytes)
    throw base::ShapeError(
        fmt::format("{}: a message of {} from rank {} (tag {}) where {} bytes were expected ({})",
                    op, m.raw.size, m.raw.from_rank, m.tag(), bytes, m.program->where()));
}

}  // namespace

Message recv(const Peer& from, const RecvOptions& options) {
  if (from.program == nullptr) throw SemanticError("IPCQ receive from a peer never resolved");
  Program& program = *from.program;
  return {&program, ipcq_of(program).receive(program.context().process(), from.slot,
                                             options.channel, options.tag)};
}

Tile to_tile(const Message& m, base::DType dtype, Shape shape) {
  Program& program = *m.program;
  Tile t(detail::Uninitialized{}, shape, dtype, false, &program);
  const std::uint64_t bytes = static_cast<std::uint64_t>(t.numel()) * t.element_bytes();
  check_size(m, bytes, "ipcq to_tile");
  // The landed data comes into the PE's TCM (where tiles live), on one of its DMA channels.
  hw::Pe& pe = program.context().pe();
  const mem::MemoryId tcm = mem::MemoryId::tcm(pe.coord());
  if (m.raw.data.memory() != tcm) {
    sim::Process& process = program.context().process();
    pe.dma().acquire(process);
    pe.system().transfers().move(
        process,
        pe.system().fabric().route(hw::Location::memory(m.raw.data.memory()),
                                   hw::Location::memory(tcm)),
        m.raw.size);
    pe.dma().release();
  }
  pe.system().bytes().read(m.raw.data, std::span(t.mutable_data(), bytes));
  ipcq_of(program).release(m.raw);
  return t;
}

void copy_into(const Message& m, const Tile& ptr, std::int64_t offset, std::int64_t count) {
  Program& program = *m.program;
  const mem::PhysAddr dst = resolve(program, ptr, offset, count, "ipcq copy_into");
  check_size(m, static_cast<std::uint64_t>(count) * base::size_bytes(ptr.dtype()),
             "ipcq copy_into");
  if (m.raw.data != dst)
    program.context().pe().dma_copy(program.context().process(), m.raw.data, dst, m.raw.size);
  ipcq_of(program).release(m.raw);
}

Pending reduce_into(const Message& m, const Tile& ptr, std::int64_t offset, std::int64_t count,
                    base::CombineOp op) {
  Program& program = *m.program;
  const mem::PhysAddr dst = resolve(program, ptr, offset, count, "ipcq reduce_into");
  const base::Bytes size(static_cast<std::uint64_t>(count) * base::size_bytes(ptr.dtype()));
  check_size(m, size.count(), "ipcq reduce_into");
  Pending done =
      Pending::make(fmt::format("IPCQ reduction of tag {} from rank {}", m.tag(), m.raw.from_rank));
  auto* r = new Reduction;
  r->message = m.raw;
  r->pe = &program.context().pe();
  r->system = &r->pe->system();
  r->dst = dst;
  r->dtype = ptr.dtype();
  r->op = op;
  r->count = count;
  r->done = std::shared_ptr<sim::Event>(done.event(), [keep = done](sim::Event*) {});
  program.hold(r->done);
  const auto& fabric = r->system->fabric();
  const auto at_pe = hw::Location::pe(r->pe->coord());
  r->system->transfers().start(fabric.route(hw::Location::memory(dst.memory()), at_pe), size,
                               &Reduction::on_operand, r);
  r->system->transfers().start(fabric.route(hw::Location::memory(m.raw.data.memory()), at_pe), size,
                               &Reduction::on_operand, r);
  return done;
}

Tile recv(const Peer& from, base::DType dtype, Shape shape, const RecvOptions& options) {
  return to_tile(recv(from, options), dtype, std::move(shape));
}

void recv_into(const Peer& from, const Tile& ptr, std::int64_t offset, std::int64_t count,
               const RecvOptions& options) {
  copy_into(recv(from, options), ptr, offset, count);
}

Pending recv_reduce(const Peer& from, const Tile& ptr, std::int64_t offset, std::int64_t count,
                    base::CombineOp op, const RecvOptions& options) {
  return reduce_into(recv(from, options), ptr, offset, count, op);
}

}  // namespace kernbench::tl
