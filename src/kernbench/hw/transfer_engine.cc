#include "kernbench/hw/transfer_engine.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernbench/base/assert.h"
#include "kernbench/sim/process.h"

namespace kernbench::hw {

struct Flow {};

struct TransferEngine::Transfer : Flow {
  TransferEngine* owner = nullptr;
  std::vector<Channel*> stages;
  std::uint64_t remaining = 0;  // bytes not yet injected into the first stage
  std::uint64_t in_flight = 0;  // chunks injected and not yet through the last stage
  SimTime last_handoff;         // when the latest chunk leaves the last stage
  sim::EventFn done = nullptr;
  void* ctx = nullptr;
  // The flow model.
  double left = 0;            // bytes still to pass, as of `settled`
  double rate = 0;            // bytes per picosecond now
  SimTime settled;            // when `left` was last brought up to date
  SimTime fluid_end;          // when the last byte passes at the current rate
  SimTime armed;              // the end event relied on (armed <= fluid_end while flowing)
  SimTime tail;               // the route's latencies and the last chunk's service but the slowest
  Bytes last_chunk;           // served in arrival order at the slowest stage after the flow
  std::size_t slowest = 0;    // index of the slowest stage (the first of equals)
  std::uint32_t pending = 0;  // end events scheduled and not yet run
  std::uint64_t stamp = 0;    // reshare's visit mark
  bool flowing = false;
  bool finished = false;
};

TransferEngine::TransferEngine(sim::Engine& engine, Bytes chunk_size, topo::FabricModel model)
    : engine_(engine), chunk_size_(chunk_size), model_(model) {
  KB_ASSERT(chunk_size.count() > 0, "transfers need a positive chunk size");
}

TransferEngine::~TransferEngine() = default;

TransferEngine::Transfer* TransferEngine::new_transfer() {
  if (free_transfers_.empty()) {
    transfer_pool_.emplace_back();
    return &transfer_pool_.back();
  }
  Transfer* t = free_transfers_.back();
  free_transfers_.pop_back();
  return t;
}

void TransferEngine::recycle(Transfer* t) {
  t->stages.clear();
  free_transfers_.push_back(t);
}

TransferEngine::Chunk* TransferEngine::new_chunk(Transfer& t, std::uint64_t size) {
  Chunk* c;
  if (free_chunks_.empty()) {
    chunk_pool_.emplace_back();
    c = &chunk_pool_.back();
  } else {
    c = free_chunks_.back();
    free_chunks_.pop_back();
  }
  *c = Chunk{&t, 0, size};
  return c;
}

void TransferEngine::start(const Route& route, Bytes size, sim::EventFn done, void* ctx) {
  ++started_;
  if (route.stages.empty()) {
    engine_.schedule_in(SimTime::zero(), done, ctx);
    return;
  }
  Transfer& t = *new_transfer();
  t.owner = this;
  t.stages = route.stages;
  t.remaining = size.count();
  t.in_flight = 0;
  t.last_handoff = engine_.now();
  t.done = done;
  t.ctx = ctx;
  if (model_ == topo::FabricModel::flows) return start_flow(t);
  inject(t);
}

// Puts the next chunk (a zero-byte chunk for an empty transfer) into the first stage now.
void TransferEngine::inject(Transfer& t) {
  const std::uint64_t size = std::min(t.remaining, chunk_size_.count());
  t.remaining -= size;
  ++t.in_flight;
  on_arrival(new_chunk(t, size));
}

void TransferEngine::on_inject(void* transfer) {
  auto& t = *static_cast<Transfer*>(transfer);
  t.owner->inject(t);
}

void TransferEngine::on_arrival(void* chunk) {
  Chunk& c = *static_cast<Chunk*>(chunk);
  Transfer& t = *c.transfer;
  TransferEngine& self = *t.owner;
  ++self.chunk_hops_;
  Channel& stage = *t.stages[c.stage];
  const SimTime handoff = stage.serve(self.engine_.now(), Bytes(c.size), self.engine_.trace_sink());
  // The next chunk may enter the first stage once this one has been served there.
  if (c.stage == 0 && t.remaining > 0)
    self.engine_.schedule_at(handoff - stage.latency(), &TransferEngine::on_inject, &t);
  if (++c.stage < t.stages.size()) {
    self.engine_.schedule_at(handoff, &TransferEngine::on_arrival, &c);
    return;
  }
  self.free_chunks_.push_back(&c);
  t.last_handoff = std::max(t.last_handoff, handoff);
  if (--t.in_flight == 0 && t.remaining == 0)
    self.engine_.schedule_at(t.last_handoff, &TransferEngine::on_finish, &t);
}

void TransferEngine::on_finish(void* transfer) {
  auto* t = static_cast<Transfer*>(transfer);
  const sim::EventFn done = t->done;
  void* ctx = t->ctx;
  t->owner->recycle(t);
  done(ctx);
}

// The flow model. All but the last chunk of a transfer pass as a flow, at the rate its channels'
// shares allow; the last chunk is then served at the route's slowest stage in arrival order (as
// the chunk model serves it), and the transfer is handed over after the route's latencies and one
// chunk of service at every other stage (the pipeline fill). Alone on its route a transfer of full
// chunks so takes the chunk model's time; flows that share a channel end one chunk apart, as
// chunks interleaved in arrival order do, and a message of one chunk is served in arrival order at
// its slowest stage.
void TransferEngine::start_flow(Transfer& t) {
  const SimTime now = engine_.now();
  t.last_chunk = Bytes(std::min(t.remaining, chunk_size_.count()));
  SimTime tail, slowest;
  t.slowest = 0;
  for (std::size_t i = 0; i < t.stages.size(); ++i) {
    Channel* c = t.stages[i];
    c->count_transfer(Bytes(t.remaining));
    const SimTime service = c->service_time(t.last_chunk);
    tail += c->latency() + service;
    if (service > slowest) {
      slowest = service;
      t.slowest = i;
    }
  }
  t.tail = tail - slowest;
  t.left = static_cast<double>(t.remaining - t.last_chunk.count());
  t.rate = 0;
  t.settled = now;
  t.finished = false;
  t.pending = 0;
  t.remaining = 0;
  t.flowing = t.left > 0;
  if (!t.flowing) return serve_last_chunk(t);
  t.armed = SimTime::from_ps(std::numeric_limits<std::int64_t>::max());
  for (Channel* c : t.stages) c->add_flow(&t, now, engine_.trace_sink());
  reshare(t.stages, &t);
}

void TransferEngine::serve_last_chunk(Transfer& t) {
  const SimTime now = engine_.now();
  Channel& slowest = *t.stages[t.slowest];
  const SimTime served = slowest.serve_last_chunk(now, t.last_chunk, engine_.trace_sink());
  // A transfer of one chunk crossed no channel as a flow: it occupies every other stage for its
  // service there too (what their trace shows; only the slowest one times it).
  if (!t.flowing)
    for (std::size_t i = 0; i < t.stages.size(); ++i)
      if (i != t.slowest) t.stages[i]->serve_last_chunk(now, t.last_chunk, engine_.trace_sink());
  t.flowing = false;
  ++t.pending;
  engine_.schedule_at(served + t.tail, &TransferEngine::on_flow_done, &t);
  // The chunk takes the channel from the flows it bottlenecks for its service time: they are set
  // back by what they would have moved meanwhile (their end moves later; the armed event re-arms).
  if (slowest.flows().empty()) return;
  const double share = slowest.share_per_ps();
  const auto service = static_cast<double>(slowest.service_time(t.last_chunk).ps());
  ++reshare_stamp_;  // a flow that crosses the channel twice is set back once
  for (Flow* f : slowest.flows()) {
    auto* g = static_cast<Transfer*>(f);
    if (g->rate != share || g->stamp == reshare_stamp_) continue;  // limited elsewhere, or seen
    g->stamp = reshare_stamp_;
    settle(*g, now);
    g->left += share * service;
    set_end(*g, now);
  }
}

// Every flow crossing one of `stages` gets its rate again: the smallest equal share along its own
// route. Its bytes moved so far are settled at the old rate first; its end event is brought
// forward when the flow speeds up (a later one re-arms itself when it finds the flow slower).
// `joining` (or null) is the flow that has just started on them.
void TransferEngine::reshare(const std::vector<Channel*>& stages, Transfer* joining) {
  const SimTime now = engine_.now();
  ++reshare_stamp_;
  affected_.clear();
  for (const Channel* c : stages)
    for (Flow* f : c->flows()) {
      auto* g = static_cast<Transfer*>(f);
      if (g->stamp == reshare_stamp_) continue;
      g->stamp = reshare_stamp_;
      affected_.push_back(g);
    }
  for (Transfer* g : affected_) {
    double rate = std::numeric_limits<double>::infinity();
    for (const Channel* c : g->stages) rate = std::min(rate, c->share_per_ps());
    if (rate == g->rate) continue;  // its bottleneck did not change: neither does its end
    settle(*g, now);
    g->rate = rate;
    if (g == joining) wait_for_last_chunks(*g, now);
    set_end(*g, now);
  }
}

// A flow that starts where last chunks are still queued at its bottleneck lets them go first, as
// chunks queued before it would.
void TransferEngine::wait_for_last_chunks(Transfer& t, SimTime now) {
  for (const Channel* c : t.stages) {
    if (c->last_chunks_served() <= now || t.rate != c->share_per_ps()) continue;
    t.left += t.rate * static_cast<double>((c->last_chunks_served() - now).ps());
    return;
  }
}

// Brings a flow's bytes left up to `now` at its current rate.
void TransferEngine::settle(Transfer& t, SimTime now) {
  t.left = std::max(0.0, t.left - t.rate * static_cast<double>((now - t.settled).ps()));
  t.settled = now;
}

// Sets when a settled flow's last byte passes at its rate, and brings its end event forward if it
// is now sooner than the armed one.
void TransferEngine::set_end(Transfer& t, SimTime now) {
  // Round up to a whole picosecond, forgiving the last bits of floating-point error (at most half
  // a picosecond); a flow longer than about 46 days of simulated time saturates there.
  const double ps = std::min(t.left / t.rate, 4e18);
  t.fluid_end = now + SimTime::from_ps(static_cast<std::int64_t>(
                          std::ceil(ps - std::max(1e-6, std::min(ps * 1e-12, 0.5)))));
  if (t.fluid_end < t.armed) {
    t.armed = t.fluid_end;
    ++t.pending;
    engine_.schedule_at(t.armed, &TransferEngine::on_flow_end, &t);
  }
}

void TransferEngine::on_flow_end(void* transfer) {
  auto& t = *static_cast<Transfer*>(transfer);
  TransferEngine& self = *t.owner;
  --t.pending;
  const SimTime now = self.engine_.now();
  if (t.flowing && now == t.armed) {
    if (now < t.fluid_end) {  // slowed down since this event was set
      t.armed = t.fluid_end;
      ++t.pending;
      self.engine_.schedule_at(t.armed, &TransferEngine::on_flow_end, &t);
      return;
    }
    for (Channel* c : t.stages) c->remove_flow(&t, now);
    self.reshare(t.stages, nullptr);
    self.serve_last_chunk(t);
  } else if (t.finished && t.pending == 0) {
    self.recycle(&t);
  }
}

void TransferEngine::on_flow_done(void* transfer) {
  auto& t = *static_cast<Transfer*>(transfer);
  --t.pending;
  t.finished = true;
  const sim::EventFn done = t.done;
  void* ctx = t.ctx;
  if (t.pending == 0) t.owner->recycle(&t);  // else the last stale end event recycles it
  done(ctx);
}

void TransferEngine::move(sim::Process& p, const Route& route, Bytes size) {
  sim::Event finished("transfer");
  start(
      route, size, [](void* e) { static_cast<sim::Event*>(e)->trigger(); }, &finished);
  p.wait(finished);
}

}  // namespace kernbench::hw
