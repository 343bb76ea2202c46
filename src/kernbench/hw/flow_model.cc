#include "kernbench/hw/flow_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <span>

#include "kernbench/base/assert.h"

namespace kernbench::hw {
namespace {
constexpr double kUnlimited = std::numeric_limits<double>::infinity();
constexpr std::size_t kBufferLanes = 2;  // one per virtual channel (data; control does not share)
// A port's flows know their places in its list from this many on, until it is down to kIndexUntil.
constexpr std::size_t kIndexFrom = 16;
constexpr std::size_t kIndexUntil = 8;

bool same_level(double a, double b) {
  if (a == b) return true;
  if (std::isinf(a) || std::isinf(b)) return false;
  return std::abs(a - b) <= 1e-12 * std::max(a, b);
}

std::int64_t passes(const Route& route, const Channel* c) {
  return std::count(route.stages.begin(), route.stages.end(), c);
}

// The pipeline of a transfer whose first chunk is `fill`: every stage's latency and service of it,
// but the slowest channel's (all its passes, for a channel the route crosses twice), which is part
// of the bytes' own time.
SimTime pipeline_tail(const Route& route, Bytes fill) {
  SimTime tail, slowest;
  for (Channel* c : route.stages) {
    const SimTime service = c->service_time(fill);
    tail += c->latency() + service;
    slowest = std::max(slowest, service * passes(route, c));
  }
  return tail - slowest;
}

}  // namespace

// Per entry of a flow's ports, its place in that port's `flows` where the port keeps them (a long
// list, Port::indexed): inline for most routes, so moving a flow's place when another leaves
// touches the flow only.
class FlowModel::Slots {
 public:
  // Room for a flow of `n` ports (kept if it has that already).
  void fit(std::size_t n) {
    if (size_ == n) return;
    size_ = n;
    if (n > kInline) more_.resize(n);
  }
  std::uint32_t& operator[](std::size_t k) { return size_ > kInline ? more_[k] : inline_[k]; }

 private:
  static constexpr std::size_t kInline = 14;
  std::size_t size_ = 0;
  std::uint32_t inline_[kInline];
  std::vector<std::uint32_t> more_;
};

// Laid out by use: what an end or hand-over event reads first (one cache line), then what the
// solver reads and writes (a port's water level asks each of its flows only this line), then the
// rest.
struct alignas(64) FlowModel::Flow {
  FlowModel* model = nullptr;
  std::uint32_t pending = 0;  // events scheduled and not yet run
  bool flowing = false;
  // Alone on every port it crosses with no one behind it on its route: no end event, its ports
  // keep it until someone comes to them (settle_alone) or its hand-over (on_alone_done).
  bool alone = false;
  bool done_when_alone = false;  // its hand-over is the on_alone_done event (it was never woken)
  bool finished = false;
  SimTime armed;                 // the end event relied on (armed <= fluid_end while flowing)
  SimTime fluid_end;             // when the last byte passes at the current rate
  SimTime tail;                  // latencies and pipeline fill, paid after the last byte
  std::span<Port* const> ports;  // its route's (RouteInfo::ports)
  RouteInfo* route = nullptr;
  // Its lowest limit (the cap or a port's level), the port that sets it (null: the cap), and the
  // lowest of the others: kept as levels change, so a port asks a flow its demand elsewhere
  // without reading the flow's other ports.
  double low = kUnlimited;
  double next_low = kUnlimited;
  const Port* low_at = nullptr;
  double rate = 0;          // bytes per picosecond now
  double cap = kUnlimited;  // the window's rate
  std::uint64_t stamp = 0;
  bool crosses_twice = false;  // its route's (RouteInfo::crosses_twice)
  // (A port's water level reads only the line above.)
  double left = 0;  // bytes still to pass, as of `settled`
  SimTime settled;  // when `left` was last brought up to date
  RouteRates rates;
  SimTime last_service;      // its last chunk's service at its route's last stage
  SimTime hand_over_before;  // its route's last_hand_over before its own (see hand_over_at)
  sim::EventFn done = nullptr;
  void* ctx = nullptr;
  HandOverFn handed = nullptr;  // start_followed's, until the hand-over is known
  SimTime follow;               // its control transfer's time, paid after the hand-over
  std::uint64_t joined = 0;     // when it entered its channels, in order (for rates_at)
  Slots slots;  // per entry of `ports`, its place in that port's `flows` (if indexed)
};

// A resource flows share max-min fairly: a channel's bandwidth, or one lane of the buffer at its
// receiving end (crossed only by the flows the next stage of whose route takes from it; worth
// sharing only where buffer over credit round trip is below the bandwidth). Its flows and their
// water level: the rate of the flows it bottlenecks, infinite while it is not saturated.
struct alignas(64) FlowModel::Port {
  struct Member {
    Flow* flow;
    std::uint32_t k;  // the entry of the flow's `ports` this port is
  };
  // Its flows, in no particular order: the first in the port's line, the others in an array, so a
  // port crossed by one flow (most ports, most often) is one cache line.
  class Members {
   public:
    class Iterator {
     public:
      Iterator(const Members& m, std::uint32_t i) : m_(&m), i_(i) {}
      Member operator*() const { return (*m_)[i_]; }
      Iterator& operator++() {
        ++i_;
        return *this;
      }
      bool operator!=(const Iterator& o) const { return i_ != o.i_; }

     private:
      const Members* m_;
      std::uint32_t i_;
    };
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    Member operator[](std::size_t i) const {
      return i == 0 ? Member{first_, first_k_} : more_[i - 1];
    }
    void set(std::size_t i, const Member& m) {
      if (i == 0) {
        first_ = m.flow;
        first_k_ = m.k;
      } else {
        more_[i - 1] = m;
      }
    }
    Member front() const { return {first_, first_k_}; }
    Member back() const { return (*this)[size_ - 1]; }
    Iterator begin() const { return {*this, 0}; }
    Iterator end() const { return {*this, size_}; }
    void push_back(const Member& m) {
      if (size_ > 0 && size_ - 1 == capacity_) {
        capacity_ = capacity_ == 0 ? 2 : 2 * capacity_;
        auto more = std::make_unique<Member[]>(capacity_);
        std::copy(more_.get(), more_.get() + size_ - 1, more.get());
        more_ = std::move(more);
      }
      set(size_++, m);
    }
    void pop_back() { --size_; }

   private:
    Flow* first_ = nullptr;
    std::unique_ptr<Member[]> more_;  // the flows after the first
    std::uint32_t size_ = 0;
    std::uint32_t capacity_ = 0;  // of more_
    std::uint32_t first_k_ = 0;

   public:
    // The port's flags, in what would be this list's padding.
    bool queued = false;
    // Its flows know their places in the list (Flow::slots): kept only while it has many, since
    // a flow leaving a short list finds itself faster than it writes to the flow that takes its
    // place.
    bool indexed = false;
  };
  Members flows;
  double level = kUnlimited;
  double used = 0;        // the rates of its flows (a flow crossing it twice counted twice)
  Flow* alone = nullptr;  // its one flow when that one passes alone (Flow::alone)
  double capacity = 0;    // bytes per picosecond
};
// A route as its flows see it, worked out at its first transfer. Laid out by use: what every
// transfer counts and a data flow's start reads in the first cache line, what a data flow's
// reaching its bottleneck and its end read and write (its queue) in the second, what control
// traffic and long transfers read in the third, then what only its first transfer reads.
struct alignas(64) FlowModel::RouteInfo {
  // Its transfers since their channels last recorded them (record_pending).
  std::uint64_t unrecorded_bytes = 0;
  std::uint64_t unrecorded_transfers = 0;
  SimTime full_tail;                 // pipeline_tail of a whole chunk
  SimTime full_head;                 // a whole chunk's way to the bottleneck (time_to_reach); the
                                     // flow enters its channels that late and pays the rest of
                                     // full_tail after
  double route_rate = 0;             // route_rates(...).route: its slowest channel or limiting lane
  Port* const* port_list = nullptr;  // `ports`, read through one line
  std::uint32_t port_count = 0;
  bool crosses_twice = false;         // a channel (or lane) twice among its ports
  bool has_lanes = false;             // buffer lanes among its ports (channel_ports not empty)
  SimTime full_last_service;          // its last stage's service of a whole chunk
  alignas(64) Flow* alone = nullptr;  // its flow passing alone, if any (see Flow::alone)
  SimTime last_hand_over;             // of its latest data transfer (see hand_over_at)
  RouteQueue<Flow> queue;
  alignas(64) std::uint64_t small = ~std::uint64_t{0};  // the last size under a chunk asked
  SimTime small_tail;  // (descriptors, credits), its pipeline_tail and time_to_reach
  SimTime small_head;
  double bandwidth_rate = 0;  // its slowest channel (bandwidth over passes): control's pace
  SimTime trip;               // a chunk's whole trip: every stage's latency and service
  Channel* last_stage = nullptr;
  std::uint32_t bottleneck = 0;  // its first slowest stage (bandwidth over passes)
  std::vector<Port*> ports;      // its channels (one crossed twice listed twice) and limiting lanes
  std::vector<Channel*> stages;
  std::vector<Port*> channel_ports;  // `ports` but its lanes (empty when it has none)

  std::span<Port* const> port_span() const { return {port_list, port_count}; }
};

// A buffer lane's free bytes, a token bucket: bytes whose credits are back. A transfer that finds
// its lanes empty of flows and their buckets holding all its bytes passes at its channels' pace
// (the chunk model sends it without waiting for a credit) and draws on them; they refill at the
// lane's rate once its bytes have passed.
struct FlowModel::Bucket {
  double bytes = kUnlimited;  // as of `at` (full at the start: clipped to the buffer)
  SimTime at;
};
static_assert(sizeof(RouteQueue<int>) == 48, "a route's queue fits the line of its hand-overs");

FlowModel::FlowModel(sim::Engine& engine, const Fabric& fabric, Bytes chunk_size,
                     int chunks_in_flight)
    : engine_(engine),
      chunk_size_(chunk_size.count()),
      window_bytes_(static_cast<double>(chunk_size.count()) * chunks_in_flight),
      chunks_in_flight_(chunks_in_flight) {
  KB_ASSERT(chunk_size.count() > 0 && chunks_in_flight > 0,
            "transfers need a positive chunk size and window");
  static_assert(sizeof(Port) == 64, "a port fills one cache line");
  const std::size_t n = fabric.channels().size();
  ports_.resize(n * (1 + kBufferLanes));
  channels_.resize(n);
  buckets_.resize(n * kBufferLanes);
  routes_from_.resize(n);
  for (const auto& c : fabric.channels()) {
    Port& p = ports_[c->index()];
    channels_[c->index()] = c.get();
    p.capacity = static_cast<double>(c->bandwidth().bytes_per_second()) * 1e-12;
    // A chunk holds its buffer space for its service and the credit's round trip.
    for (std::size_t lane = 0; lane < kBufferLanes; ++lane)
      ports_[n + c->index() * kBufferLanes + lane].capacity = buffer_rate(*c, chunk_size);
  }
}

// The buffer lane a flow takes at stage `i` of `route` when a next stage takes from it and the
// buffer can limit it (below the channel's bandwidth), else null.
FlowModel::Port* FlowModel::buffer_lane(const Route& route, std::size_t i) {
  if (i + 1 == route.stages.size()) return nullptr;
  const std::size_t lane = route.virtual_channels.empty() ? 0 : route.virtual_channels[i];
  const std::uint32_t channel = route.stages[i]->index();
  Port& b = ports_[ports_.size() / (1 + kBufferLanes) + channel * kBufferLanes + lane];
  return b.capacity < ports_[channel].capacity ? &b : nullptr;
}

FlowModel::~FlowModel() {
  record_pending();
  const PendingFlows* mine = this;
  for (const RouteInfo& r : routes_)
    for (Channel* c : r.stages)
      if (c->pending_flows() == mine) c->set_pending_flows(nullptr);
}

void FlowModel::record_pending() const {
  for (RouteInfo* r : counted_) {
    for (Channel* c : r->stages)
      c->record_flows(Bytes(r->unrecorded_bytes), r->unrecorded_transfers);
    r->unrecorded_bytes = 0;
    r->unrecorded_transfers = 0;
  }
  counted_.clear();
}

FlowModel::Flow* FlowModel::new_flow() {
  if (free_flows_.empty()) {
    flow_pool_.emplace_back();
    return &flow_pool_.back();
  }
  Flow* f = free_flows_.back();
  free_flows_.pop_back();
  return f;
}

void FlowModel::recycle(Flow* f) {
  f->ports = {};
  free_flows_.push_back(f);
}

FlowModel::RouteInfo& FlowModel::route_info(const Route& route) {
  if (route.model_facts.model == this) {
    auto& known = *static_cast<RouteInfo*>(route.model_facts.facts);
#ifndef NDEBUG
    KB_ASSERT(known.stages == route.stages, "a route's stages changed after it was timed");
#endif
    return known;
  }
  RouteInfo& info = find_route_info(route);
  route.model_facts = {this, &info};
  return info;
}

FlowModel::RouteInfo& FlowModel::find_route_info(const Route& route) {
  const std::uint32_t last = route.stages.back()->index();
  const auto stages = static_cast<std::uint32_t>(route.stages.size());
  std::vector<RouteEnd>& known = routes_from_[route.stages.front()->index()];
  for (const RouteEnd& end : known)
    if (end.last == last) {
      // The fabric routes one source to one destination one way (checked in full in debug builds).
      KB_ASSERT(end.stages == stages, "two routes share their first and last channel");
#ifndef NDEBUG
      KB_ASSERT(end.info->stages == route.stages, "two routes share their first and last channel");
#endif
      return *end.info;
    }
  RouteInfo& r = routes_.emplace_back();
  known.push_back({last, stages, &r});
  r.stages = route.stages;
  for (Channel* c : r.stages) c->set_pending_flows(this);
  r.bottleneck = route_bottleneck(route);
  r.full_tail = pipeline_tail(route, Bytes(chunk_size_));
  r.full_head = time_to_reach(route, r.bottleneck, Bytes(chunk_size_));
  for (std::size_t i = 0; i < route.stages.size(); ++i) {
    Channel* c = route.stages[i];
    r.trip += c->latency() + c->service_time(Bytes(chunk_size_));
    r.ports.push_back(&ports_[c->index()]);
    if (Port* lane = buffer_lane(route, i)) r.ports.push_back(lane);
  }
  if (r.ports.size() > r.stages.size())
    for (Port* p : r.ports)
      if (!is_lane(*p)) r.channel_ports.push_back(p);
  r.has_lanes = !r.channel_ports.empty();
  r.route_rate = route_rates(route, Bytes(0), Bytes(chunk_size_), chunks_in_flight_).route;
  r.bandwidth_rate = kUnlimited;
  for (std::size_t i = 0; i < r.stages.size(); ++i)
    r.bandwidth_rate = std::min(r.bandwidth_rate, stage_bandwidth(route, i));
  for (std::size_t i = 0; i < r.ports.size(); ++i)
    r.crosses_twice = r.crosses_twice || std::find(r.ports.begin() + i + 1, r.ports.end(),
                                                   r.ports[i]) != r.ports.end();
  r.port_list = r.ports.data();
  r.port_count = static_cast<std::uint32_t>(r.ports.size());
  r.last_stage = r.stages.back();
  r.full_last_service = r.last_stage->service_time(Bytes(chunk_size_));
  return r;
}

// A transfer's route, its bytes and the transfer counted on it (record_pending).
FlowModel::RouteInfo& FlowModel::counted(const Route& route, Bytes size) {
  RouteInfo& r = route_info(route);
  if (r.unrecorded_transfers++ == 0) counted_.push_back(&r);
  r.unrecorded_bytes += size.count();
  return r;
}

// What a transfer of `size` pays after its last byte (and, in `head`, before its first reaches
// the bottleneck).
SimTime FlowModel::tail_of(RouteInfo& r, const Route& route, Bytes size, SimTime* head) {
  if (size.count() >= chunk_size_) {
    *head = r.full_head;
    return r.full_tail;
  }
  if (r.small != size.count()) {
    r.small = size.count();
    r.small_tail = pipeline_tail(route, size);
    r.small_head = time_to_reach(route, r.bottleneck, size);
  }
  *head = r.small_head;
  return r.small_tail;
}

// Its window's rate once under way: chunks in flight over a chunk's trip (none when it fits).
double FlowModel::window_rate(const RouteInfo& r, double bytes) const {
  return bytes > window_bytes_ ? window_bytes_ / static_cast<double>(r.trip.ps()) : kUnlimited;
}

// A transfer longer than its window moves a window a chunk's trip, but each window leaves at the
// route's pace, every credit of the one before at hand: k windows take k - 1 trips and the last
// window's bytes at the route's rate. The cap is the one rate that takes as long, so a lone
// window-limited transfer takes what the chunk model's bursts take; between whole windows the
// time grows with the bytes, and more chunks in flight never make it longer.
double FlowModel::cap(const RouteInfo& r, double bytes, double route_rate) const {
  if (std::isinf(window_rate(r, bytes))) return kUnlimited;
  const double windows_before = std::ceil(bytes / window_bytes_) - 1;
  return bytes / (windows_before * static_cast<double>(r.trip.ps()) +
                  (bytes - windows_before * window_bytes_) / route_rate);
}

// Control traffic is served ahead of data: it moves at its channels' pace, sharing nothing, so it
// needs no flow of its own. It has buffers of its own, which a control transfer (a chunk at most)
// does not wait on, so data's buffer lanes do not limit it. Its bytes' time (its tail comes on
// top).
SimTime FlowModel::control_time(const RouteInfo& r, double bytes) const {
  const double ps = bytes / std::min(r.bandwidth_rate, cap(r, bytes, r.route_rate));
  return SimTime::from_ps(static_cast<std::int64_t>(std::ceil(ps)));
}

std::optional<SimTime> FlowModel::start_unwatched_control(const Route& route, Bytes size) {
  RouteInfo& r = counted(route, size);
  SimTime head;
  const SimTime tail = tail_of(r, route, size, &head);
  return engine_.now() + control_time(r, static_cast<double>(size.count())) + tail;
}

void FlowModel::start(const Route& route, Bytes size, TrafficClass traffic, sim::EventFn done,
                      void* ctx) {
  const SimTime now = engine_.now();
  RouteInfo& r = counted(route, size);
  SimTime head;
  const SimTime tail = tail_of(r, route, size, &head);
  const auto bytes = static_cast<double>(size.count());
  if (bytes == 0 || traffic != TrafficClass::data) {
    engine_.schedule_at(now + control_time(r, bytes) + tail, done, ctx);
    return;
  }
  start_flow(r, tail, head, bytes, done, ctx, nullptr, SimTime(), now);
}

// A transfer that starts later is counted now (counts are only read as totals) and has its first
// event when it would have: its first bytes reaching the bottleneck.
bool FlowModel::start_at(SimTime at, const Route& route, Bytes size, sim::EventFn done, void* ctx) {
  KB_ASSERT(at >= engine_.now(), "a transfer started in the past");
  RouteInfo& r = counted(route, size);
  SimTime head;
  const SimTime tail = tail_of(r, route, size, &head);
  const auto bytes = static_cast<double>(size.count());
  if (bytes == 0) {
    engine_.schedule_at(at + control_time(r, bytes) + tail, done, ctx);
    return true;
  }
  start_flow(r, tail, head, bytes, done, ctx, nullptr, SimTime(), at);
  return true;
}

// The control transfer lands a fixed time after its start (it shares nothing), so the data flow
// carries it: its hand-over event becomes the control transfer's landing, and the caller learns
// the hand-over time at the flow's end event (or, for a flow that ended alone, at its hand-over).
bool FlowModel::start_followed(const Route& route, Bytes size, const Route& then, Bytes then_size,
                               HandOverFn handed, sim::EventFn done, void* ctx) {
  if (size.count() == 0) return false;
  RouteInfo& r = counted(route, size);
  SimTime head;
  const SimTime tail = tail_of(r, route, size, &head);
  RouteInfo& c = counted(then, then_size);
  SimTime control_head;
  const SimTime follow = control_time(c, static_cast<double>(then_size.count())) +
                         tail_of(c, then, then_size, &control_head);
  start_flow(r, tail, head, static_cast<double>(size.count()), done, ctx, handed, follow,
             engine_.now());
  return true;
}

void FlowModel::start_flow(RouteInfo& r, SimTime tail, SimTime head, double bytes,
                           sim::EventFn done, void* ctx, HandOverFn handed, SimTime follow,
                           SimTime begin) {
  const SimTime now = engine_.now();
  Flow& f = *new_flow();
  f.model = this;
  f.done = done;
  f.ctx = ctx;
  f.handed = handed;
  f.follow = follow;
  f.pending = 0;
  f.finished = false;
  f.alone = false;
  f.done_when_alone = false;
  f.tail = tail;
  f.cap = cap(r, bytes, r.route_rate);
  f.left = bytes;
  f.settled = now;
  f.rate = 0;
  f.flowing = true;
  f.armed = SimTime::max();
  f.ports = r.port_span();
  f.route = &r;
  f.crosses_twice = r.crosses_twice;
  f.rates = RouteRates{r.route_rate, window_rate(r, bytes)};  // route_rates(route, size, ...)
  const auto size = static_cast<std::uint64_t>(bytes);        // (a data flow has bytes)
  const std::uint64_t last_chunk = size - (size - 1) / chunk_size_ * chunk_size_;
  f.last_service = last_chunk == chunk_size_ ? r.full_last_service
                                             : r.last_stage->service_time(Bytes(last_chunk));
  f.tail -= head;
  if (begin + head > now) {
    ++f.pending;
    engine_.schedule_at(begin + head, &FlowModel::on_reach, &f);
    return;
  }
  reach(f);
}

void FlowModel::on_reach(void* flow) {
  auto& f = *static_cast<Flow*>(flow);
  --f.pending;
  f.model->reach(f);
}

// A data flow's first bytes reach its route's bottleneck: it passes its channels from now on,
// once those ahead of it on its route have let it.
void FlowModel::reach(Flow& f) {
  if (f.route->alone != nullptr) settle_alone(*f.route->alone);
  if (!f.route->queue.arrive(&f, f.rates)) return;
  draw_on_buckets(f);
  if (enter_alone(f)) return;
  enter(f);
  refill();
  set_rate(f, rate_of(f));
  set_end(f);
}

// Enters a flow that changes no one's share, setting the levels progressive filling would find
// without filling: either it is alone on every port it crosses (it takes the least capacity among
// them, or its window's rate if lower, and the ports of that capacity have it as their level), or
// every port it crosses is unsaturated (its level infinite) and keeps room for the flow at its
// window's rate, so the allocation is the one before plus this flow at that rate (a margin keeps
// the sums' rounding from ever deciding). False, and nothing done, otherwise.
bool FlowModel::enter_alone(Flow& f) {
  settle_alone_on(f);
  if (f.route->crosses_twice) return false;
  if (std::all_of(f.ports.begin(), f.ports.end(), [](const Port* p) { return p->flows.empty(); })) {
    double least = kUnlimited;
    for (const Port* p : f.ports) least = std::min(least, p->capacity);
    if (f.cap >= least)
      for (Port* p : f.ports)
        if (p->capacity == least) p->level = least;
    enter(f, false);
    set_rate(f, std::min(f.cap, least));
    if (f.route->queue.waiting())
      set_end(f);
    else
      end_alone(f);
    return true;
  }
  if (std::isinf(f.cap)) return false;
  for (const Port* p : f.ports)
    if (!std::isinf(p->level) || p->used + f.cap > p->capacity * (1 - 1e-9)) return false;
  enter(f, false);
  set_rate(f, f.cap);
  set_end(f);
  return true;
}

inline void FlowModel::enqueue(Port& p) {
  if (p.flows.queued) return;
  p.flows.queued = true;
  worklist_.push_back(&p);
}

// A port's list has grown long: each of its flows notes its place in it.
void FlowModel::index(Port& p) {
  p.flows.indexed = true;
  for (std::uint32_t i = 0; i < p.flows.size(); ++i) {
    const Port::Member& m = p.flows[i];
    m.flow->slots.fit(m.flow->ports.size());
    m.flow->slots[m.k] = i;
  }
}

void FlowModel::set_rate(Flow& f, double rate) {
  for (Port* p : f.ports) p->used += rate - f.rate;
  f.rate = rate;
}

// A flow starts to pass its channels (its route's earlier transfers have passed).
void FlowModel::enter(Flow& f, bool share) {
  // One that entered alone since this flow's enter_alone (beside it, from one route queue) has
  // company now.
  if (share) settle_alone_on(f);
  const SimTime now = engine_.now();
  sim::TraceSink* const sink = engine_.trace_sink();
  f.settled = now;
  f.joined = ++joins_;
  for (std::uint32_t k = 0; k < f.ports.size(); ++k) {
    Port* p = f.ports[k];
    // A channel's busy runs are for the trace: with no sink attached it is not touched.
    if (sink != nullptr && p->flows.empty() && !is_lane(*p)) channel_of(*p).flow_busy(now, sink);
    const auto at = static_cast<std::uint32_t>(p->flows.size());
    p->flows.push_back({&f, k});
    if (p->flows.indexed) {
      f.slots.fit(f.ports.size());
      f.slots[k] = at;
    } else if (p->flows.size() > kIndexFrom) {
      index(*p);
    }
    if (share) enqueue(*p);
  }
  note_limits(f);
}

void FlowModel::note_limits(Flow& f) {
  f.low = f.cap;
  f.next_low = kUnlimited;
  f.low_at = nullptr;
  for (const Port* q : f.ports) {
    if (q->level < f.low) {
      f.next_low = f.low;
      f.low = q->level;
      f.low_at = q;
    } else if (q->level < f.next_low) {
      f.next_low = q->level;
    }
  }
}

double FlowModel::demand_elsewhere(const Flow& f, const Port& p) const {
  if (!f.crosses_twice) return &p == f.low_at ? f.next_low : f.low;
  double d = f.cap;
  for (const Port* q : f.ports)
    if (q != &p) d = std::min(d, q->level);
  return d;
}

double FlowModel::rate_of(const Flow& f) const { return f.low; }

// Progressive filling at one channel: the flows limited elsewhere below the fair share keep their
// rate, the rest split what is left equally; infinite when the channel is not saturated.
double FlowModel::water_level(const Port& p) const {
  if (p.flows.empty()) return kUnlimited;
  if (p.flows.size() == 1) {  // the general case below for one flow (most ports, most often)
    const double demand = demand_elsewhere(*p.flows.front().flow, p);
    return demand >= p.capacity ? p.capacity : kUnlimited;
  }
  if (p.flows.size() == 2) {  // the general case below for two flows, with no list to sort
    const double a = demand_elsewhere(*p.flows[0].flow, p);
    const double b = demand_elsewhere(*p.flows[1].flow, p);
    const double low = std::min(a, b), high = std::max(a, b);
    if (low * 2 >= p.capacity) return p.capacity / 2;
    if (a + b <= p.capacity) return kUnlimited;
    const double remaining = p.capacity - low;  // the lower demand is met in full
    return high > remaining ? remaining : kUnlimited;
  }
  std::vector<double>& demands = demands_;
  demands.clear();
  double least = kUnlimited, sum = 0;
  for (const Port::Member& m : p.flows) {
    demands.push_back(demand_elsewhere(*m.flow, p));
    least = std::min(least, demands.back());
    sum += demands.back();
  }
  auto n = static_cast<double>(demands.size());
  if (least * n >= p.capacity) return p.capacity / n;  // all bottlenecked here: equal shares
  if (sum <= p.capacity) return kUnlimited;            // none is
  std::sort(demands.begin(), demands.end());
  double remaining = p.capacity;
  for (double d : demands) {
    if (d * n > remaining) return remaining / n;
    remaining -= d;
    n -= 1;
  }
  return kUnlimited;
}

// Brings every channel on the worklist to its water level given the others', and every flow whose
// demand elsewhere a changed level alters back onto the worklist, until nothing changes: the
// fixed point is the max-min fair allocation. Only the channels a change reaches are visited.
void FlowModel::refill() {
  std::size_t visits = 0;
  const std::size_t limit = 64 * ports_.size() + 1024;  // a safety net; refills converge sooner
  for (std::size_t head = 0; head < worklist_.size(); ++head) {
    Port& p = *worklist_[head];
    p.flows.queued = false;
    if (++visits > limit) continue;
    const double old_level = p.level;
    const double level = water_level(p);
    if (same_level(level, old_level)) continue;
    p.level = level;
    const double lower = std::min(level, old_level);
    ++stamp_;
    for (const Port::Member& m : p.flows) {
      Flow* f = m.flow;
      if (f->stamp == stamp_) continue;
      f->stamp = stamp_;
      // Its two lowest limits elsewhere: the channel that sets the first sees only the second.
      double first = f->cap, second = kUnlimited;
      const Port* at_first = nullptr;
      for (const Port* q : f->ports) {
        if (q == &p) continue;
        if (q->level < first) {
          second = first;
          first = q->level;
          at_first = q;
        } else if (q->level < second) {
          second = q->level;
        }
      }
      for (Port* q : f->ports)
        if (q != &p && lower < (q == at_first ? second : first)) enqueue(*q);
      if (level < first) {  // note_limits(*f), the loop above done
        f->low = level;
        f->low_at = &p;
        f->next_low = first;
      } else {
        f->low = first;
        f->low_at = at_first;
        f->next_low = std::min(second, level);
      }
      const double rate = f->low;  // rate_of(*f)
      if (rate == f->rate) continue;
      settle(*f);
      set_rate(*f, rate);
      set_end(*f);
    }
  }
  worklist_.clear();
}

// Brings a flow's bytes left up to now at its current rate.
void FlowModel::settle(Flow& f) {
  const SimTime now = engine_.now();
  f.left = std::max(0.0, f.left - f.rate * static_cast<double>((now - f.settled).ps()));
  f.settled = now;
}

// Sets when a settled flow's last byte passes at its rate, and brings its end event forward if it
// is now sooner than the armed one (a later one re-arms itself when it finds the flow slower).
void FlowModel::set_end(Flow& f) {
  // Round up to a whole picosecond, forgiving the last bits of floating-point error (at most half
  // a picosecond); a flow longer than about 46 days of simulated time saturates there.
  const double ps = std::min(f.left / f.rate, 4e18);
  f.fluid_end = f.settled + SimTime::from_ps(static_cast<std::int64_t>(
                                std::ceil(ps - std::max(1e-6, std::min(ps * 1e-12, 0.5)))));
  if (f.alone) return;  // settle_alone arms its end event if it is woken
  if (f.fluid_end < f.armed) {
    f.armed = f.fluid_end;
    ++f.pending;
    engine_.schedule_at(f.armed, &FlowModel::on_flow_end, &f);
  }
}

void FlowModel::on_flow_end(void* flow) {
  auto& f = *static_cast<Flow*>(flow);
  FlowModel& self = *f.model;
  --f.pending;
  const SimTime now = self.engine_.now();
  if (f.flowing && now == f.armed) {
    if (now < f.fluid_end) {  // slowed down since this event was set
      f.armed = f.fluid_end;
      ++f.pending;
      self.engine_.schedule_at(f.armed, &FlowModel::on_flow_end, &f);
      return;
    }
    // A follower's caller is told the hand-over below, after the shares are settled: have its
    // context on its way.
    if (f.handed != nullptr) __builtin_prefetch(f.ctx, 1);
    self.leave(f, now);
    const SimTime hand_over = self.hand_over_at(f, now + f.tail);  // before those behind it
    self.let_in_behind(f);
    SimTime done_at = hand_over;
    if (f.handed != nullptr) {  // the hand-over is known now: the next event is the follower's
      const HandOverFn handed = f.handed;
      f.handed = nullptr;
      handed(f.ctx, hand_over);
      done_at += f.follow;
    }
    self.finish_at(f, done_at);
  } else if (f.finished && f.pending == 0) {
    self.recycle(&f);
  }
}

// A flow that has left its channels is done at `at`: when no event of its own is still queued it
// is recycled now and that event is its caller's own (so the event queue fetches the caller's
// context ahead, as it does any event's), else on_done tells the caller.
void FlowModel::finish_at(Flow& f, SimTime at) {
  if (f.pending > 0) {
    ++f.pending;
    engine_.schedule_at(at, &FlowModel::on_done, &f);
    return;
  }
  const sim::EventFn done = f.done;
  void* ctx = f.ctx;
  f.finished = true;
  recycle(&f);
  engine_.schedule_at(at, done, ctx);
}

// A flow's last byte has passed (at `at`, not after now): it leaves its channels, and the ones it
// saturated share what it held among the others (at the next refill).
void FlowModel::leave(Flow& f, SimTime at) {
  f.flowing = false;
  const bool traced = engine_.trace_sink() != nullptr;
  for (std::uint32_t k = 0; k < f.ports.size(); ++k) {
    Port* p = f.ports[k];
    // Its place goes to the port's last flow.
    std::uint32_t slot = 0;
    if (p->flows.indexed) {
      slot = f.slots[k];
    } else {
      while (slot < p->flows.size() && (p->flows[slot].flow != &f || p->flows[slot].k != k)) ++slot;
    }
    KB_ASSERT(slot < p->flows.size() && p->flows[slot].flow == &f,
              "a flow left a channel it never crossed");
    const Port::Member moved = p->flows.back();
    p->flows.set(slot, moved);
    p->flows.pop_back();
    if (p->flows.indexed) {
      moved.flow->slots[moved.k] = slot;
      if (p->flows.size() <= kIndexUntil) p->flows.indexed = false;
    }
    p->used -= f.rate;
    if (p->flows.empty()) {
      // A lane that its last flow filled at the lane's rate has no credits to spare; one it
      // filled at a fraction of it, that fraction of its buffer in flight.
      if (is_lane(*p))
        buckets_[lane_index(*p)] = {buffer_of(*p) * std::max(0.0, 1 - f.rate / p->capacity), at};
      p->used = 0;
      p->level = kUnlimited;
      if (traced && !is_lane(*p)) channel_of(*p).flow_idle(at);
    } else if (!std::isinf(p->level)) {  // one it did not saturate stays as it is
      enqueue(*p);
    }
  }
}

// A flow has left: those waiting behind it on its route that may pass now enter, and every share
// its leaving changed is brought to its new level.
void FlowModel::let_in_behind(Flow& f) {
  entering_.clear();
  f.route->queue.passed(f.rates, entering_);
  std::erase_if(entering_, [&](Flow* next) {
    draw_on_buckets(*next);
    return enter_alone(*next);
  });
  for (Flow* next : entering_) enter(*next);
  refill();
  for (Flow* next : entering_) {
    set_rate(*next, rate_of(*next));
    set_end(*next);
  }
}

bool FlowModel::is_lane(const Port& p) const {
  return static_cast<std::size_t>(&p - ports_.data()) >= channels_.size();
}

Channel& FlowModel::channel_of(const Port& p) const {
  return *channels_[static_cast<std::size_t>(&p - ports_.data())];
}

std::size_t FlowModel::lane_index(const Port& lane) const {
  return static_cast<std::size_t>(&lane - ports_.data()) - buckets_.size() / kBufferLanes;
}

double FlowModel::buffer_of(const Port& lane) const {
  const Port& bandwidth = ports_[lane_index(lane) / kBufferLanes];
  return static_cast<double>(channel_of(bandwidth).buffer().count());
}

// A buffer lane's free bytes now.
double FlowModel::tokens(const Port& lane) const {
  const Bucket& b = buckets_[lane_index(lane)];
  const SimTime now = engine_.now();
  const double refilled = now > b.at ? lane.capacity * static_cast<double>((now - b.at).ps()) : 0;
  return std::min(buffer_of(lane), b.bytes + refilled);
}

// A data flow about to enter its channels passes its route's buffer lanes at its channels' pace
// when no flow fills them and their buckets hold all its bytes (Bucket), as the chunk model sends
// it without waiting for a credit: it crosses its channels only, and each bucket refills from when
// its bytes have passed at the channel's bandwidth. Else it shares the lanes.
void FlowModel::draw_on_buckets(Flow& f) {
  RouteInfo& r = *f.route;
  if (!r.has_lanes) return;
  for (const Port* p : r.ports)
    if (is_lane(*p) && (!p->flows.empty() || tokens(*p) < f.left * (1 - 1e-12))) return;
  const SimTime now = engine_.now();
  for (std::size_t i = 0; i < r.ports.size(); ++i) {
    const Port* lane = r.ports[i];
    if (is_lane(*lane)) {
      const Port& channel = *r.ports[i - 1];  // the lane's channel comes before it
      const double pass_ps = f.left / channel.capacity;
      buckets_[lane_index(*lane)] = {
          std::max(0.0, tokens(*lane) - f.left),
          now + SimTime::from_ps(static_cast<std::int64_t>(std::ceil(pass_ps)))};
    }
  }
  f.ports = r.channel_ports;
  f.cap = cap(r, f.left, r.bandwidth_rate);
}

// When a flow whose bytes have all passed by `fluid` is handed over: its route's last stage serves
// one chunk at a time, so its last chunk leaves there no sooner than one service of it after the
// last chunk of the transfer handed over before it on the route (a message following a larger one
// waits for that one's last chunk at the end of the route, which the pipeline fill alone misses).
SimTime FlowModel::hand_over_at(Flow& f, SimTime fluid) {
  f.hand_over_before = f.route->last_hand_over;
  const SimTime at = std::max(fluid, f.hand_over_before + f.last_service);
  f.route->last_hand_over = at;
  return at;
}

// A flow that entered alone with no one behind it: its end and hand-over are one event, unless
// someone comes to its ports or its route first (settle_alone).
void FlowModel::end_alone(Flow& f) {
  f.alone = true;
  for (Port* p : f.ports) p->alone = &f;
  f.done_when_alone = true;
  f.route->alone = &f;
  set_end(f);
  f.armed = f.fluid_end;
  ++f.pending;
  engine_.schedule_at(hand_over_at(f, f.fluid_end + f.tail), &FlowModel::on_alone_done, &f);
}

// Someone comes to the ports or the route of a flow passing alone: if its last byte has passed it
// leaves as of then; else it is woken, to leave by its end event as shared flows do.
void FlowModel::settle_alone(Flow& f) {
  f.alone = false;
  for (Port* p : f.ports) p->alone = nullptr;
  f.route->alone = nullptr;
  if (f.fluid_end <= engine_.now()) {
    leave(f, f.fluid_end);
    none_entering_.clear();
    f.route->queue.passed(f.rates, none_entering_);  // no one waited behind it
    KB_ASSERT(none_entering_.empty(), "a flow passed alone with others behind it");
    return;
  }
  f.done_when_alone = false;
  f.route->last_hand_over = f.hand_over_before;  // its hand-over is set again at its end
  ++f.pending;
  engine_.schedule_at(f.armed, &FlowModel::on_flow_end, &f);
}

void FlowModel::settle_alone_on(const Flow& f) {
  for (const Port* p : f.ports)
    if (p->alone != nullptr) settle_alone(*p->alone);
}

// The hand-over of a flow that entered alone: it leaves its channels as of its end if no one came
// to them since; a woken flow's hand-over is its own (this event is then stale).
void FlowModel::on_alone_done(void* flow) {
  auto& f = *static_cast<Flow*>(flow);
  FlowModel& self = *f.model;
  if (!f.done_when_alone) {
    --f.pending;
    if (f.finished && f.pending == 0) self.recycle(&f);
    return;
  }
  if (f.alone) self.settle_alone(f);
  on_done(flow);
}

void FlowModel::on_done(void* flow) {
  auto& f = *static_cast<Flow*>(flow);
  if (f.handed != nullptr) {  // handed over now (it ended alone): its follower lands later
    const HandOverFn handed = f.handed;
    f.handed = nullptr;
    handed(f.ctx, f.model->engine_.now());
    f.model->engine_.schedule_at(f.model->engine_.now() + f.follow, &FlowModel::on_done, &f);
    return;
  }
  --f.pending;
  f.finished = true;
  const sim::EventFn done = f.done;
  void* ctx = f.ctx;
  if (f.pending == 0) f.model->recycle(&f);  // else the last stale end event recycles it
  done(ctx);
}

std::vector<double> FlowModel::rates_at(const Channel& channel) const {
  std::vector<std::pair<std::uint64_t, double>> joined;
  for (const auto& [f, k] : ports_[channel.index()].flows)
    if (!f->alone || f->fluid_end > engine_.now()) joined.emplace_back(f->joined, f->rate);
  std::stable_sort(joined.begin(), joined.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<double> rates;
  for (const auto& [order, rate] : joined) rates.push_back(rate);
  return rates;
}

}  // namespace kernbench::hw
