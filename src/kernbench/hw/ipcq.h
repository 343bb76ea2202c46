// A PE's inter-PE communication queue. A sender names a neighbour by its slot in the installed
// neighbour table; the message's data moves by DMA into a buffer the receiver owns, then its
// descriptor enters the receiver's queue. A queue holds `depth` messages: a sender blocks while
// the receiver's queue is full (back-pressure), a receiver blocks while its queue is empty.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kernbench/mem/phys_addr.h"
#include "kernbench/sim/resource.h"
#include "kernbench/sim/store.h"
#include "kernbench/topo/coord.h"

namespace kernbench::hw {

class System;

/// What a receiver gets: who sent it, a small descriptor, and where the data landed.
struct IpcqMessage {
  topo::PeCoord from;
  std::array<std::uint64_t, 4> descriptor{};
  mem::PhysAddr data;  // in the receiver's buffer
  base::Bytes size;
};

class Ipcq {
 public:
  /// Descriptor bytes on the wire (what a message costs beyond its data).
  static constexpr base::Bytes kDescriptorBytes{64};

  Ipcq(System& system, topo::PeCoord owner, int depth);
  Ipcq(const Ipcq&) = delete;
  Ipcq& operator=(const Ipcq&) = delete;

  /// Installs the neighbour table (replaces any earlier one); every PE must exist.
  void install(std::vector<topo::PeCoord> neighbors);
  const std::vector<topo::PeCoord>& neighbors() const { return neighbors_; }

  /// Sends to the neighbour in `slot`: waits for room in its queue, moves `size` bytes from `src`
  /// (this PE's side) to `dst` (the receiver's buffer) on this PE's DMA, then enqueues the
  /// descriptor. Errors: a slot outside the table (naming PE, slot and table size).
  void send(sim::Process& p, int slot, const std::array<std::uint64_t, 4>& descriptor,
            mem::PhysAddr src, mem::PhysAddr dst, base::Bytes size);
  /// Blocks until a message is queued here and takes the oldest.
  IpcqMessage receive(sim::Process& p);
  /// Messages queued here now.
  std::size_t queued() const { return queue_.size(); }

 private:
  System& system_;
  topo::PeCoord owner_;
  std::vector<topo::PeCoord> neighbors_;
  sim::Resource credits_;  // one slot per queue entry: a sender holds one until received
  sim::Store<IpcqMessage> queue_;
};

}  // namespace kernbench::hw
