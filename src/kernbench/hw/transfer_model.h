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
// - Data transfers along one route pass it in the order they started (RouteQueue below).
#pragma once

#include <cmath>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kernbench/hw/fabric.h"
#include "kernbench/sim/event_queue.h"

namespace kernbench::hw {

/// What decides how many transfers of one route pass at once, in bytes per picosecond: the
/// route's slowest stage (bandwidth over passes; at every stage but the last, also its buffer over
/// the credit round trip of a chunk) and a transfer's window rate (its chunks in flight over a
/// chunk's trip; infinite when the transfer fits its window).
struct RouteRates {
  double route = 0;
  double window = 0;
};
RouteRates route_rates(const Route& route, Bytes size, Bytes chunk, int chunks_in_flight);

/// What stage `i` of `route` carries of the route's bytes, in bytes per picosecond: its channel's
/// bandwidth over the times the route crosses it.
double stage_bandwidth(const Route& route, std::size_t i);

/// What the input buffer at `channel`'s receiving end passes, in bytes per picosecond: the buffer
/// over a chunk's credit round trip (its service and the latency there and back).
double buffer_rate(Channel& channel, Bytes chunk);

/// Where a route's chunks queue: its first slowest stage, by bandwidth over passes (a channel the
/// route crosses twice counts twice).
std::uint32_t route_bottleneck(const Route& route);

/// A chunk of `fill` bytes' way from the DMA engine to stage `stage` of `route`: the latency and
/// service of every stage before it.
SimTime time_to_reach(const Route& route, std::uint32_t stage, Bytes fill);

/// How many transfers pass one route at once (RouteQueue's counts, for a model that keeps its
/// waiting transfers itself): a transfer may enter while none passes, or while none passing has no
/// window limit and the passing ones' window rates stay below the route's rate.
class RouteAdmission {
 public:
  /// Whether a transfer with rates `r` may enter now.
  bool room(const RouteRates& r) const {
    return passing_ == 0 || (unlimited_ == 0 && windows_ < r.route);
  }
  /// A transfer with rates `r` enters (n = 1) or has passed (n = -1).
  void change(const RouteRates& r, int n) {
    passing_ += n;
    if (std::isinf(r.window))
      unlimited_ += n;
    else
      windows_ += n * r.window;
    if (passing_ == 0) windows_ = 0;  // no drift from rounding
  }

 private:
  double windows_ = 0;
  int passing_ = 0;
  int unlimited_ = 0;
};

/// Transfers along one route (the same first and last channel: one source, one destination) pass
/// it in the order they started, as many at once as their windows need to fill it: a transfer
/// waits while one passing has no window limit or the passing ones' window rates already reach
/// the route's rate, and enters when one ahead has passed. Both models admit transfers by it (the
/// chunk model by its RouteAdmission, beside its own list of waiting transfers), so a route is a
/// FIFO pipe that more DMA channels widen only where windows hold transfers back.
template <class T>
class RouteQueue {
 public:
  static std::uint64_t key(const Route& route) {
    return (std::uint64_t{route.stages.front()->index()} << 32) | route.stages.back()->index();
  }
  /// Whether `t` passes now; else it waits behind the earlier ones of its route.
  bool arrive(T* t, const RouteRates& r) {
    if (waiting() || !admission_.room(r)) {
      waiting_.push_back({t, r});
      return false;
    }
    admission_.change(r, 1);
    return true;
  }
  /// Whether transfers wait behind the passing ones.
  bool waiting() const { return head_ != waiting_.size(); }
  /// A transfer with rates `r` has passed: appends to `out` the waiting ones that pass now.
  void passed(const RouteRates& r, std::vector<T*>& out) {
    admission_.change(r, -1);
    while (head_ < waiting_.size() && admission_.room(waiting_[head_].second)) {
      admission_.change(waiting_[head_].second, 1);
      out.push_back(waiting_[head_].first);
      ++head_;
    }
    if (head_ == waiting_.size()) {
      waiting_.clear();
      head_ = 0;
    } else if (head_ >= 16 && 2 * head_ >= waiting_.size()) {
      waiting_.erase(waiting_.begin(), waiting_.begin() + head_);
      head_ = 0;
    }
  }

 private:
  // The waiting ones from head_ on (a vector, not a deque: the queue fits in 48 bytes, beside
  // what else its route's transfers read).
  std::vector<std::pair<T*, RouteRates>> waiting_;
  RouteAdmission admission_;
  std::uint32_t head_ = 0;
};

/// Data transfers whose `done` runs once, when the last of them is done: at the time, and in the
/// order among events, that a callback counting down from `left` would run it. Every member's
/// route ends at the same channel, so they are handed over in the order they are served there.
struct TransferGroup {
  sim::EventFn done = nullptr;
  void* ctx = nullptr;
  std::uint32_t left = 0;        // members not done yet: all of them before the first starts
  const Channel* end = nullptr;  // the members' last channel (TransferEngine checks it)
  /// Counts a member done; the last runs done(ctx).
  static void count_down(void* group) {
    auto& g = *static_cast<TransferGroup*>(group);
    if (--g.left == 0) g.done(g.ctx);
  }
};

class TransferModel {
 public:
  virtual ~TransferModel() = default;
  /// Starts moving `size` bytes along `route` (at least one stage) now; done(ctx) runs when the
  /// last byte has left the last stage.
  virtual void start(const Route& route, Bytes size, TrafficClass traffic, sim::EventFn done,
                     void* ctx) = 0;
  /// Starts a data transfer of `size` along `route` (at least one stage) as a member of `group`:
  /// as start() with TransferGroup::count_down, where the model may leave out the events of members
  /// done before the last.
  virtual void start_in_group(const Route& route, Bytes size, TransferGroup& group) {
    start(route, size, TrafficClass::data, &TransferGroup::count_down, &group);
  }
  /// Starts a control transfer of `size` along `route` (at least one stage) that no callback
  /// waits for, where the model can tell now when it lands (nothing that starts later delays it):
  /// counted as start() counts it, and its landing time returned. Nothing, and nothing started,
  /// where it cannot (the chunk model: a control chunk waits for the one in service at a stage).
  virtual std::optional<SimTime> start_unwatched_control(const Route& /*route*/, Bytes /*size*/) {
    return std::nullopt;
  }
  /// Called with the time a transfer is handed over (its `done` would run), once the model knows.
  using HandOverFn = void (*)(void* ctx, SimTime at);
  /// Starts a data transfer of `size` along `route` and, at its hand-over, a control transfer of
  /// `then_size` along `then` (a descriptor after its data), where the model can time both as one:
  /// handed(ctx, at) runs as soon as the model knows the data's hand-over time `at` (not before
  /// now, at the latest then), done(ctx) when the control transfer lands; each is counted and
  /// timed as start() of it at those times would be. False, and nothing started, where it cannot
  /// (the chunk model: the caller starts each).
  virtual bool start_followed(const Route& /*route*/, Bytes /*size*/, const Route& /*then*/,
                              Bytes /*then_size*/, HandOverFn /*handed*/, sim::EventFn /*done*/,
                              void* /*ctx*/) {
    return false;
  }
  /// Starts a data transfer of `size` along `route` at `at` (not before now), counted and timed as
  /// start() then would, without an event at `at` where the model's first event of a transfer
  /// comes later anyway. False, and nothing started, where the model cannot (the chunk model).
  virtual bool start_at(SimTime /*at*/, const Route& /*route*/, Bytes /*size*/,
                        sim::EventFn /*done*/, void* /*ctx*/) {
    return false;
  }
  /// Whether start_at can start transfers.
  virtual bool starts_ahead() const { return false; }
  /// Chunk arrivals at a stage handled so far (the chunk model's unit of work; zero under flows).
  virtual std::uint64_t chunk_hops() const = 0;
  /// Transfers that have started and not finished, with where they wait, for a deadlock report
  /// (empty when none is stalled).
  virtual std::string describe_stall() const = 0;
};

}  // namespace kernbench::hw
