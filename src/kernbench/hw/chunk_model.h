// The reference fabric model (topo::FabricModel::chunks): a transfer is cut into DMA chunks that
// move stage by stage the way on-chip networks move packets. A channel serves one data chunk at a
// time (control traffic passes beside it, on a port of its own), the data transfer with the fewest
// chunks served there since it joined (round-robin while all have chunks waiting; one held upstream
// catches up a little). A chunk moves on only when the buffer at the channel's receiving end has
// room on its lane (traffic class x virtual channel): the credit comes back over the link's latency
// once the chunk starts to leave that buffer, so a slow stage back-pressures its route up to the
// DMA engine, which keeps at most `chunks_in_flight` chunks of a transfer sent and not yet landed.
// The last stage of a route delivers into its memory or PE and needs no credit. A transfer's chunks
// are sent once those ahead of it on its route have let it (hw::RouteQueue: when their last chunks
// reach the route's bottleneck just in time for its first chunk to follow them).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "kernbench/hw/transfer_model.h"
#include "kernbench/sim/engine.h"

namespace kernbench::hw {

// Its ports keep their channels' busy runs and counts (every chunk served reads a port anyway) and
// record them in the channels before those are read (Channel::PendingFlows).
class ChunkModel final : public TransferModel, private Channel::PendingFlows {
 public:
  /// Times transfers over `fabric`'s channels on `engine` in chunks of `chunk_size` (> 0), at most
  /// `chunks_in_flight` (> 0) per transfer.
  ChunkModel(sim::Engine& engine, const Fabric& fabric, Bytes chunk_size, int chunks_in_flight);
  ChunkModel(const ChunkModel&) = delete;
  ChunkModel& operator=(const ChunkModel&) = delete;
  ~ChunkModel() override;

  void start(const Route& route, Bytes size, TrafficClass traffic, sim::EventFn done,
             void* ctx) override;
  /// A member done before its group's last, and whose chunks all fit its window (so nothing of it
  /// is left to happen), has no finish event: the group's last member is handed over last.
  void start_in_group(const Route& route, Bytes size, TransferGroup& group) override;
  std::uint64_t chunk_hops() const override { return chunk_hops_; }
  std::string describe_stall() const override;

 private:
  struct Transfer;
  struct Stage;
  struct Port;
  class Turns;

  static void on_arrival(void* stage);
  static void on_landed(void* transfer);
  static void on_finished(void* transfer);
  // A group member's `done` (its ctx the TransferGroup): counted when its last chunk is served
  // at its last stage (see finish), never run.
  static void grouped(void* group);
  static void nothing(void*) {}
  static void on_wake(void* port);
  struct RouteFacts;
  // A data transfer waiting behind the earlier ones of its route: what it needs to enter (made:
  // the transfer itself, when made at its start).
  struct Waiting {
    std::uint64_t size = 0;
    sim::EventFn done = nullptr;
    void* ctx = nullptr;
    Transfer* made = nullptr;
  };
  void start_data(const Route& route, const Waiting& w);
  // Waiting transfers in arrival order, a run of alike ones (a DMA request's rows of one size,
  // none made yet) as one record with a count: the front record in the object (read by every
  // transfer that enters, beside the route's other facts), the later ones in a ring reused as it
  // cycles.
  class WaitingRing {
   public:
    bool empty() const { return count_ == 0; }
    // Transfers waiting (not records).
    std::size_t size() const { return count_; }
    const Waiting& front() const { return front_.w; }
    void pop_front() {
      --count_;
      if (--front_.n > 0 || size_ == 0) return;
      front_ = items_[head_];
      head_ = (head_ + 1) & (capacity_ - 1);
      --size_;
    }
    void push_back(const Waiting& w) {
      ++count_;
      Record& back = size_ > 0 ? items_[(head_ + size_ - 1) & (capacity_ - 1)] : front_;
      if (count_ > 1 && alike(back.w, w)) {
        ++back.n;
        return;
      }
      if (count_ == 1) {
        front_ = Record{w, 1};
        return;
      }
      if (size_ == capacity_) grow();
      items_[(head_ + size_) & (capacity_ - 1)] = Record{w, 1};
      ++size_;
    }

   private:
    struct Record {
      Waiting w;
      std::uint64_t n = 0;  // transfers it stands for
    };
    static bool alike(const Waiting& a, const Waiting& b) {
      return a.made == nullptr && b.made == nullptr && a.size == b.size && a.done == b.done &&
             a.ctx == b.ctx;
    }
    void grow();
    Record front_;  // (n zero when none)
    std::uint64_t count_ = 0;
    std::unique_ptr<Record[]> items_;
    // Records in the ring; capacity_ zero or a power of two.
    std::uint32_t head_ = 0, size_ = 0, capacity_ = 0;
  };
  RouteFacts& route_facts(const Route& route);
  const RouteRates& rates(const RouteFacts& r, std::uint64_t size) const;
  // A stage of a route: its channel's port and the lane its chunks take in the buffer downstream.
  struct StageAt {
    Port* port;
    std::uint8_t lane;
  };
  std::span<const StageAt> plan(const Route& route, TrafficClass traffic);
  Transfer& new_transfer(const Waiting& w, TrafficClass traffic, std::span<const StageAt> stages);
  Transfer& new_data_transfer(RouteFacts& r, const Waiting& w, std::span<const StageAt> stages);
  Transfer& enter(RouteFacts& r);
  void inject(Transfer& t);
  void pass_on(Transfer& t);
  void arrive(Stage& s);
  void try_serve(Port& p);
  void arm(Port& p);
  void serve_next(Port& p);
  bool serve_or_block(Port& p, Stage& s);
  void serve(Port& p, Stage& s, std::uint64_t size);
  void finish(Transfer& t, SimTime at);
  void absorb_credits(Port& p);
  void wake(Port& p, SimTime at);
  Transfer* pooled_transfer();
  static void record_counts(Port& p);
  void remember(Port& p, std::uint64_t size);
  void take_runs();
  void record_pending() const override;

  sim::Engine& engine_;
  std::uint64_t chunk_size_;
  std::uint32_t window_;
  // Per channel index, the data port; control_ports_ further on, the same channel's control port:
  // control travels beside data, interleaved on the wire, so it never waits for a data chunk.
  std::vector<Port> ports_;
  std::size_t control_ports_ = 0;
  // Per route (RouteQueue::key): its queue and what its transfers need, worked out at its first
  // data transfer.
  struct RouteFacts {
    // Its waiting transfers, in the order they started, and how many pass it (hw::RouteQueue's
    // rule: a waiting transfer's rates follow from its size, so they are not kept beside it).
    WaitingRing waiting;
    RouteAdmission admission;
    std::vector<Channel*> channels;  // the route's, as first seen
    std::vector<std::uint8_t> virtual_channels;
    std::vector<StageAt> stages;  // of its data transfers
    std::uint32_t bottleneck = 0;
    std::uint64_t lead = 0;
    RouteRates fits;   // route_rates of a transfer within its window
    RouteRates whole;  // and of one larger than it
  };
  std::unordered_map<std::uint64_t, RouteFacts> routes_;
  std::uint64_t chunk_hops_ = 0;
  std::uint64_t active_ = 0;  // transfers started and not landed
  // The channels hold the busy runs (at the start, and since record_pending until a port takes
  // them back at its next service: flush_trace moves a run's start).
  mutable bool runs_in_channels_ = true;
  std::vector<StageAt> planned_;     // plan's answer
  std::vector<Transfer*> entering_;  // pass_on's transfers let go, nested calls after
  std::deque<Transfer> transfer_pool_;
  std::vector<Transfer*> free_transfers_;
};

}  // namespace kernbench::hw
