// Moves bytes along a route. Under topo::FabricModel::chunks (the reference) a transfer is cut into
// chunks pipelined across its stages (cut-through): chunk k+1 enters the first stage when chunk k
// has left it, and every stage serves chunks in arrival order (Channel). One event per chunk per
// stage, so a transfer's cost in wall time grows with chunks x hops, and contention appears
// wherever flows share a channel. Under topo::FabricModel::flows all but a transfer's last chunk
// pass as one flow: each channel splits its bandwidth equally among the flows crossing it, and a
// flow moves at the smallest share along its route (recomputed whenever a flow starts or ends on
// one of its channels); then its last chunk is served in arrival order at the route's slowest
// stage, and the transfer is handed over after the route's latencies and one chunk's pipeline
// fill. On an idle route a transfer of full chunks takes the same time under both; the flow model
// costs a few events per transfer, whatever its size.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "kernbench/hw/fabric.h"
#include "kernbench/sim/engine.h"
#include "kernbench/sim/event.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::sim {
class Process;
}

namespace kernbench::hw {

class TransferEngine {
 public:
  /// Transfers run on `engine`, split into chunks of `chunk_size` (> 0), timed by `model`.
  TransferEngine(sim::Engine& engine, Bytes chunk_size,
                 topo::FabricModel model = topo::FabricModel::chunks);
  TransferEngine(const TransferEngine&) = delete;
  TransferEngine& operator=(const TransferEngine&) = delete;
  ~TransferEngine();

  /// Starts moving `size` along `route` now; done(ctx) runs when the last byte has left the last
  /// stage. An empty transfer still pays the route's latencies; an empty route completes now.
  void start(const Route& route, Bytes size, sim::EventFn done, void* ctx);
  /// Process form: blocks `p` until the transfer is done.
  void move(sim::Process& p, const Route& route, Bytes size);

  Bytes chunk_size() const { return chunk_size_; }
  topo::FabricModel model() const { return model_; }
  /// Chunk arrivals at a stage handled so far (the chunk model's unit of work; zero under flows).
  std::uint64_t chunk_hops() const { return chunk_hops_; }
  /// Transfers started so far.
  std::uint64_t transfers_started() const { return started_; }

 private:
  struct Transfer;
  struct Chunk {
    Transfer* transfer;
    std::uint32_t stage;
    std::uint64_t size;
  };

  static void on_arrival(void* chunk);
  static void on_inject(void* transfer);
  static void on_finish(void* transfer);
  void inject(Transfer& t);
  // The flow model.
  void start_flow(Transfer& t);
  static void on_flow_end(void* transfer);
  static void on_flow_done(void* transfer);
  void serve_last_chunk(Transfer& t);
  void settle(Transfer& t, SimTime now);
  void set_end(Transfer& t, SimTime now);
  void reshare(const std::vector<Channel*>& stages, Transfer* joining);
  void wait_for_last_chunks(Transfer& t, SimTime now);
  Chunk* new_chunk(Transfer& t, std::uint64_t size);
  Transfer* new_transfer();
  void recycle(Transfer* t);

  sim::Engine& engine_;
  Bytes chunk_size_;
  topo::FabricModel model_;
  std::uint64_t chunk_hops_ = 0;
  std::uint64_t reshare_stamp_ = 0;
  std::vector<Transfer*> affected_;  // reshare's scratch list
  std::uint64_t started_ = 0;
  std::deque<Chunk> chunk_pool_;  // stable addresses; freed chunks are reused through free_chunks_
  std::vector<Chunk*> free_chunks_;
  std::deque<Transfer> transfer_pool_;
  std::vector<Transfer*> free_transfers_;
};

}  // namespace kernbench::hw
