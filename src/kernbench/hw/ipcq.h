// A PE's inter-PE communication queue, the one implementation of the IPCQ protocol. The installed
// table names each neighbour by slot, with its role ("ring.next") and rank. Between a sender and a
// receiver there is one queue per channel, with `depth` credits held by the sender: a send takes a
// credit, its data moves by DMA over the fabric (data traffic) into the receiver's memory, then its
// descriptor travels to the receiver (control traffic) and enters the queue; when the receiver is
// done with the message, the credit travels back (control traffic). Every step is timed by the
// fabric like any other transfer. Processes use the blocking forms; executors the callback forms.
// With a trace sink attached, a message's DMA is a busy span on the sender's "dma" track, its
// arrival (descriptor, with a flow from its DMA) and returned credit on the receiver's "ipcq"
// track, a reduction of received data (reduce_received) one on the receiver's "vector" track.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kernbench/hw/fabric.h"
#include "kernbench/mem/memory_id.h"
#include "kernbench/mem/phys_addr.h"
#include "kernbench/sim/event.h"
#include "kernbench/sim/event_queue.h"
#include "kernbench/sim/resource.h"  // what includers of pe.h have long found here
#include "kernbench/sim/store.h"
#include "kernbench/topo/coord.h"

namespace kernbench::sim {
class Process;
}

namespace kernbench::hw {

class System;
struct IpcqInit;

/// One slot of a neighbour table: what it is for, the neighbour's rank and its PE.
struct IpcqPeer {
  std::string role;  // "ring.next", "parent", "child0" ... (empty when installed without roles)
  int rank = -1;     // -1 when installed without ranks
  topo::PeCoord pe;
  bool operator==(const IpcqPeer&) const = default;
};

/// What a PE's IPCQ is told at installation: its own rank, the world size, its neighbours, and
/// where messages that name no destination land (one slot of `slot_size` per credit and queue,
/// allocated in `buffer` memory near the PE when a queue first needs it).
struct IpcqTable {
  int rank = -1;
  int world_size = 0;
  std::vector<IpcqPeer> peers;
  mem::MemoryKind buffer = mem::MemoryKind::tcm;
  base::Bytes slot_size{0};
  bool operator==(const IpcqTable&) const = default;
};

/// Where a message's data lands in the receiver: a free slot of the queue's receive buffer, an
/// address, or an offset into a window the receiver exposed (Ipcq::expose).
struct IpcqLanding {
  enum class Kind : std::uint8_t { slot, address, window };
  Kind kind = Kind::slot;
  mem::PhysAddr address;
  int window = 0;
  base::Bytes offset;

  static IpcqLanding in_slot() { return {}; }
  static IpcqLanding at(mem::PhysAddr pa) { return {Kind::address, pa, 0, {}}; }
  static IpcqLanding in_window(int window, base::Bytes offset) {
    return {Kind::window, {}, window, offset};
  }
};

/// One message to send.
struct IpcqSend {
  int slot = 0;     // the neighbour, by its slot in the sender's table
  int channel = 0;  // the queue to it (queues of different channels share nothing but the links)
  mem::PhysAddr src;
  base::Bytes size;
  IpcqLanding to;
  std::array<std::uint64_t, 4> descriptor{};  // word 0 is the tag a receive may match
  /// When set, the bytes written on landing (a tile from the sender's TCM; `src` still says where
  /// the DMA reads, for timing).
  std::shared_ptr<const std::vector<std::byte>> payload{};
  bool move_bytes = true;  // false: timing only, the byte store is not touched
};

/// What a receiver gets: who sent it, its descriptor, and where its data landed.
struct IpcqMessage {
  topo::PeCoord from;
  int from_rank = -1;
  int channel = 0;
  std::array<std::uint64_t, 4> descriptor{};
  mem::PhysAddr data;
  base::Bytes size;
  int buffer_slot = -1;  // the receive-buffer slot it holds until released (-1: none)
};

class Ipcq {
  struct Queue;

 public:
  /// Descriptor bytes on the wire (what a message costs beyond its data).
  static constexpr base::Bytes kDescriptorBytes{64};
  /// A returned credit on the wire.
  static constexpr base::Bytes kCreditBytes{16};
  /// Called with a message once it is in the queue (receive's callback form).
  using ReceiveFn = void (*)(void* ctx, const IpcqMessage& message);

  Ipcq(System& system, topo::PeCoord owner, int depth);
  Ipcq(const Ipcq&) = delete;
  Ipcq& operator=(const Ipcq&) = delete;
  ~Ipcq();

  /// Installs a table (replacing any earlier one and its queues); every PE must exist. The same
  /// table again keeps the queues (and their credits) and drops only the windows. A different
  /// table while a message to or from this PE is under way is a ConfigError.
  void install(IpcqTable table);
  /// Installs bare neighbours (no roles, ranks, world size or receive buffer).
  void install(std::vector<topo::PeCoord> neighbors);
  /// This PE's table of the request, if it has one: rank, roles and world size as given.
  static std::optional<IpcqTable> table_of(const IpcqInit& init, topo::PeCoord pe);

  const IpcqTable& table() const { return table_; }
  std::vector<topo::PeCoord> neighbors() const;
  int rank() const { return table_.rank; }
  int world_size() const { return table_.world_size; }
  /// The slot holding `role`, or -1.
  int slot(std::string_view role) const;
  int depth() const { return depth_; }
  topo::PeCoord owner() const { return owner_; }

  /// Lets senders land data at [base, base + size) by window number (replaces that window).
  void expose(int window, mem::PhysAddr base, base::Bytes size);
  /// Receive slots come from [base, base + size) (the caller's memory), `depth` x slot_size per
  /// queue in the order queues first need them; past its end they are allocated as before. A size
  /// of 0 goes back to allocating. Queues that hold slots give them up (none may be in use).
  void set_receive_buffer(mem::PhysAddr base, base::Bytes size);
  /// No message to or from this PE is under way and no credit is on its way back.
  bool idle() const;

  /// Callback form: takes a credit (waiting for one), moves the data on a DMA channel of this PE,
  /// then the descriptor; delivered(ctx) runs when the message is in the receiver's queue.
  /// Errors (NotFoundError, ShapeError) are thrown here, before anything moves.
  void start_send(const IpcqSend& send, sim::EventFn delivered, void* ctx);
  /// The same to any PE, in its table or not (`send.slot` is not read). granted(ctx), if given,
  /// runs when the send holds its credit (so a sender may hand over its sends a credit's worth at
  /// a time and keep the rest as it likes: credits are granted in the order sends ask).
  void start_send_to(topo::PeCoord to, const IpcqSend& send, sim::EventFn delivered, void* ctx,
                     sim::EventFn granted = nullptr);
  /// The next `messages` sends to `to` on `channel` are the last until the next call: a credit
  /// none of them will take is not sent back over the fabric but rejoins the sender's credits
  /// once the last of them has its credit, so nothing is on the wire when they are done.
  void expect_sends(topo::PeCoord to, int channel, std::uint64_t messages);
  /// Process form: blocks `p` until the message is in the receiver's queue.
  void send(sim::Process& p, const IpcqSend& send);

  /// A queue named once (queue_to), so an executor that sends, receives and releases on it many
  /// times skips finding it and its PEs each time. Valid until the receiver installs a
  /// different table.
  class QueueRef {
   public:
    QueueRef() = default;

   private:
    friend class Ipcq;
    explicit QueueRef(Queue* queue) : queue_(queue) {}
    Queue* queue_ = nullptr;
  };
  /// The queue from this PE to `to` on `channel` (made now if new).
  QueueRef queue_to(topo::PeCoord to, int channel);
  /// start_send_to on `queue`, a queue from this PE.
  void start_send_on(QueueRef queue, const IpcqSend& send, sim::EventFn delivered, void* ctx,
                     sim::EventFn granted = nullptr);
  /// start_receive_from on `queue`, a queue to this PE.
  void start_receive_on(QueueRef queue, std::optional<std::uint64_t> tag, ReceiveFn fn, void* ctx);
  /// release of a message that came on `queue`, a queue to this PE.
  void release_on(QueueRef queue, const IpcqMessage& message);

  /// Callback form: fn(ctx, message) runs with the oldest message on the queue from the
  /// neighbour in `slot` on `channel` whose tag (descriptor word 0) is `tag` (any tag if none),
  /// once there is one -- at once, before this returns, if there is one already.
  void start_receive(int slot, int channel, std::optional<std::uint64_t> tag, ReceiveFn fn,
                     void* ctx);
  /// The same for the queue from any PE.
  void start_receive_from(topo::PeCoord from, int channel, std::optional<std::uint64_t> tag,
                          ReceiveFn fn, void* ctx);
  /// Process form: blocks `p` until such a message is queued and takes it. A receive no send
  /// can match ends the run in a DeadlockError naming the queue and both ranks.
  IpcqMessage receive(sim::Process& p, int slot, int channel = 0,
                      std::optional<std::uint64_t> tag = std::nullopt);
  /// The receiver is done with `message`: its buffer slot frees and its credit travels back.
  void release(const IpcqMessage& message);

  /// Messages waiting in this PE's queues (received, not yet taken).
  std::size_t queued() const;

  /// Callback form: reduces `elements` received elements on this PE's vector unit for `work`
  /// (FIFO behind its other users); done(ctx) runs when the reduction ends. The same timing as a
  /// plain vector_unit().request, recorded as a "reduce" span on the unit's trace track.
  void reduce_received(base::SimTime work, std::uint64_t elements, sim::EventFn done, void* ctx);

 private:
  struct SendOp;
  struct Receiver;
  struct ReduceOp;

  const IpcqPeer& peer(int slot, std::string_view op) const;
  Queue& queue_from(topo::PeCoord from, int channel);
  void check_fits(const Ipcq& receiver, const IpcqSend& send) const;
  void send_on(Queue& q, const IpcqSend& send, sim::EventFn delivered, void* ctx,
               sim::EventFn granted);
  void receive_on(Queue& q, std::optional<std::uint64_t> tag, ReceiveFn fn, void* ctx);
  std::string describe(const Queue& q) const;
  void acquire_slot(Queue& q, SendOp& op);
  void return_credit(Queue& q);
  void land(SendOp& op);
  void issue();
  void to_dma(SendOp& op);
  void deliver(Queue& q, IpcqMessage message);
  SendOp& new_op();
  static void on_credit(SendOp& op);
  static void give_credit(Queue& q);
  static void take_landed(Queue& q);
  static void wake_for_landing(Queue& q);
  static void on_credit_landed(void* queue);
  static void on_dma(void* op);
  void start_data(SendOp& op);
  double rate_of(SendOp& op) const;
  base::SimTime sent_by(SendOp& op) const;
  bool may_start(std::size_t i);
  void start_held();
  void disengage(SendOp& op);
  static void on_wake(void* self);
  static void on_data(void* op);
  static void on_handed(void* op, base::SimTime at);
  void retire_handed();
  void wake_at(base::SimTime t);
  void wake_at_handover();
  static void on_descriptor(void* op);
  static void on_credit_back(void* op);
  static void on_reduced(void* op);
  /// This PE's "ipcq" trace track, or null when no sink is attached (nothing to format then).
  sim::TraceTrack* trace_track();

  System& system_;
  // A send's hand-over reads these with system_ (the engine's clock): kept in its line.
  std::vector<SendOp*> engaged_;  // this PE's sends holding a DMA channel, oldest first
  std::size_t held_ = 0;          // of those, the ones held back (not moving)
  std::size_t handing_ = 0;       // and the ones whose hand-over is set, not yet retired
  topo::PeCoord owner_;
  int depth_;
  IpcqTable table_;
  std::map<std::pair<topo::PeCoord, int>, std::unique_ptr<Queue>> queues_;  // by (sender, channel)
  Queue* last_queue_ = nullptr;  // the one queue_from found last (most PEs hear from one)
  struct Window {
    mem::PhysAddr base;
    base::Bytes size;
  };
  std::map<int, Window> windows_;
  std::vector<SendOp*> waiting_window_;  // sends to this PE holding a credit, window not exposed
  std::deque<SendOp*> issuing_;          // this PE's sends holding a credit, in order, not yet
                                         // handed to its DMA engine
  std::vector<SendOp*> in_way_;          // (may_start's scratch)
  base::SimTime wake_;                   // when held sends are next looked at, if wake_pending_
  bool wake_pending_ = false;
  std::vector<mem::PhysAddr> buffers_;   // receive-buffer blocks allocated so far
  mem::PhysAddr given_;                  // the receive buffer set_receive_buffer gave, its size
  base::Bytes given_size_, given_used_;  // and the bytes of it queues took
  std::deque<SendOp> ops_;               // this PE's sends (pooled)
  std::vector<SendOp*> free_ops_;
  std::deque<ReduceOp> reduces_;  // reductions on this PE's vector unit (pooled)
  std::vector<ReduceOp*> free_reduces_;
  sim::Resource* vector_ = nullptr;  // this PE's vector unit, once a reduction used it
};

}  // namespace kernbench::hw
