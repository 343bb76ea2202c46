// Moves bytes along a route, timed by the fabric model the topology names (system.fabric_model):
// the chunk model (chunk_model.h, the reference: every chunk at every stage, credit-based flow
// control, fair arbitration per transfer) or the flow model (flow_model.h: max-min fair flows, a
// few events per transfer). Both keep the contract written in transfer_model.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "kernbench/hw/fabric.h"
#include "kernbench/hw/transfer_model.h"
#include "kernbench/sim/engine.h"
#include "kernbench/sim/event.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::sim {
class Process;
}

namespace kernbench::hw {

class TransferEngine {
 public:
  /// Transfers over `fabric` on `engine`, timed by `model`, in chunks of `chunk_size` (> 0) with
  /// at most `chunks_in_flight` (> 0) of a transfer sent and not yet landed.
  TransferEngine(sim::Engine& engine, const Fabric& fabric, Bytes chunk_size,
                 topo::FabricModel model = topo::FabricModel::chunks, int chunks_in_flight = 64);
  TransferEngine(const TransferEngine&) = delete;
  TransferEngine& operator=(const TransferEngine&) = delete;
  ~TransferEngine();

  /// Starts moving `size` along `route` now; done(ctx) runs when the last byte has left the last
  /// stage. An empty transfer still pays the route's latencies; an empty route completes now.
  void start(const Route& route, Bytes size, sim::EventFn done, void* ctx,
             TrafficClass traffic = TrafficClass::data);
  /// Starts moving `size` along `route` (at least one stage) now as a member of `group`
  /// (TransferGroup: its members' routes end at one channel; `left` counts them all before the
  /// first starts): group.done(group.ctx) runs when the last member is done.
  void start_in_group(const Route& route, Bytes size, TransferGroup& group);
  /// A control transfer no callback waits for (a credit going back, say): started and its landing
  /// time returned where the model can tell it now (TransferModel::start_unwatched_control);
  /// else nothing is started and the caller starts it with a callback.
  std::optional<SimTime> start_unwatched_control(const Route& route, Bytes size);
  /// A data transfer and, from its hand-over, a control transfer along `then`, timed as one where
  /// the model can (TransferModel::start_followed; both routes non-empty): false, and nothing
  /// started, where it cannot.
  bool start_followed(const Route& route, Bytes size, const Route& then, Bytes then_size,
                      TransferModel::HandOverFn handed, sim::EventFn done, void* ctx);
  /// Starts a data transfer at `at` (not before now) where the model can (starts_ahead()): as
  /// start() then would, without an event at `at`. False, and nothing started, where it cannot.
  bool start_at(SimTime at, const Route& route, Bytes size, sim::EventFn done, void* ctx);
  /// Whether start_at can start transfers (TransferModel::starts_ahead).
  bool starts_ahead() const { return timing_->starts_ahead(); }
  /// Process form: blocks `p` until the transfer is done.
  void move(sim::Process& p, const Route& route, Bytes size,
            TrafficClass traffic = TrafficClass::data);

  Bytes chunk_size() const { return chunk_size_; }
  topo::FabricModel model() const { return model_; }
  /// The model itself (tests read the flow model's rates through it).
  const TransferModel& timing() const { return *timing_; }
  /// Chunk arrivals at a stage handled so far (the chunk model's unit of work; zero under flows).
  std::uint64_t chunk_hops() const { return timing_->chunk_hops(); }
  /// Transfers started so far.
  std::uint64_t transfers_started() const { return started_; }
  /// Unfinished transfers and where they wait, when the engine runs dry (empty if none).
  std::string describe_stall() const { return timing_->describe_stall(); }

 private:
  sim::Engine& engine_;
  Bytes chunk_size_;
  topo::FabricModel model_;
  std::unique_ptr<TransferModel> timing_;
  std::uint64_t started_ = 0;
};

}  // namespace kernbench::hw
