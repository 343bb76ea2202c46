#include "kernbench/hw/ipcq.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <utility>

#include <fmt/format.h>

#include "kernbench/base/assert.h"
#include "kernbench/base/error.h"
#include "kernbench/hw/request.h"
#include "kernbench/hw/system.h"
#include "kernbench/hw/transfer_model.h"
#include "kernbench/sim/process.h"

namespace kernbench::hw {
namespace {

// A first-in first-out list kept in one vector from `head_` on: 32 bytes, where a deque takes 80
// and reaches its first entry through a map, so a queue's lists and counters share a few cache
// lines (a run of thousands of ranks is bound by misses).
template <class T>
class Fifo {
 public:
  using iterator = typename std::vector<T>::iterator;
  bool empty() const { return head_ == items_.size(); }
  std::size_t size() const { return items_.size() - head_; }
  T& front() { return items_[head_]; }
  iterator begin() { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  iterator end() { return items_.end(); }
  void push_back(T t) { items_.push_back(std::move(t)); }
  void pop_front() {
    if (++head_ == items_.size()) {
      items_.clear();
      head_ = 0;
    } else if (head_ >= 16 && 2 * head_ >= items_.size()) {
      items_.erase(items_.begin(), begin());
      head_ = 0;
    }
  }
  void erase(iterator it) {
    if (it == begin())
      pop_front();
    else
      items_.erase(it);
  }

 private:
  std::vector<T> items_;
  std::size_t head_ = 0;
};

}  // namespace

struct Ipcq::Receiver {
  std::optional<std::uint64_t> tag;
  ReceiveFn fn;
  void* ctx;
};

// The queue from one sender on one channel, kept by the receiver. The credits are the sender's
// (what it may still send, granted in order); the buffer slots and the arrived messages are the
// receiver's. A credit is busy from the send that takes it until it is back at the sender. It goes
// to a send in the call that asks for it or that frees it, not through an event of its own. Laid
// out by use: what a message's steps read and write first, in a few cache lines.
struct Ipcq::Queue {
  struct DataRoute;
  explicit Queue(int depth) : credits(depth) {}
  Ipcq* receiver = nullptr;
  sim::Resource* sender_dma = nullptr;  // the sender PE's DMA engine
  int credits;                          // free, at the sender
  int from_rank = -1;
  int channel = 0;
  bool budgeted = false;  // expect_sends announced the sends to come
  bool wake_set = false;
  bool has_slots = false;
  topo::PeCoord from;
  std::uint64_t to_claim = 0;               // of those, the ones without a credit yet
  std::uint64_t returning = 0, parked = 0;  // credits on the wire back, and held back
  std::uint64_t delivered = 0, taken = 0;
  DataRoute* last_data = nullptr;
  mem::PhysAddr slots;   // the receive-buffer block, once a message needed a slot
  Fifo<SendOp*> asking;  // sends waiting for a credit, in the order they asked
  // Of those on the wire, the ones no event brings back (the fabric model told when they land):
  // their landing times, in order. They rejoin when a send or a credit next looks, or at the
  // wake set for the first while a send waits for one.
  Fifo<base::SimTime> landing;
  Fifo<Receiver> receivers;
  Fifo<IpcqMessage> arrived;
  std::vector<int> free_slots;
  Route descriptor, credit;  // sender PE -> receiver PE, and back
  // A route its messages' data took (a queue's mostly move between the same memories), with
  // what Ipcq::may_start needs, worked out when it first does: the route's rate and its window's
  // (route_rates, bytes per ps) and what each stage carries.
  struct DataRoute {
    std::pair<mem::MemoryId, mem::MemoryId> between;
    Route route;
    double route_rate = -1, window_rate = 0;
    std::vector<double> carries;
  };
  std::deque<DataRoute> data;              // (a deque: its elements stay where they are)
  std::deque<base::SimTime> credits_sent;  // when each credit on the wire left (traced runs only)
};

// Laid out by use: what its hand-over (on_handed), the engaged sends' look at it (retire_handed)
// and its DMA grant read first, in one cache line; the message itself after.
struct alignas(64) Ipcq::SendOp {
  Ipcq* sender = nullptr;
  Queue* queue = nullptr;
  base::SimTime descriptor_start, dma_start;  // its hand-over (and for the trace), its DMA's start
  // Once it holds a DMA channel: its data route (and, below, its rate alone on it).
  Queue::DataRoute* path = nullptr;
  sim::EventFn delivered = nullptr;
  void* ctx = nullptr;
  int buffer_slot = -1;
  bool ready = false;    // its destination is known
  bool moving = false;   // its data moves (set when it holds a DMA channel)
  bool handing = false;  // engaged, its hand-over (descriptor_start) set and ahead (on_handed)
  IpcqSend send;
  mem::PhysAddr dst;
  sim::EventFn granted = nullptr;
  // Bytes per ps, worked out when another route's send is engaged at once; < 0 until then.
  double rate = -1;
};

struct Ipcq::ReduceOp {
  Ipcq* owner = nullptr;
  base::SimTime work;
  std::uint64_t elements = 0;
  sim::EventFn done = nullptr;
  void* ctx = nullptr;
};

Ipcq::Ipcq(System& system, topo::PeCoord owner, int depth)
    : system_(system), owner_(owner), depth_(depth) {}

Ipcq::~Ipcq() = default;

void Ipcq::install(IpcqTable table) {
  for (const auto& n : table.peers) system_.pe(n.pe);  // NotFoundError for a PE that is not there
  if (table != table_ && !idle())
    throw base::ConfigError({fmt::format(
        "IPCQ of PE {}: a new neighbour table installed while messages to or from it are under "
        "way (install tables between collectives and kernels, not during them)",
        owner_)});
  windows_.clear();  // (a refused table leaves them as they were)
  if (table == table_) return;
  for (const mem::PhysAddr b : buffers_) system_.allocator().free(b);
  buffers_.clear();
  queues_.clear();
  last_queue_ = nullptr;
  waiting_window_.clear();
  issuing_.clear();
  given_ = {};
  given_size_ = given_used_ = {};
  table_ = std::move(table);
}

bool Ipcq::idle() const {
  if (!issuing_.empty() || !waiting_window_.empty() || ops_.size() != free_ops_.size())
    return false;
  // A credit no event brings back counts as home: nothing waits for it, and no event of this
  // table's is left to run when it lands.
  for (const auto& [key, q] : queues_) {
    const auto unwatched = static_cast<int>(q->landing.size());
    if (q->credits + unwatched < depth_ || !q->asking.empty() || !q->receivers.empty())
      return false;
  }
  return true;
}

void Ipcq::set_receive_buffer(mem::PhysAddr base, base::Bytes size) {
  if (base == given_ && size == given_size_) return;
  for (const auto& [key, q] : queues_)
    if (q->has_slots && q->free_slots.size() != static_cast<std::size_t>(depth_))
      throw base::ConfigError(
          {fmt::format("IPCQ of PE {}: its receive buffer replaced while {} holds a message",
                       owner_, describe(*q))});
  for (const auto& [key, q] : queues_) {
    q->has_slots = false;
    q->free_slots.clear();
  }
  for (const mem::PhysAddr b : buffers_) system_.allocator().free(b);
  buffers_.clear();
  given_ = base;
  given_size_ = size;
  given_used_ = {};
}

void Ipcq::install(std::vector<topo::PeCoord> neighbors) {
  IpcqTable t;
  for (const auto& n : neighbors) t.peers.push_back({"", -1, n});
  install(std::move(t));
}

std::optional<IpcqTable> Ipcq::table_of(const IpcqInit& init, topo::PeCoord pe) {
  for (const auto& t : init.tables) {
    if (t.pe != pe) continue;
    IpcqTable out{t.rank, init.world_size, {}, init.buffer, init.slot_size};
    for (std::size_t i = 0; i < t.neighbors.size(); ++i)
      out.peers.push_back({i < t.roles.size() ? t.roles[i] : std::string(),
                           i < t.ranks.size() ? t.ranks[i] : -1, t.neighbors[i]});
    return out;
  }
  return std::nullopt;
}

std::vector<topo::PeCoord> Ipcq::neighbors() const {
  std::vector<topo::PeCoord> out;
  for (const auto& p : table_.peers) out.push_back(p.pe);
  return out;
}

int Ipcq::slot(std::string_view role) const {
  for (std::size_t i = 0; i < table_.peers.size(); ++i)
    if (table_.peers[i].role == role) return static_cast<int>(i);
  return -1;
}

const IpcqPeer& Ipcq::peer(int slot, std::string_view op) const {
  if (slot < 0 || slot >= static_cast<int>(table_.peers.size()))
    throw base::NotFoundError(
        fmt::format("IPCQ {} on PE {}: neighbour slot {} is not in its table of {} neighbours", op,
                    owner_, slot, table_.peers.size()));
  return table_.peers[static_cast<std::size_t>(slot)];
}

void Ipcq::expose(int window, mem::PhysAddr base, base::Bytes size) {
  windows_[window] = {base, size};
  std::vector<SendOp*> still, now;
  for (SendOp* op : waiting_window_) (op->send.to.window == window ? now : still).push_back(op);
  waiting_window_ = std::move(still);
  for (SendOp* op : now) land(*op);
  for (SendOp* op : now) op->sender->issue();
}

Ipcq::Queue& Ipcq::queue_from(topo::PeCoord from, int channel) {
  if (last_queue_ != nullptr && last_queue_->from == from && last_queue_->channel == channel)
    return *last_queue_;
  auto& q = queues_[{from, channel}];
  last_queue_ = q.get();
  if (!q) {
    Ipcq& sender = system_.pe(from).ipcq();
    q = std::make_unique<Queue>(depth_);
    q->receiver = this;
    q->sender_dma = &system_.pe(from).dma();
    q->from = from;
    q->channel = channel;
    for (const auto& p : table_.peers)
      if (p.pe == from) q->from_rank = p.rank;
    if (q->from_rank < 0) q->from_rank = sender.rank();
    const auto& fabric = system_.fabric();
    q->descriptor = fabric.route(Location::pe(from), Location::pe(owner_));
    q->credit = fabric.route(Location::pe(owner_), Location::pe(from));
    last_queue_ = q.get();
  }
  return *q;
}

std::string Ipcq::describe(const Queue& q) const {
  return fmt::format(
      "IPCQ queue of rank {} on PE {} from rank {} on PE {}, channel {} ({} messages delivered, {} "
      "taken)",
      table_.rank, owner_, q.from_rank, q.from, q.channel, q.delivered, q.taken);
}

Ipcq::SendOp& Ipcq::new_op() {
  if (free_ops_.empty()) {
    ops_.emplace_back();
    return ops_.back();
  }
  SendOp* op = free_ops_.back();
  free_ops_.pop_back();
  return *op;
}

void Ipcq::start_send(const IpcqSend& send, sim::EventFn delivered, void* ctx) {
  const IpcqPeer& to = peer(send.slot, "send");
  Ipcq& receiver = system_.pe(to.pe).ipcq();
  if (send.to.kind == IpcqLanding::Kind::slot && send.size > receiver.table_.slot_size)
    throw base::ShapeError(fmt::format(
        "IPCQ send from PE {} to {} ({}): {} do not fit its receive slots of {} (name a "
        "destination, or send at most a slot)",
        owner_, to.role.empty() ? fmt::format("slot {}", send.slot) : to.role, to.pe, send.size,
        receiver.table_.slot_size));
  start_send_to(to.pe, send, delivered, ctx);
}

void Ipcq::start_send_to(topo::PeCoord to, const IpcqSend& send, sim::EventFn delivered, void* ctx,
                         sim::EventFn granted) {
  Ipcq& receiver = system_.pe(to).ipcq();
  check_fits(receiver, send);
  send_on(receiver.queue_from(owner_, send.channel), send, delivered, ctx, granted);
}

Ipcq::QueueRef Ipcq::queue_to(topo::PeCoord to, int channel) {
  return QueueRef(&system_.pe(to).ipcq().queue_from(owner_, channel));
}

void Ipcq::start_send_on(QueueRef queue, const IpcqSend& send, sim::EventFn delivered, void* ctx,
                         sim::EventFn granted) {
  Queue& q = *queue.queue_;
  KB_ASSERT(q.from == owner_ && q.channel == send.channel,
            "a send goes on a queue from its PE on its channel");
  check_fits(*q.receiver, send);
  send_on(q, send, delivered, ctx, granted);
}

void Ipcq::check_fits(const Ipcq& receiver, const IpcqSend& send) const {
  if (send.to.kind == IpcqLanding::Kind::slot && send.size > receiver.table_.slot_size)
    throw base::ShapeError(
        fmt::format("IPCQ send from PE {} to PE {}: {} do not fit its receive slots of {}", owner_,
                    receiver.owner_, send.size, receiver.table_.slot_size));
}

void Ipcq::send_on(Queue& q, const IpcqSend& send, sim::EventFn delivered, void* ctx,
                   sim::EventFn granted) {
  SendOp& op = new_op();
  op.sender = this;  // (path, rate and moving are set when it holds a DMA channel)
  op.queue = &q;
  op.send = send;
  op.dst = {};
  op.buffer_slot = -1;
  op.ready = false;
  op.delivered = delivered;
  op.granted = granted;
  op.ctx = ctx;
  take_landed(q);
  if (q.credits > 0 && q.asking.empty()) {
    --q.credits;
    return on_credit(op);
  }
  q.asking.push_back(&op);
  wake_for_landing(q);
}

// The credits that have landed since rejoin, in order (each to the first send waiting for one).
void Ipcq::take_landed(Queue& q) {
  const base::SimTime now = q.receiver->system_.engine().now();
  while (!q.landing.empty() && q.landing.front() <= now) {
    q.landing.pop_front();
    --q.returning;
    give_credit(q);
  }
}

// A send waits for a credit that no event brings back: wake when the first one lands.
void Ipcq::wake_for_landing(Queue& q) {
  if (q.wake_set || q.landing.empty() || q.asking.empty()) return;
  q.wake_set = true;
  q.receiver->system_.engine().schedule_at(q.landing.front(), &on_credit_landed, &q);
}

void Ipcq::on_credit_landed(void* p) {
  auto& q = *static_cast<Queue*>(p);
  q.wake_set = false;
  take_landed(q);
  wake_for_landing(q);
}

void Ipcq::expect_sends(topo::PeCoord to, int channel, std::uint64_t messages) {
  if (messages == 0) return;  // nothing announced: later sends return every credit as usual
  Queue& q = system_.pe(to).ipcq().queue_from(owner_, channel);
  q.budgeted = true;
  q.to_claim += messages;
}

void Ipcq::send(sim::Process& p, const IpcqSend& send) {
  sim::Event delivered(fmt::format("IPCQ send from PE {} (slot {})", owner_, send.slot));
  start_send(
      send, [](void* e) { static_cast<sim::Event*>(e)->trigger(); }, &delivered);
  p.wait(delivered);
}

// Holding a credit: the destination is known (a slot is free, since a credit stands for one),
// or the send waits for the receiver to expose the window it names. The sender's DMA engine takes
// its messages in the order they got their credits: one waiting for a window holds up those
// behind it (so a receiver that opens its window a moment late is not served last). Credits the
// batch of expect_sends no longer needs rejoin once its last send has gone on (any send they go
// to asked after it).
void Ipcq::on_credit(SendOp& op) {
  Queue& q = *op.queue;
  std::uint64_t unneeded = 0;
  if (q.budgeted && q.to_claim > 0 && --q.to_claim == 0) std::swap(unneeded, q.parked);
  Ipcq& receiver = *q.receiver;
  Ipcq& sender = *op.sender;
  op.ready = true;
  switch (op.send.to.kind) {
    case IpcqLanding::Kind::slot: receiver.acquire_slot(*op.queue, op); break;
    case IpcqLanding::Kind::address: op.dst = op.send.to.address; break;
    case IpcqLanding::Kind::window:
      if (receiver.windows_.contains(op.send.to.window)) {
        receiver.land(op);
        break;
      }
      op.ready = false;
      receiver.waiting_window_.push_back(&op);
      break;
  }
  if (sender.issuing_.empty() && op.ready)  // none before it: to the DMA engine at once
    sender.to_dma(op);
  else
    sender.issuing_.push_back(&op);
  sender.issue();
  if (op.granted != nullptr) op.granted(op.ctx);
  for (; unneeded > 0; --unneeded) give_credit(q);
}

// A credit back at the sender goes to the first send waiting for one, at once.
void Ipcq::give_credit(Queue& q) {
  if (q.asking.empty()) {
    ++q.credits;
    return;
  }
  SendOp& next = *q.asking.front();
  q.asking.pop_front();
  on_credit(next);
}

void Ipcq::issue() {
  while (!issuing_.empty() && issuing_.front()->ready) {
    SendOp* op = issuing_.front();
    issuing_.pop_front();
    to_dma(*op);
  }
}

void Ipcq::to_dma(SendOp& op) {
  // A free DMA channel starts the data in this call (no grant event at the same instant).
  if (op.queue->sender_dma->try_acquire())
    on_dma(&op);
  else
    op.queue->sender_dma->acquire(&on_dma, &op);
}

void Ipcq::land(SendOp& op) {
  const Window& w = windows_.at(op.send.to.window);
  if (op.send.to.offset + op.send.size > w.size)
    throw base::ShapeError(fmt::format(
        "IPCQ send from PE {} to PE {}: {} at offset {} leave window {} of {} bytes",
        op.sender->owner_, owner_, op.send.size, op.send.to.offset, op.send.to.window, w.size));
  op.dst = w.base + op.send.to.offset;
  op.ready = true;
}

void Ipcq::acquire_slot(Queue& q, SendOp& op) {
  if (!q.has_slots) {
    const base::Bytes size = table_.slot_size * static_cast<std::uint64_t>(depth_);
    auto& alloc = system_.allocator();
    if (given_used_ + size <= given_size_) {
      q.slots = given_ + given_used_;
      given_used_ += size;
    } else {
      switch (table_.buffer) {
        case mem::MemoryKind::tcm: q.slots = alloc.allocate_tcm(owner_, size); break;
        case mem::MemoryKind::sram: q.slots = alloc.allocate_sram(owner_.cube_coord(), size); break;
        case mem::MemoryKind::hbm: q.slots = alloc.allocate_hbm(owner_, size); break;
      }
      buffers_.push_back(q.slots);
    }
    q.has_slots = true;
    for (int s = depth_; s-- > 0;) q.free_slots.push_back(s);
  }
  KB_ASSERT(!q.free_slots.empty(), "a credit stands for a free receive slot");
  op.buffer_slot = q.free_slots.back();
  q.free_slots.pop_back();
  op.dst = q.slots + table_.slot_size * static_cast<std::uint64_t>(op.buffer_slot);
}

// A DMA channel holds the send: its data moves now, unless it would share a stage with sends this
// engine took earlier on other routes that the stage cannot carry at their full rates together.
// The engine serves its channels oldest first: a younger channel's chunks enter the fabric once
// the older transfers it would slow have sent theirs (at their rates alone), so a second channel
// never makes a transfer slower than one channel would (transfers along one route already pass
// in order, hw::RouteQueue). A send held back waits on its channel.
void Ipcq::on_dma(void* p) {
  auto& op = *static_cast<SendOp*>(p);
  Ipcq& sender = *op.sender;
  Queue& q = *op.queue;
  const std::pair between{op.send.src.memory(), op.dst.memory()};
  if (q.last_data == nullptr || q.last_data->between != between) {
    auto it = std::find_if(q.data.begin(), q.data.end(),
                           [&](const Queue::DataRoute& d) { return d.between == between; });
    if (it == q.data.end()) {
      q.data.push_back({between,
                        sender.system_.fabric().route(Location::memory(between.first),
                                                      Location::memory(between.second)),
                        -1,
                        0,
                        {}});
      it = std::prev(q.data.end());
    }
    q.last_data = &*it;
  }
  op.path = q.last_data;
  op.rate = -1;
  op.moving = false;
  sender.retire_handed();
  bool one_path = true;  // every send engaged before it moves on its route (mostly, one queue's)
  for (const SendOp* a : sender.engaged_) one_path = one_path && a->path == op.path;
  sender.engaged_.push_back(&op);
  if (one_path || sender.may_start(sender.engaged_.size() - 1)) {
    sender.start_data(op);
  } else {
    ++sender.held_;
    if (sender.handing_ > 0) sender.wake_at_handover();
  }
}

// A timing-only send, untraced: where the fabric model can, its data and descriptor are timed as
// one transfer, with no event at the hand-over (nothing is written then). Once the model knows
// the hand-over time, the DMA channel is freed as of it and the send leaves the engaged ones as
// of it (retire_handed: it stays among them, sent, until then); sends held back meanwhile are
// looked at again then, as its leaving would have them.
void Ipcq::start_data(SendOp& op) {
  op.moving = true;
  op.handing = false;
  op.dma_start = system_.engine().now();
  if (!op.send.move_bytes && system_.engine().trace_sink() == nullptr &&
      system_.transfers().start_followed(op.path->route, op.send.size, op.queue->descriptor,
                                         kDescriptorBytes, &on_handed, &on_descriptor, &op))
    return;
  system_.transfers().start(op.path->route, op.send.size, &on_data, &op);
}

void Ipcq::on_handed(void* p, base::SimTime at) {
  auto& op = *static_cast<SendOp*>(p);
  Ipcq& sender = *op.sender;
  op.descriptor_start = at;
  if (at == sender.system_.engine().now()) {
    sender.disengage(op);
  } else {
    op.handing = true;
    ++sender.handing_;
    if (sender.held_ > 0) sender.wake_at(at);
  }
  op.queue->sender_dma->release_at(at);
}

// The engaged sends handed over by now leave, in order (as disengage would have at the time).
void Ipcq::retire_handed() {
  if (handing_ == 0) return;
  const base::SimTime now = system_.engine().now();
  std::erase_if(engaged_, [&](SendOp* op) {
    if (!op->handing || op->descriptor_start > now) return false;
    op->handing = false;
    --handing_;
    return true;
  });
}

// Held sends are looked at again at `t` (or sooner, if a look is due sooner).
void Ipcq::wake_at(base::SimTime t) {
  if (wake_pending_ && wake_ <= t) return;
  wake_ = t;
  wake_pending_ = true;
  system_.engine().schedule_at(t, &on_wake, this);
}

// The earliest hand-over of a send still engaged, where held sends are looked at again.
void Ipcq::wake_at_handover() {
  base::SimTime first = base::SimTime::max();
  for (const SendOp* a : engaged_)
    if (a->handing) first = std::min(first, a->descriptor_start);
  if (first != base::SimTime::max()) wake_at(first);
}

namespace {
// The first and last channel: what tells one route from another (hw::RouteQueue::key).
bool same_route(const Route& a, const Route& b) {
  return a.stages.empty() || b.stages.empty()
             ? a.stages.empty() && b.stages.empty()
             : a.stages.front() == b.stages.front() && a.stages.back() == b.stages.back();
}

// may_start's sums per channel index, kept zero between calls (one set per thread: systems on
// one thread run one at a time).
struct ChannelSums {
  std::vector<double> load, own;
  std::vector<base::SimTime> clear;
  std::vector<char> held;
  void fit(std::size_t channels) {
    if (load.size() >= channels) return;
    load.resize(channels);
    own.resize(channels);
    clear.resize(channels);
    held.resize(channels);
  }
};
thread_local ChannelSums sums;
}  // namespace

double Ipcq::rate_of(SendOp& op) const {
  if (op.rate >= 0) return op.rate;
  Queue::DataRoute& d = *op.path;
  const Bytes chunk = system_.transfers().chunk_size();
  const int in_flight = system_.spec().cube.pe.dma.chunks_in_flight;
  const std::vector<Channel*>& stages = d.route.stages;
  if (d.route_rate < 0 && !stages.empty()) {
    const Bytes window = chunk * static_cast<std::uint64_t>(in_flight);
    const RouteRates r = route_rates(d.route, window + Bytes(1), chunk, in_flight);
    d.route_rate = r.route;
    d.window_rate = r.window;
    for (std::size_t s = 0; s < stages.size(); ++s) {
      Channel* c = stages[s];
      double carries = static_cast<double>(c->bandwidth().bytes_per_second()) * 1e-12;
      if (s + 1 < stages.size()) carries = std::min(carries, buffer_rate(*c, chunk));
      d.carries.push_back(carries);
    }
  }
  if (stages.empty()) return op.rate = 0;
  const bool fits_window = op.send.size <= chunk * static_cast<std::uint64_t>(in_flight);
  return op.rate = fits_window ? d.route_rate : std::min(d.route_rate, d.window_rate);
}

// When a moving send's chunks have all entered the fabric, at its rate alone.
base::SimTime Ipcq::sent_by(SendOp& op) const {
  const double rate = rate_of(op);
  if (rate <= 0) return op.dma_start;
  return op.dma_start + base::SimTime::from_ps(static_cast<std::int64_t>(
                            std::ceil(static_cast<double>(op.send.size.count()) / rate)));
}

// Whether engaged_[i] may move now alongside the sends engaged before it that are still sending
// (held back or moving): at every channel its route shares with theirs (on other routes), their
// rates and its own fit what the channel carries (its bandwidth, and its buffer over a chunk's
// credit round trip where the route goes on from it). If not, `wake_` is brought forward to when
// the moving ones in its way will have sent. A send held back by its own DMA window (chunks in
// flight) is in nobody's way: the engine fills the slots its window leaves with younger chunks.
bool Ipcq::may_start(std::size_t i) {
  SendOp& b = *engaged_[i];
  const base::SimTime now = system_.engine().now();
  in_way_.clear();
  for (std::size_t j = 0; j < i; ++j) {
    SendOp& a = *engaged_[j];
    if (a.path == b.path || same_route(a.path->route, b.path->route)) continue;
    const double rate = rate_of(a);  // (works out a.path's rates)
    if ((!a.moving || sent_by(a) > now) && rate >= a.path->route_rate) in_way_.push_back(&a);
  }
  if (in_way_.empty()) return true;
  sums.fit(system_.fabric().channels().size());
  for (SendOp* a : in_way_) {
    const double rate = rate_of(*a);
    const base::SimTime sent = a->moving ? sent_by(*a) : base::SimTime();
    for (const Channel* c : a->path->route.stages) {
      const std::uint32_t k = c->index();
      sums.load[k] += rate;
      if (a->moving)
        sums.clear[k] = std::max(sums.clear[k], sent);
      else
        sums.held[k] = 1;
    }
  }
  const std::vector<Channel*>& stages = b.path->route.stages;
  const double own = rate_of(b);
  for (const Channel* c : stages) sums.own[c->index()] += own;
  bool fits = true;
  base::SimTime until = base::SimTime::max();
  for (std::size_t s = 0; s < stages.size(); ++s) {
    const std::uint32_t k = stages[s]->index();
    if (sums.load[k] == 0 && sums.held[k] == 0) continue;
    if (sums.load[k] + sums.own[k] <= b.path->carries[s] * (1 + 1e-9)) continue;
    fits = false;
    if (sums.held[k] == 0) until = std::min(until, sums.clear[k]);
  }
  for (SendOp* a : in_way_)
    for (const Channel* c : a->path->route.stages) {
      const std::uint32_t k = c->index();
      sums.load[k] = 0;
      sums.clear[k] = base::SimTime();
      sums.held[k] = 0;
    }
  for (const Channel* c : stages) sums.own[c->index()] = 0;
  if (!fits && until != base::SimTime::max()) wake_at(until);
  return fits;
}

// The sends held back that may move now start, oldest first.
void Ipcq::start_held() {
  for (std::size_t i = 0; i < engaged_.size() && held_ > 0; ++i)
    if (!engaged_[i]->moving && may_start(i)) {
      --held_;
      start_data(*engaged_[i]);
    }
}

void Ipcq::on_wake(void* p) {
  auto& self = *static_cast<Ipcq*>(p);
  if (!self.wake_pending_ || self.system_.engine().now() != self.wake_) return;  // superseded
  self.wake_pending_ = false;
  self.retire_handed();
  self.start_held();
  if (self.held_ > 0 && self.handing_ > 0) self.wake_at_handover();
}

// A send's data has moved: it gives up its place among the engaged ones.
void Ipcq::disengage(SendOp& op) {
  retire_handed();
  engaged_.erase(std::find(engaged_.begin(), engaged_.end(), &op));
  if (held_ > 0) start_held();
}

sim::TraceTrack* Ipcq::trace_track() {
  if (system_.engine().trace_sink() == nullptr) return nullptr;
  return &system_.pe(owner_).trace_track(TrackKind::ipcq);
}

void Ipcq::on_data(void* p) {
  auto& op = *static_cast<SendOp*>(p);
  System& system = op.sender->system_;
  op.sender->disengage(op);
  op.queue->sender_dma->release();
  sim::Engine& engine = system.engine();
  op.descriptor_start = engine.now();
  if (sim::TraceSink* sink = engine.trace_sink()) {
    const Queue& q = *op.queue;
    sink->busy_span(
        system.pe(q.from).trace_track(TrackKind::dma).id_in(*sink), "ipcq send", op.dma_start,
        op.descriptor_start,
        std::array{sim::TraceArg{"bytes", static_cast<std::int64_t>(op.send.size.count())},
                   sim::TraceArg{"to_rank", q.receiver->table_.rank},
                   sim::TraceArg{"channel", q.channel}});
  }
  if (op.send.move_bytes && op.send.size.count() > 0) {
    if (op.send.payload)
      system.bytes().write(op.dst, *op.send.payload);
    else
      system.copy_bytes(op.send.src, op.dst, op.send.size);
  }
  system.transfers().start(op.queue->descriptor, kDescriptorBytes, &on_descriptor, &op,
                           TrafficClass::control);
}

void Ipcq::on_descriptor(void* p) {
  auto& op = *static_cast<SendOp*>(p);
  Queue& q = *op.queue;
  Ipcq& sender = *op.sender;
  const sim::EventFn delivered = op.delivered;
  void* ctx = op.ctx;
  if (sim::TraceTrack* track = q.receiver->trace_track()) {  // its arrival, at the receiver
    sim::TraceSink& sink = *sender.system_.engine().trace_sink();
    sink.busy_span(
        track->id_in(sink), "descriptor", op.descriptor_start, sender.system_.engine().now(),
        std::array{sim::TraceArg{"from_rank", q.from_rank},
                   sim::TraceArg{"tag", static_cast<std::int64_t>(op.send.descriptor[0])}});
    sink.flow(sender.system_.pe(q.from).trace_track(TrackKind::dma).id_in(sink), op.dma_start,
              track->id_in(sink), op.descriptor_start);
  }
  if (op.handing) sender.retire_handed();  // (a send that is freed is never engaged)
  IpcqMessage m{sender.owner_, q.from_rank,  q.channel,     op.send.descriptor,
                op.dst,        op.send.size, op.buffer_slot};
  op.send.payload.reset();
  sender.free_ops_.push_back(&op);
  q.receiver->deliver(q, std::move(m));
  if (delivered != nullptr) delivered(ctx);
}

void Ipcq::deliver(Queue& q, IpcqMessage message) {
  ++q.delivered;
  for (auto it = q.receivers.begin(); it != q.receivers.end(); ++it)
    if (!it->tag || *it->tag == message.descriptor[0]) {
      const Receiver r = *it;
      if (it == q.receivers.begin())
        q.receivers.pop_front();
      else
        q.receivers.erase(it);
      ++q.taken;
      return r.fn(r.ctx, message);
    }
  q.arrived.push_back(std::move(message));
}

void Ipcq::start_receive(int slot, int channel, std::optional<std::uint64_t> tag, ReceiveFn fn,
                         void* ctx) {
  start_receive_from(peer(slot, "receive").pe, channel, tag, fn, ctx);
}

void Ipcq::start_receive_from(topo::PeCoord from, int channel, std::optional<std::uint64_t> tag,
                              ReceiveFn fn, void* ctx) {
  receive_on(queue_from(from, channel), tag, fn, ctx);
}

void Ipcq::start_receive_on(QueueRef queue, std::optional<std::uint64_t> tag, ReceiveFn fn,
                            void* ctx) {
  KB_ASSERT(queue.queue_->receiver == this, "a receive waits on a queue to its PE");
  receive_on(*queue.queue_, tag, fn, ctx);
}

void Ipcq::receive_on(Queue& q, std::optional<std::uint64_t> tag, ReceiveFn fn, void* ctx) {
  for (auto it = q.arrived.begin(); it != q.arrived.end(); ++it)
    if (!tag || *tag == it->descriptor[0]) {
      const IpcqMessage m = std::move(*it);
      q.arrived.erase(it);
      ++q.taken;
      return fn(ctx, m);
    }
  q.receivers.push_back({tag, fn, ctx});
}

IpcqMessage Ipcq::receive(sim::Process& p, int slot, int channel,
                          std::optional<std::uint64_t> tag) {
  Queue& q = queue_from(peer(slot, "receive").pe, channel);
  struct Wait {
    sim::Event got;
    IpcqMessage message;
  } w{sim::Event(fmt::format("{}: receive{}", describe(q),
                             tag ? fmt::format(" of tag {}", *tag) : std::string())),
      {}};
  start_receive(
      slot, channel, tag,
      [](void* ctx, const IpcqMessage& m) {
        auto& w = *static_cast<Wait*>(ctx);
        w.message = m;
        w.got.trigger();
      },
      &w);
  p.wait(w.got);
  return w.message;
}

void Ipcq::release(const IpcqMessage& message) {
  release_on(QueueRef(&queue_from(message.from, message.channel)), message);
}

void Ipcq::release_on(QueueRef queue, const IpcqMessage& message) {
  Queue& q = *queue.queue_;
  KB_ASSERT(q.receiver == this && q.from == message.from && q.channel == message.channel,
            "a message is released on the queue it came on");
  if (message.buffer_slot >= 0) q.free_slots.push_back(message.buffer_slot);
  return_credit(q);
}

// Under expect_sends a credit travels back only while the announced sends still to take one
// outnumber the credits the sender holds or has coming; the others wait at the receiver until
// the last announced send has its credit (or rejoin at once after it).
void Ipcq::return_credit(Queue& q) {
  take_landed(q);
  if (q.budgeted && q.to_claim <= static_cast<std::uint64_t>(q.credits) + q.returning) {
    if (q.to_claim > 0) {
      ++q.parked;
      return;
    }
    give_credit(q);
    if (q.credits == depth_) q.budgeted = false;
    return;
  }
  ++q.returning;
  const base::SimTime now = system_.engine().now();
  // Where the fabric model can tell now when the credit lands and no send waits for it, it needs
  // no event: it rejoins when someone next looks (take_landed).
  if (q.asking.empty())
    if (const auto landing = system_.transfers().start_unwatched_control(q.credit, kCreditBytes)) {
      q.landing.push_back(*landing);
      if (sim::TraceTrack* track = trace_track())
        system_.engine().trace_sink()->busy_span(track->id_in(*system_.engine().trace_sink()),
                                                 "credit", now, *landing,
                                                 std::array{sim::TraceArg{"to_rank", q.from_rank}});
      return;
    }
  if (trace_track() != nullptr) q.credits_sent.push_back(now);
  system_.transfers().start(q.credit, kCreditBytes, &on_credit_back, &q, TrafficClass::control);
}

void Ipcq::on_credit_back(void* p) {
  auto& q = *static_cast<Queue*>(p);
  take_landed(q);  // those that left before it are back before it
  --q.returning;
  if (!q.credits_sent.empty()) {  // credits of one queue travel one route and arrive in order
    Ipcq& receiver = *q.receiver;
    if (sim::TraceTrack* track = receiver.trace_track())
      receiver.system_.engine().trace_sink()->busy_span(
          track->id_in(*receiver.system_.engine().trace_sink()), "credit", q.credits_sent.front(),
          receiver.system_.engine().now(), std::array{sim::TraceArg{"to_rank", q.from_rank}});
    q.credits_sent.pop_front();
  }
  give_credit(q);
}

void Ipcq::reduce_received(base::SimTime work, std::uint64_t elements, sim::EventFn done,
                           void* ctx) {
  if (vector_ == nullptr) vector_ = &system_.pe(owner_).vector_unit();
  // Untraced, the unit calls back the caller itself (on_reduced only records the span).
  if (system_.engine().trace_sink() == nullptr) return vector_->request(work, done, ctx);
  ReduceOp* op = nullptr;
  if (free_reduces_.empty()) {
    op = &reduces_.emplace_back();
  } else {
    op = free_reduces_.back();
    free_reduces_.pop_back();
  }
  *op = ReduceOp{this, work, elements, done, ctx};
  vector_->request(work, &on_reduced, op);
}

// The unit calls back when the service ends, so the reduction ran [now - work, now).
void Ipcq::on_reduced(void* p) {
  auto& op = *static_cast<ReduceOp*>(p);
  Ipcq& self = *op.owner;
  const ReduceOp done = op;
  self.free_reduces_.push_back(&op);
  sim::Engine& engine = self.system_.engine();
  if (sim::TraceSink* sink = engine.trace_sink())
    sink->busy_span(
        self.system_.pe(self.owner_).trace_track(TrackKind::vector).id_in(*sink), "reduce",
        engine.now() - done.work, engine.now(),
        std::array{sim::TraceArg{"elements", static_cast<std::int64_t>(done.elements)}});
  done.done(done.ctx);
}

std::size_t Ipcq::queued() const {
  std::size_t n = 0;
  for (const auto& [key, q] : queues_) n += q->arrived.size();
  return n;
}

}  // namespace kernbench::hw
