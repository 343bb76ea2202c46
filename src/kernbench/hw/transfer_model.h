// The one interface both fabric models implement (topo::FabricModel): how a transfer of some bytes
// along a route is timed. TransferEngine picks the model the topology names.
//
// Contract, kept by both models and checked by the property tests (tests/property/):
// - done(ctx) runs exactly once, at or after `now` + the route's latencies + the transfer's
//   service at its slowest stage; an empty route completes at once, an empty transfer pays the
//   latencies.
// - On an idle route a transfer of n full chunks takes the flow-shop time: every stage's latency
//   and service of one chunk, plus n - 1 services at the slowest stage (idle_transfer_time).
// - Every byte counts on every channel it crosses (Channel::bytes_served), so no set of transfers
//   finishes before its busiest channel could have served its bytes.
// - More bandwidth, lower latency, larger buffers or more chunks in flight never make a transfer
//   slower; control traffic is served ahead of data.
#pragma once

#include <cstdint>
#include <string>

#include "kernbench/hw/fabric.h"
#include "kernbench/sim/event_queue.h"

namespace kernbench::hw {

class TransferModel {
 public:
  virtual ~TransferModel() = default;
  /// Starts moving `size` bytes along `route` (at least one stage) now; done(ctx) runs when the
  /// last byte has left the last stage.
  virtual void start(const Route& route, Bytes size, TrafficClass traffic, sim::EventFn done,
                     void* ctx) = 0;
  /// Chunk arrivals at a stage handled so far (the chunk model's unit of work; zero under flows).
  virtual std::uint64_t chunk_hops() const = 0;
  /// Transfers that have started and not finished, with where they wait, for a deadlock report
  /// (empty when none is stalled).
  virtual std::string describe_stall() const = 0;
};

}  // namespace kernbench::hw
