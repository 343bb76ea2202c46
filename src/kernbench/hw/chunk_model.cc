#include "kernbench/hw/chunk_model.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "kernbench/base/assert.h"

namespace kernbench::hw {
namespace {
// A buffer lane: traffic class x virtual channel. A port carries one class (data and control have
// ports of their own), so it keeps the lanes of its class's two virtual channels.
constexpr std::size_t kPortLanes = 2;
constexpr std::uint64_t kCatchUp = 2;
std::uint8_t lane_of(TrafficClass traffic, std::uint8_t virtual_channel) {
  return static_cast<std::uint8_t>(static_cast<unsigned>(traffic) * 2 + virtual_channel);
}
// A lane's place in its port's arrays (and its bit in the port's lane masks).
constexpr std::size_t port_lane(std::uint8_t lane) { return lane & 1u; }

// Credits on their way back to one lane, in time order: the earliest in the object itself (most
// lanes have one credit in flight at a time, which then touches no other cache line), the others in
// a ring buffer (no node allocated or freed as it cycles).
class Returning {
 public:
  struct Credit {
    SimTime at;
    std::uint64_t bytes;
  };
  bool empty() const { return size_ == 0; }
  const Credit& front() const { return front_; }
  void pop_front() {
    if (--size_ == 0) return;
    front_ = items_[head_];
    head_ = (head_ + 1) & (capacity_ - 1);
  }
  void push_back(SimTime at, std::uint64_t bytes) {
    if (size_ == 0) {
      front_ = Credit{at, bytes};
    } else {
      const std::uint32_t behind = size_ - 1;  // in the ring
      if (behind == capacity_) grow();
      items_[(head_ + behind) & (capacity_ - 1)] = Credit{at, bytes};
    }
    ++size_;
  }

 private:
  void grow() {
    const std::uint32_t capacity = std::max<std::uint32_t>(8, capacity_ * 2);
    auto items = std::make_unique<Credit[]>(capacity);
    for (std::uint32_t i = 0; i + 1 < size_; ++i) items[i] = items_[(head_ + i) & (capacity_ - 1)];
    items_ = std::move(items);
    capacity_ = capacity;
    head_ = 0;
  }

  Credit front_{};
  std::uint32_t size_ = 0;      // with the front
  std::uint32_t head_ = 0;      // the ring's first
  std::uint32_t capacity_ = 0;  // the ring's, a power of two
  std::unique_ptr<Credit[]> items_;
};
}  // namespace

// One stage of one transfer: the chunks that have reached its input and wait for its channel. It
// holds what serving a chunk needs of its transfer (one cache line per stage: a chunk's arrival
// reads its stage and its port, not the transfer).
struct alignas(64) ChunkModel::Stage {
  Transfer* transfer = nullptr;
  Port* port = nullptr;          // its channel's
  std::uint64_t served = 0;      // chunks served so far (the next one's number)
  std::uint64_t start = 0;       // the port's virtual time when it joined (see serve_next)
  std::uint64_t chunks = 0;      // its transfer's
  std::uint64_t last_bytes = 0;  // of its transfer's last chunk
  std::uint32_t index = 0;       // in the route
  std::uint32_t waiting = 0;     // chunks at its input, not yet served
  std::uint8_t lane = 0;         // of the buffer at its channel's receiving end
  bool queued = false;           // in its port's ready or blocked list
  bool joined = false;           // its first chunk has reached the port
  bool last = false;             // the route's last stage
  bool bottleneck = false;       // the route's bottleneck (data transfers)

  std::uint64_t tag() const { return start + served; }
  std::uint64_t chunk_bytes(std::uint64_t k, std::uint64_t chunk) const {
    return k + 1 < chunks ? chunk : last_bytes;
  }
};

struct ChunkModel::Transfer {
  // First cache line: what its landings and its hand-over read (a one-chunk transfer's last stage
  // touches no other line of it).
  ChunkModel* model = nullptr;
  Stage* stages = nullptr;  // in_place, or more for a longer route
  std::uint64_t size = 0;
  std::uint64_t chunks = 0;  // at least one (an empty transfer sends one empty chunk)
  std::uint64_t injected = 0;
  sim::EventFn done = nullptr;
  void* ctx = nullptr;
  std::uint32_t stage_count = 0;
  TrafficClass traffic = TrafficClass::data;
  bool passed = false;  // its route's next transfers have been let go
  // Second: what letting its route's next transfers go reads.
  RouteFacts* route = nullptr;  // its route's queue and facts (data transfers)
  RouteRates rates;
  std::uint32_t bottleneck = 0;  // its route's first slowest stage (route_facts)
  // Chunks the bottleneck serves while a chunk injected now travels to it: once no more than these
  // are left there (and the first stage has sent every chunk), the route's next transfer follows.
  std::uint64_t lead = 0;
  // A route's stages, kept in the transfer (no allocation per transfer): most routes have few.
  std::array<Stage, 4> in_place{};
  std::vector<Stage> more;
};

// The stages of one traffic class waiting at a port, in turn: a heap on (key, turn), where a
// stage put back at the front takes its turn before every other. Control's key is constant, so it
// is served in turn; data's is the fewest chunks served here since the transfer joined (its tag),
// the earliest in turn among equals. A queued stage's tag only grows (catching up, see arrive), so
// an entry whose key is stale is put back with it brought up to date when it comes out.
class ChunkModel::Turns {
 public:
  explicit Turns(bool by_tag = true) : by_tag_(by_tag) {}
  bool empty() const { return heap_.empty(); }
  // The stage likely to come out next (the top, unless its key is stale); not empty.
  const Stage* top() const { return heap_.front().stage; }
  void push_back(Stage* s) { push(s, ++back_); }
  void push_front(Stage* s) { push(s, --front_); }
  Stage* pop() {
    for (;;) {
      std::pop_heap(heap_.begin(), heap_.end(), Later{});
      const Entry e = heap_.back();
      heap_.pop_back();
      if (e.key == key(*e.stage)) return e.stage;
      push(e.stage, e.turn);
    }
  }

 private:
  struct Entry {
    std::uint64_t key;
    std::int64_t turn;
    Stage* stage;
  };
  // (A type, not a function pointer, so the heap's steps inline it.)
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.key != b.key ? a.key > b.key : a.turn > b.turn;
    }
  };
  std::uint64_t key(const Stage& s) const { return by_tag_ ? s.tag() : 0; }
  void push(Stage* s, std::int64_t turn) {
    heap_.push_back(Entry{key(*s), turn, s});
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }

  bool by_tag_;
  std::vector<Entry> heap_;
  std::int64_t back_ = 0, front_ = 0;
};

// The model's state of one channel for one traffic class (data and control have ports of their
// own), laid out by use: what every chunk's arrival, service and wake reads in its first cache
// line (with whether stages wait and which lanes have credits coming or stages blocked), the
// credits and the first lane's returning ones in its second.
struct alignas(64) ChunkModel::Port {
  ChunkModel* model = nullptr;
  SimTime free_at;                       // when the chunk in service has left
  SimTime wake_at = SimTime::max();      // the earliest wake event scheduled
  SimTime next_return = SimTime::max();  // the earliest credit on its way back
  std::uint64_t virtual_time = 0;        // the largest tag served (see serve_next)
  // The stage served last: it rejoins its class's turn at the next decision, behind whoever
  // arrived while its chunk was served (a round-robin arbiter's pointer, not a requeue at once).
  Stage* last = nullptr;
  SimTime latency;                   // its channel's
  bool has_ready = false;            // `ready` is not empty
  std::uint8_t blocked_lanes = 0;    // bit l: blocked[l] is not empty (l: port_lane)
  std::uint8_t returning_lanes = 0;  // bit l: returning[l] is not empty
  // Second line: what serving a chunk reads and writes besides.
  std::array<std::uint64_t, kPortLanes> credits{};  // free bytes of each lane's buffer
  // The service of chunks of memo_size here, and how many it served not yet recorded in its
  // channel (Channel::record_chunks, when the size changes or the channel is read).
  std::uint64_t memo_size = 0;  // zero at first, whose service is zero
  SimTime memo_service;
  std::uint64_t memo_count = 0;
  // Its channel's busy run [run_start, run_end), kept by the channel's data port for both.
  SimTime run_start;
  SimTime run_end;
  Channel* channel = nullptr;
  // Credits on their way back, in time order (each lane's come back over one latency).
  std::array<Returning, kPortLanes> returning;
  Turns ready;                                          // its class's stages waiting, in turn
  std::array<std::vector<Stage*>, kPortLanes> blocked;  // waiting for room on a lane, in order
  void push_ready(Stage* s) {
    ready.push_back(s);
    has_ready = true;
  }
  Stage* pop_ready() {
    Stage* s = ready.pop();
    has_ready = !ready.empty();
    return s;
  }
};

ChunkModel::ChunkModel(sim::Engine& engine, const Fabric& fabric, Bytes chunk_size,
                       int chunks_in_flight)
    : engine_(engine),
      chunk_size_(chunk_size.count()),
      window_(static_cast<std::uint32_t>(chunks_in_flight)) {
  KB_ASSERT(chunk_size.count() > 0 && chunks_in_flight > 0,
            "transfers need a positive chunk size and window");
  control_ports_ = fabric.channels().size();
  ports_.resize(2 * control_ports_);
  for (const auto& c : fabric.channels()) {
    for (const std::size_t at : {std::size_t{c->index()}, control_ports_ + c->index()}) {
      Port& p = ports_[at];
      p.model = this;
      p.channel = c.get();
      p.latency = c->latency();
      p.credits.fill(c->buffer().count());
      p.ready = Turns(at < control_ports_);  // data by tag, control in turn
    }
    c->set_pending_flows(this);
  }
}

ChunkModel::~ChunkModel() {
  record_pending();
  const PendingFlows* mine = this;
  for (std::size_t at = 0; at < control_ports_; ++at)
    if (ports_[at].channel->pending_flows() == mine) ports_[at].channel->set_pending_flows(nullptr);
}

// Records every port's counts in its channel, and the busy runs (which the channels then hold
// until a port serves again: flush_trace moves a run's start).
void ChunkModel::record_pending() const {
  // (Const as the channels' readers are; what moves is a copy of what the channels would hold.)
  auto& self = const_cast<ChunkModel&>(*this);
  for (Port& p : self.ports_) record_counts(p);
  if (runs_in_channels_) return;
  for (std::size_t at = 0; at < control_ports_; ++at)
    self.ports_[at].channel->set_run(self.ports_[at].run_start, self.ports_[at].run_end);
  runs_in_channels_ = true;
}

void ChunkModel::take_runs() {
  for (std::size_t at = 0; at < control_ports_; ++at) {
    Port& p = ports_[at];
    p.run_start = p.channel->run_start();
    p.run_end = p.channel->run_end();
  }
  runs_in_channels_ = false;
}

// The chunks of the port's memo size served and not yet recorded: recorded in its channel.
void ChunkModel::record_counts(Port& p) {
  p.channel->record_chunks(p.memo_count, Bytes(p.memo_size), p.memo_service);
  p.memo_count = 0;
}

// A chunk of another size than the last: the port records the chunks of the last size served so
// far in its channel and takes the new size's service from it.
void ChunkModel::remember(Port& p, std::uint64_t size) {
  record_counts(p);
  p.memo_size = size;
  p.memo_service = p.channel->service_time(Bytes(size));
}

ChunkModel::Transfer* ChunkModel::pooled_transfer() {
  if (free_transfers_.empty()) {
    transfer_pool_.emplace_back();
    return &transfer_pool_.back();
  }
  Transfer* t = free_transfers_.back();
  free_transfers_.pop_back();
  return t;
}

void ChunkModel::start(const Route& route, Bytes size, TrafficClass traffic, sim::EventFn done,
                       void* ctx) {
  ++active_;
  const Waiting w{size.count(), done, ctx, nullptr};
  if (traffic != TrafficClass::data) {  // control traffic does not queue
    inject(new_transfer(w, traffic, plan(route, traffic)));
    return;
  }
  start_data(route, w);
}

void ChunkModel::start_in_group(const Route& route, Bytes size, TransferGroup& group) {
  ++active_;
  start_data(route, Waiting{size.count(), &ChunkModel::grouped, &group, nullptr});
}

void ChunkModel::grouped(void* /*group*/) {
  KB_ASSERT(false, "a group member's finish is counted where it is served, never run");
}

void ChunkModel::start_data(const Route& route, const Waiting& w) {
  RouteFacts& r = route.model_facts.model == this
                      ? *static_cast<RouteFacts*>(route.model_facts.facts)
                      : route_facts(route);
  // Whether it may send its chunks now, or waits behind the earlier ones of its route
  // (hw::RouteQueue). A waiting transfer is a small record until it enters; one whose route
  // differs from the first seen between its ends is made at once.
  Waiting entry = w;
  if (route.stages != r.channels || route.virtual_channels != r.virtual_channels)
    entry.made = &new_data_transfer(r, w, plan(route, TrafficClass::data));
  r.waiting.push_back(entry);
  const RouteRates& rates_now = rates(r, w.size);
  if (r.waiting.size() > 1 || !r.admission.room(rates_now)) return;
  r.admission.change(rates_now, 1);
  inject(enter(r));
}

const RouteRates& ChunkModel::rates(const RouteFacts& r, std::uint64_t size) const {
  return size > chunk_size_ * window_ ? r.whole : r.fits;
}

// Each stage's port and lane on `route` (in a vector reused by the next call).
std::span<const ChunkModel::StageAt> ChunkModel::plan(const Route& route, TrafficClass traffic) {
  planned_.clear();
  for (std::size_t i = 0; i < route.stages.size(); ++i) {
    const std::uint8_t vc = route.virtual_channels.empty() ? 0 : route.virtual_channels[i];
    const std::size_t port =
        (traffic == TrafficClass::data ? 0 : control_ports_) + route.stages[i]->index();
    planned_.push_back(StageAt{&ports_[port], lane_of(traffic, vc)});
  }
  return planned_;
}

ChunkModel::Transfer& ChunkModel::new_transfer(const Waiting& w, TrafficClass traffic,
                                               std::span<const StageAt> stages) {
  Transfer& t = *pooled_transfer();
  t.model = this;
  t.size = w.size;
  t.chunks = std::max<std::uint64_t>(1, (t.size + chunk_size_ - 1) / chunk_size_);
  t.traffic = traffic;
  t.done = w.done;
  t.ctx = w.ctx;
  t.stage_count = static_cast<std::uint32_t>(stages.size());
  if (t.stage_count <= t.in_place.size()) {
    t.stages = t.in_place.data();
  } else {
    t.more.resize(t.stage_count);
    t.stages = t.more.data();
  }
  const std::uint64_t last_bytes = t.size - (t.chunks - 1) * chunk_size_;
  for (std::uint32_t i = 0; i < t.stage_count; ++i) {
    Stage& s = t.stages[i];
    s = Stage{};
    s.transfer = &t;
    s.port = stages[i].port;
    s.chunks = t.chunks;
    s.last_bytes = last_bytes;
    s.index = i;
    s.lane = stages[i].lane;
    s.last = i + 1 == t.stage_count;
  }
  return t;
}

ChunkModel::Transfer& ChunkModel::new_data_transfer(RouteFacts& r, const Waiting& w,
                                                    std::span<const StageAt> stages) {
  Transfer& t = new_transfer(w, TrafficClass::data, stages);
  t.bottleneck = r.bottleneck;
  t.stages[t.bottleneck].bottleneck = true;
  t.lead = r.lead;
  t.passed = false;
  t.route = &r;
  t.rates = rates(r, t.size);
  return t;
}

void ChunkModel::WaitingRing::grow() {
  const std::uint32_t capacity = std::max<std::uint32_t>(16, capacity_ * 2);
  auto items = std::make_unique_for_overwrite<Record[]>(capacity);
  for (std::uint32_t i = 0; i < size_; ++i) items[i] = items_[(head_ + i) & (capacity_ - 1)];
  items_ = std::move(items);
  capacity_ = capacity;
  head_ = 0;
}

// The first waiting transfer of its route enters it: made now unless made at its start.
ChunkModel::Transfer& ChunkModel::enter(RouteFacts& r) {
  const Waiting w = r.waiting.front();
  r.waiting.pop_front();
  return w.made != nullptr ? *w.made : new_data_transfer(r, w, r.stages);
}

// A route's facts, worked out at its first data transfer and kept on the route from then on (its
// copies and other routes between the same ends find them in routes_).
ChunkModel::RouteFacts& ChunkModel::route_facts(const Route& route) {
  auto [it, first] = routes_.try_emplace(RouteQueue<Transfer>::key(route));
  RouteFacts& r = it->second;
  route.model_facts = {this, &r};  // (the map's entries stay put)
  if (!first) return r;
  r.channels = route.stages;
  r.virtual_channels = route.virtual_channels;
  const auto stages = plan(route, TrafficClass::data);
  r.stages.assign(stages.begin(), stages.end());
  // The route's bottleneck paces its chunks: its first slowest stage by bandwidth over passes or,
  // where the route goes on from a stage, by its buffer over a chunk's credit round trip when that
  // is below a whole window's rate too (the stage serves a chunk no sooner than its credit is back;
  // where the window is slower still, it paces every stage alike). A transfer passes it before the
  // next is sent.
  const Bytes chunk(chunk_size_);
  const int window = static_cast<int>(window_);
  r.fits = route_rates(route, Bytes(0), chunk, window);
  r.whole = route_rates(route, Bytes(chunk_size_ * window_ + 1), chunk, window);
  double slowest = std::numeric_limits<double>::infinity();
  bool credit_paced = false;  // the bottleneck's buffer sets its rate
  for (std::uint32_t i = 0; i < route.stages.size(); ++i) {
    double rate = stage_bandwidth(route, i);
    bool paced = false;
    if (i + 1 < route.stages.size()) {
      const double buffer = buffer_rate(*route.stages[i], chunk);
      paced = buffer < rate && buffer < r.whole.window;
      if (paced) rate = buffer;
    }
    if (rate < slowest) {
      slowest = rate;
      r.bottleneck = i;
      credit_paced = paced;
    }
  }
  const SimTime reach = time_to_reach(route, r.bottleneck, chunk);
  const auto pace =
      credit_paced
          ? static_cast<std::int64_t>(std::ceil(static_cast<double>(chunk_size_) / slowest))
          : route.stages[r.bottleneck]->service_time(chunk).ps();
  r.lead = static_cast<std::uint64_t>((reach.ps() + pace - 1) / std::max<std::int64_t>(1, pace));
  return r;
}

// The DMA engine sends a transfer's first chunks (as many as its window holds).
void ChunkModel::inject(Transfer& t) {
  t.injected = std::min<std::uint64_t>(t.chunks, window_);
  Stage& first = t.stages[0];
  first.waiting = static_cast<std::uint32_t>(t.injected);
  chunk_hops_ += t.injected;
  arrive(first);
}

// A chunk (or, at the first stage, the first chunks) has reached s's input.
void ChunkModel::arrive(Stage& s) {
  Port& p = *s.port;
  if (!s.joined) {
    s.joined = true;
    s.start = p.virtual_time;
  }
  // A transfer whose chunks were held elsewhere catches up by at most kCatchUp chunks.
  if (s.tag() + kCatchUp < p.virtual_time) s.start = p.virtual_time - kCatchUp - s.served;
  if (s.queued) {
    try_serve(p);
    return;
  }
  s.queued = true;
  absorb_credits(p);
  // Alone at a free port (nothing ready, the stage served last has nothing left here): it is the
  // one serve_next would take, so it skips the turns.
  if (p.free_at <= engine_.now() && !p.has_ready && (p.last == nullptr || p.last->waiting == 0)) {
    if (Stage* last = std::exchange(p.last, nullptr); last != nullptr) last->queued = false;
    serve_or_block(p, s);
  } else {
    p.push_ready(&s);
    if (p.free_at <= engine_.now()) serve_next(p);
  }
  arm(p);
}

void ChunkModel::on_arrival(void* stage) {
  auto& s = *static_cast<Stage*>(stage);
  // What serving its chunk reads besides the stage and its port's first line, all gone cold since
  // the chunk left the stage before: the port's second line (credits, service memo, busy run),
  // the stage before (its credit goes back through it) and at the last stage the transfer's
  // header (read when done).
  __builtin_prefetch(reinterpret_cast<const char*>(s.port) + 64);
  if (s.index != 0) __builtin_prefetch(&s - 1);
  if (s.last) __builtin_prefetch(s.transfer);
  ChunkModel& self = *s.port->model;
  ++self.chunk_hops_;
  ++s.waiting;
  self.arrive(s);
}

// A chunk landed while the transfer still had chunks to send: the DMA engine sends the next one.
void ChunkModel::on_landed(void* transfer) {
  auto& t = *static_cast<Transfer*>(transfer);
  ChunkModel& self = *t.model;
  if (t.injected == t.chunks) return;
  ++t.injected;
  ++self.chunk_hops_;
  ++t.stages[0].waiting;
  self.arrive(t.stages[0]);
}

void ChunkModel::on_finished(void* transfer) {
  auto& t = *static_cast<Transfer*>(transfer);
  ChunkModel& self = *t.model;
  --self.active_;
  const sim::EventFn done = t.done;
  void* ctx = t.ctx;
  self.free_transfers_.push_back(&t);
  done(ctx);
}

void ChunkModel::on_wake(void* port) {
  auto& p = *static_cast<Port*>(port);
  // For serve_next, after the credits: the port's second line, the stage served last, and the
  // one first in turn.
  __builtin_prefetch(reinterpret_cast<const char*>(&p) + 64);
  if (p.last != nullptr) __builtin_prefetch(p.last);
  if (p.has_ready) __builtin_prefetch(p.ready.top());
  if (p.model->engine_.now() == p.wake_at) p.wake_at = SimTime::max();
  p.model->try_serve(p);
}

void ChunkModel::wake(Port& p, SimTime at) {
  if (at >= p.wake_at) return;
  p.wake_at = at;
  engine_.schedule_at(at, &ChunkModel::on_wake, &p);
}

// Credits that have come back by now free their lanes; transfers blocked on a lane that has room
// again go back to the front of their class's turn, in the order they were blocked.
void ChunkModel::absorb_credits(Port& p) {
  const SimTime now = engine_.now();
  if (p.next_return > now) return;
  p.next_return = SimTime::max();
  for (unsigned lanes = p.returning_lanes; lanes != 0; lanes &= lanes - 1) {
    const auto lane = static_cast<std::size_t>(std::countr_zero(lanes));  // (a port_lane)
    auto& back = p.returning[lane];
    if (back.front().at > now) {
      p.next_return = std::min(p.next_return, back.front().at);
      continue;
    }
    while (!back.empty() && back.front().at <= now) {
      p.credits[lane] += back.front().bytes;
      back.pop_front();
    }
    if (!back.empty()) {
      p.next_return = std::min(p.next_return, back.front().at);
    } else {
      p.returning_lanes &= static_cast<std::uint8_t>(~(1u << lane));
    }
    if ((p.blocked_lanes & (1u << lane)) == 0) continue;
    auto& blocked = p.blocked[lane];
    for (auto it = blocked.rbegin(); it != blocked.rend(); ++it) p.ready.push_front(*it);
    p.has_ready = true;
    blocked.clear();
    p.blocked_lanes &= static_cast<std::uint8_t>(~(1u << lane));
  }
}

// If the channel is free, serves the next chunk that has room downstream: control before data,
// round-robin over the transfers waiting in each class. Then arms its wake.
void ChunkModel::try_serve(Port& p) {
  absorb_credits(p);
  if (p.free_at <= engine_.now()) serve_next(p);
  arm(p);
}

// Makes sure the port is woken when it can serve again: when it is free if chunks are ready, when
// credits are back if chunks are blocked.
void ChunkModel::arm(Port& p) {
  if (p.has_ready || (p.last != nullptr && p.last->waiting > 0)) wake(p, p.free_at);
  // Lanes in ascending order: which of these wakes get an event depends on the order they come.
  for (unsigned lanes = p.blocked_lanes & p.returning_lanes; lanes != 0; lanes &= lanes - 1) {
    const auto lane = static_cast<std::size_t>(std::countr_zero(lanes));
    wake(p, std::max(p.free_at, p.returning[lane].front().at));
  }
}

void ChunkModel::serve_next(Port& p) {
  if (Stage* last = std::exchange(p.last, nullptr); last != nullptr) {
    if (last->waiting == 0) {
      last->queued = false;
    } else if (!p.has_ready) {
      // Nobody else waits: the turns would hand it straight back (the most common case, a port
      // one transfer crosses at a time).
      serve_or_block(p, *last);
      return;
    } else {
      p.push_ready(last);
    }
  }
  while (p.has_ready) {
    // Data: the transfer with the fewest chunks served here since it joined (its tag), the
    // earliest in turn among equals; a transfer whose chunks were held upstream keeps its place
    // and catches up when they come, so every transfer crossing the port gets its share even
    // where a buffer upstream shows the port only some of them at a time. Control: in turn.
    if (serve_or_block(p, *p.pop_ready())) return;
  }
}

// Serves s's next chunk if the buffer at the channel's receiving end has room for it (the last
// stage needs none); else s waits for room on its lane.
bool ChunkModel::serve_or_block(Port& p, Stage& s) {
  const std::uint64_t size = s.chunk_bytes(s.served, chunk_size_);
  const std::size_t lane = port_lane(s.lane);
  if (!s.last && p.credits[lane] < size) {
    p.blocked[lane].push_back(&s);
    p.blocked_lanes |= static_cast<std::uint8_t>(1u << lane);
    return false;
  }
  serve(p, s, size);
  // A stage that has served its transfer's every chunk is done with this port (its transfer
  // may land and be reused before the next decision).
  if (s.served == s.chunks) {
    s.queued = false;
    // A group member done without a finish event (see finish) is free for reuse.
    if (s.last && s.transfer->done == &ChunkModel::grouped) free_transfers_.push_back(s.transfer);
  } else {
    p.last = &s;
  }
  return true;
}

// t's last chunk is handed over at `at`: its finish event, unless t is a group member done before
// the last whose window held every chunk (no landing event of it is pending). Members end at one
// channel, so the last one served there is the last handed over (ties in event order), and its
// event alone keeps the time and order of the group's last count-down.
void ChunkModel::finish(Transfer& t, SimTime at) {
  if (t.done == &ChunkModel::grouped) {
    auto& group = *static_cast<TransferGroup*>(t.ctx);
    if (--group.left == 0) {
      t.done = group.done;
      t.ctx = group.ctx;
    } else if (t.chunks <= window_) {
      --active_;
      return;  // released by serve_or_block, once done with it
    } else {
      t.done = &ChunkModel::nothing;
    }
  }
  engine_.schedule_at(at, &ChunkModel::on_finished, &t);
}

// Its route's next transfers may follow once its first stage has sent every chunk and the
// bottleneck has no more of them left than it serves while a next transfer's first chunk travels
// to it: the route stays busy and its transfers do not overlap.
void ChunkModel::pass_on(Transfer& t) {
  if (t.passed || t.traffic != TrafficClass::data || t.stages[0].served < t.chunks ||
      t.stages[t.bottleneck].served + t.lead < t.chunks)
    return;
  t.passed = true;
  // The transfers let go enter in queue order before any is sent: an injection may serve, and
  // pass, at once, and a nested call lets later ones go (appending after this call's entries and
  // taking its own back off before returning).
  RouteFacts& r = *t.route;
  r.admission.change(t.rates, -1);
  const std::size_t from = entering_.size();
  while (!r.waiting.empty()) {
    const RouteRates& next = rates(r, r.waiting.front().size);
    if (!r.admission.room(next)) break;
    r.admission.change(next, 1);
    entering_.push_back(&enter(r));
  }
  for (std::size_t i = from; i < entering_.size(); ++i) inject(*entering_[i]);
  entering_.resize(from);
}

void ChunkModel::serve(Port& p, Stage& s, std::uint64_t size) {
  if (s.index != 0) __builtin_prefetch(&s - 1);  // its credit goes back through it at the end
  const SimTime now = engine_.now();
  if (size != p.memo_size) [[unlikely]]
    remember(p, size);
  const SimTime service = p.memo_service;
  ++p.memo_count;
  // The channel's busy run (as Channel::flow_busy keeps it for flows), which its data port keeps
  // for both ports; a gap ends the run before it in the trace.
  if (runs_in_channels_) [[unlikely]]
    take_runs();
  Port& run = &p < ports_.data() + control_ports_ ? p : *(&p - control_ports_);
  if (now > run.run_end) [[unlikely]] {
    if (sim::TraceSink* sink = engine_.trace_sink(); sink != nullptr)
      p.channel->trace_run(run.run_start, run.run_end, sink);
    run.run_start = now;
    run.run_end = now;
  }
  run.run_end = std::max(run.run_end, now + service);
  p.free_at = now + service;
  p.virtual_time = std::max(p.virtual_time, s.tag());
  --s.waiting;
  ++s.served;
  const SimTime handed_on = p.free_at + p.latency;
  if (!s.last) {
    p.credits[port_lane(s.lane)] -= size;
    engine_.schedule_at(handed_on, &ChunkModel::on_arrival, &s + 1);  // (the stages are in order)
  } else {
    // Landings matter only while the window holds chunks back, and at the end (the last stage
    // hands chunks on in order, so the last one's hand-over ends the transfer).
    if (s.served == s.chunks) {
      finish(*s.transfer, handed_on);
    } else if (s.transfer->injected < s.chunks) {
      engine_.schedule_at(handed_on, &ChunkModel::on_landed, s.transfer);
    }
  }
  if (s.index == 0 || s.bottleneck) pass_on(*s.transfer);
  if (s.index == 0) return;
  // The chunk starts to leave the previous stage's buffer: its credit travels back.
  const Stage& before = *(&s - 1);
  Port& upstream = *before.port;
  const SimTime back = now + upstream.latency;
  const std::size_t lane = port_lane(before.lane);
  upstream.returning[lane].push_back(back, size);
  upstream.returning_lanes |= static_cast<std::uint8_t>(1u << lane);
  upstream.next_return = std::min(upstream.next_return, back);
  if (upstream.blocked_lanes & (1u << lane)) wake(upstream, back);
}

std::string ChunkModel::describe_stall() const {
  if (active_ == 0) return {};
  std::string out = fmt::format("{} transfer(s) unfinished", active_);
  for (std::size_t at = 0; at < ports_.size(); ++at) {
    const Port& p = ports_[at];
    for (std::size_t lane = 0; lane < kPortLanes; ++lane)
      if (!p.blocked[lane].empty())
        out += fmt::format(
            "; {} waits for room in its {} buffer (virtual channel {}): {} transfer(s) blocked, {} "
            "bytes free",
            p.channel->track(), at < control_ports_ ? "data" : "control", lane,
            p.blocked[lane].size(), p.credits[lane]);
  }
  return out;
}

}  // namespace kernbench::hw
