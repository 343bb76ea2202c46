// Moves bytes along a route in chunks that are pipelined across its stages (cut-through): chunk
// k+1 enters the first stage when chunk k has left it, and every stage serves chunks in arrival
// order (Channel). One event per chunk per stage, so a transfer's cost in wall time grows with
// chunks x hops, and contention appears wherever flows share a channel.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "kernbench/hw/fabric.h"
#include "kernbench/sim/engine.h"
#include "kernbench/sim/event.h"

namespace kernbench::sim {
class Process;
}

namespace kernbench::hw {

class TransferEngine {
 public:
  /// Transfers run on `engine`, split into chunks of `chunk_size` (> 0).
  TransferEngine(sim::Engine& engine, Bytes chunk_size);
  TransferEngine(const TransferEngine&) = delete;
  TransferEngine& operator=(const TransferEngine&) = delete;
  ~TransferEngine();

  /// Starts moving `size` along `route` now; done(ctx) runs when the last byte has left the last
  /// stage. An empty transfer still pays the route's latencies; an empty route completes now.
  void start(const Route& route, Bytes size, sim::EventFn done, void* ctx);
  /// Process form: blocks `p` until the transfer is done.
  void move(sim::Process& p, const Route& route, Bytes size);

  Bytes chunk_size() const { return chunk_size_; }
  /// Chunk arrivals at a stage handled so far (the simulator's unit of work).
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
  Chunk* new_chunk(Transfer& t, std::uint64_t size);
  Transfer* new_transfer();
  void recycle(Transfer* t);

  sim::Engine& engine_;
  Bytes chunk_size_;
  std::uint64_t chunk_hops_ = 0;
  std::uint64_t started_ = 0;
  std::deque<Chunk> chunk_pool_;  // stable addresses; freed chunks are reused through free_chunks_
  std::vector<Chunk*> free_chunks_;
  std::deque<Transfer> transfer_pool_;
  std::vector<Transfer*> free_transfers_;
};

}  // namespace kernbench::hw
