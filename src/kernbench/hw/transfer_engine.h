// Moves bytes along a route in chunks that are pipelined across its stages (cut-through): chunk
// k+1 enters the first stage when chunk k has left it, and every stage serves chunks in arrival
// order (Channel), so contention appears wherever flows share a channel.
//
// The model is one event per chunk per stage, every event of a transfer ordered among equal times
// as if scheduled at its start (sim::Engine::reserve_order), then by stage. A transfer that has
// its channels to itself takes a fast path with the same times: its chunk arrivals stay virtual
// (no events), applied to the channels in order when the transfer ends or when another transfer's
// chunk reaches one of its channels, and its end is scheduled from a projection that is redone
// after each such meeting. A newcomer that needs a held channel either waits in the per-chunk
// model or, when it has more chunk-hops ahead, takes the channels and the holder becomes per-chunk
// (its chunks in flight become events). set_per_chunk(true) forces the per-chunk model.
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

  /// Forces the per-chunk model (an event per chunk per stage) for transfers started from now on:
  /// the reference the fast path is tested against. Times are the same either way.
  void set_per_chunk(bool on) { per_chunk_ = on; }
  bool per_chunk() const { return per_chunk_; }

  Bytes chunk_size() const { return chunk_size_; }
  /// Chunk arrivals at a stage handled so far, real or virtual (the simulator's unit of work).
  std::uint64_t chunk_hops() const { return chunk_hops_; }
  /// Transfers started so far.
  std::uint64_t transfers_started() const { return started_; }
  /// Transfers that started on the fast path.
  std::uint64_t fast_transfers() const { return fast_; }
  /// Fast transfers turned per-chunk midway by a newcomer on one of their channels.
  std::uint64_t demoted_transfers() const { return demoted_; }

 private:
  struct Transfer;
  struct FastStage;
  struct Chunk {
    Transfer* transfer;
    std::uint32_t stage;
    std::uint64_t size;
  };
  // A point in the engine's event order: (time, tie-break).
  struct Position {
    SimTime time;
    std::uint64_t tie_break;
  };

  static void on_arrival(void* chunk);
  static void on_inject(void* transfer);
  static void on_finish(void* transfer);
  static void on_fast_finish(void* transfer);
  void inject(Transfer& t);
  void complete(Transfer& t);
  Chunk* new_chunk(Transfer& t, std::uint64_t size);
  Transfer* new_transfer();
  void recycle(Transfer* t);

  // The fast path.
  Position position() const;
  bool start_fast(Transfer& t, Bytes size);
  void advance(Transfer& t, Position upto);
  SimTime project(const Transfer& t);
  void reproject(Transfer& t);
  void demote(Transfer& t);
  std::uint64_t hops_left(const Transfer& t) const;

  sim::Engine& engine_;
  Bytes chunk_size_;
  bool per_chunk_ = false;
  std::uint64_t chunk_hops_ = 0;
  std::uint64_t started_ = 0;
  std::uint64_t fast_ = 0;
  std::uint64_t demoted_ = 0;
  std::deque<Chunk> chunk_pool_;  // stable addresses; freed chunks are reused through free_chunks_
  std::vector<Chunk*> free_chunks_;
  std::deque<Transfer> transfer_pool_;
  std::vector<Transfer*> free_transfers_;
  std::vector<Transfer*> holders_;   // scratch of start_fast
  std::vector<SimTime> free_times_;  // scratch of project
};

}  // namespace kernbench::hw
