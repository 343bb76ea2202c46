// The fast fabric model (topo::FabricModel::flows): a data transfer passes as one flow whose rate
// is its max-min fair share of every channel it crosses (progressive filling, solved incrementally
// over the channels a change reaches) and of every buffer lane it fills (at each stage but its
// last, a lane passes its buffer over the credit round trip, shared the same way; a flow that finds
// its lanes empty and their buckets of returned credits holding all its bytes does not fill them:
// draw_on_buckets), capped by its window (the DMA engine's chunks in flight a chunk's trip, the
// first window at the route's pace: FlowModel::cap). Every byte counts on every channel it
// crosses. A flow enters its channels when its first chunk would reach the
// route's bottleneck (its slowest stage; the latencies and services before it), once those ahead
// of it on its route have let it (hw::RouteQueue: when their last byte has passed); when its last
// byte has passed, it is handed over after the rest of the route's latencies and pipeline fill, so
// on an idle route it takes the chunk model's time, and transfers that reach a shared channel
// later start sharing it later. Control traffic does not share: it is served ahead of data and
// pays its idle-route time, so its landing is known as it leaves (start_unwatched_control needs
// no event). A few events per transfer, whatever its size: a flow alone on its
// channels, with no one behind it on its route, has its end and hand-over in one event, and leaves
// its channels as of its end when someone next comes to them; a data flow followed by a control
// transfer (a descriptor after its data: start_followed) has the control's landing as its
// hand-over event, the caller told the hand-over time at its end. A channel's busy runs (drawn in
// the trace only) are told only while a trace sink is attached; flows, ports and routes are
// laid out a cache line per port and by use, since a run of thousands of ranks is bound by misses.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "kernbench/hw/transfer_model.h"
#include "kernbench/sim/engine.h"

namespace kernbench::hw {

class FlowModel final : public TransferModel, private Channel::PendingFlows {
 public:
  /// Times transfers over `fabric`'s channels on `engine`; chunks of `chunk_size` (> 0) set the
  /// pipeline fill, `chunks_in_flight` (> 0) the window.
  FlowModel(sim::Engine& engine, const Fabric& fabric, Bytes chunk_size, int chunks_in_flight);
  FlowModel(const FlowModel&) = delete;
  FlowModel& operator=(const FlowModel&) = delete;
  ~FlowModel() override;

  void start(const Route& route, Bytes size, TrafficClass traffic, sim::EventFn done,
             void* ctx) override;
  std::optional<SimTime> start_unwatched_control(const Route& route, Bytes size) override;
  bool start_followed(const Route& route, Bytes size, const Route& then, Bytes then_size,
                      HandOverFn handed, sim::EventFn done, void* ctx) override;
  bool start_at(SimTime at, const Route& route, Bytes size, sim::EventFn done, void* ctx) override;
  bool starts_ahead() const override { return true; }
  std::uint64_t chunk_hops() const override { return 0; }
  std::string describe_stall() const override { return {}; }

  /// The rate (bytes per picosecond) a transfer in flight gets now, for tests: the flows crossing
  /// `channel`, in the order they joined it.
  std::vector<double> rates_at(const Channel& channel) const;

 private:
  class Slots;
  struct Flow;
  struct Port;
  struct RouteInfo;
  struct Bucket;

  void record_pending() const override;
  static void on_flow_end(void* flow);
  static void on_done(void* flow);
  static void on_reach(void* flow);
  static void on_alone_done(void* flow);
  void start_flow(RouteInfo& r, SimTime tail, SimTime head, double bytes, sim::EventFn done,
                  void* ctx, HandOverFn handed, SimTime follow, SimTime begin);
  void reach(Flow& f);
  void leave(Flow& f, SimTime at);
  void finish_at(Flow& f, SimTime at);
  void let_in_behind(Flow& f);
  void end_alone(Flow& f);
  SimTime hand_over_at(Flow& f, SimTime fluid);
  void settle_alone(Flow& f);
  void settle_alone_on(const Flow& f);
  void refill();
  double water_level(const Port& p) const;
  void note_limits(Flow& f);
  double demand_elsewhere(const Flow& f, const Port& p) const;
  double rate_of(const Flow& f) const;
  void settle(Flow& f);
  void set_end(Flow& f);
  Port* buffer_lane(const Route& route, std::size_t i);
  RouteInfo& route_info(const Route& route);
  RouteInfo& counted(const Route& route, Bytes size);
  SimTime tail_of(RouteInfo& r, const Route& route, Bytes size, SimTime* head);
  double window_rate(const RouteInfo& r, double bytes) const;
  double cap(const RouteInfo& r, double bytes, double route_rate) const;
  bool is_lane(const Port& p) const;
  Channel& channel_of(const Port& p) const;  // of a port that is a channel's bandwidth
  std::size_t lane_index(const Port& lane) const;
  double buffer_of(const Port& lane) const;
  double tokens(const Port& lane) const;
  void draw_on_buckets(Flow& f);
  SimTime control_time(const RouteInfo& r, double bytes) const;
  RouteInfo& find_route_info(const Route& route);
  void enter(Flow& f, bool share = true);
  bool enter_alone(Flow& f);
  void set_rate(Flow& f, double rate);
  void enqueue(Port& p);
  void index(Port& p);
  Flow* new_flow();
  void recycle(Flow* f);

  sim::Engine& engine_;
  std::uint64_t chunk_size_;
  double window_bytes_;
  int chunks_in_flight_;
  // Per channel index its bandwidth, then per channel index its buffer lanes.
  std::vector<Port> ports_;
  std::vector<Channel*> channels_;  // per channel index
  std::vector<Bucket> buckets_;     // per buffer lane, as ports_ lists them after the channels
  std::vector<Port*> worklist_;
  mutable std::vector<double> demands_;  // water_level's scratch
  // What a route's flows share and need (its queue, ports, latencies and rates), found by its first
  // channel's index, then its last channel's (a route is one source and one destination).
  struct RouteEnd {
    std::uint32_t last;
    std::uint32_t stages;
    RouteInfo* info;
  };
  std::deque<RouteInfo> routes_;
  mutable std::vector<RouteInfo*> counted_;  // routes whose transfers are not yet recorded
  std::vector<std::vector<RouteEnd>> routes_from_;
  std::vector<Flow*> entering_;
  std::vector<Flow*> none_entering_;
  std::uint64_t stamp_ = 0;
  std::uint64_t joins_ = 0;
  std::deque<Flow> flow_pool_;
  std::vector<Flow*> free_flows_;
};

}  // namespace kernbench::hw
