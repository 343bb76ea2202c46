#include "kernbench/hw/transfer_engine.h"

#include <algorithm>
#include <limits>

#include "kernbench/base/assert.h"
#include "kernbench/sim/process.h"

namespace kernbench::hw {

namespace {
using sim::EventQueue;
}  // namespace

// One stage of a fast transfer: its channel, service times and progress.
struct TransferEngine::FastStage {
  Channel* channel;
  SimTime full;          // service of a full chunk
  SimTime last;          // service of the last chunk
  SimTime latency;       // the channel's
  std::uint64_t served;  // chunks applied to the channel so far
  std::uint64_t tie;     // tie-break of this transfer's arrivals here
};

struct TransferEngine::Transfer {
  TransferEngine* owner = nullptr;
  std::vector<Channel*> stages;
  std::uint64_t order = 0;      // the engine order key of every event of this transfer
  std::uint64_t remaining = 0;  // bytes not yet injected into the first stage
  std::uint64_t in_flight = 0;  // chunks injected and not yet through the last stage
  SimTime last_handoff;         // when the latest chunk leaves the last stage
  sim::EventFn done = nullptr;
  void* ctx = nullptr;
  // The fast path: chunk k of `chunks` (all chunk_size but the last) reaches stage s >= 1 at
  // arrival[s * chunks + k] once it has been served at stage s - 1.
  bool fast = false;
  bool finished = false;            // done() ran; kept until its stale finish events have popped
  std::uint32_t finish_events = 0;  // fast finish events in the queue (all but the latest stale)
  std::uint64_t chunks = 0;
  std::uint64_t last_size = 0;
  std::vector<FastStage> fast_stages;
  std::vector<SimTime> arrival;
  SimTime next_inject;  // when the next chunk enters the first stage
  SimTime finish_at;    // projected end, where the live finish event waits
};

TransferEngine::TransferEngine(sim::Engine& engine, Bytes chunk_size)
    : engine_(engine), chunk_size_(chunk_size) {
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
  KB_ASSERT(route.stages.size() <= EventQueue::kMaxSub, "route too long for the event order");
  Transfer& t = *new_transfer();
  t.owner = this;
  t.stages = route.stages;
  t.remaining = size.count();
  t.in_flight = 0;
  t.last_handoff = engine_.now();
  t.order = engine_.reserve_order();
  t.done = done;
  t.ctx = ctx;
  t.fast = false;
  t.finished = false;
  t.finish_events = 0;
  if (!per_chunk_ && start_fast(t, size)) return;
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
  // A fast transfer holding the channel catches up to this moment first, and re-plans its end
  // once this chunk has taken its place.
  auto* holder = static_cast<Transfer*>(stage.holder());
  if (holder != nullptr) [[unlikely]]
    self.advance(*holder, self.position());
  const SimTime handoff = stage.serve(self.engine_.now(), Bytes(c.size), self.engine_.trace_sink());
  if (holder != nullptr && stage.holder() == holder) [[unlikely]]
    self.reproject(*holder);
  // The next chunk may enter the first stage once this one has been served there.
  if (c.stage == 0 && t.remaining > 0)
    self.engine_.schedule_keyed(handoff - stage.latency(), t.order, 0, &TransferEngine::on_inject,
                                &t);
  if (++c.stage < t.stages.size()) {
    self.engine_.schedule_keyed(handoff, t.order, c.stage, &TransferEngine::on_arrival, &c);
    return;
  }
  self.free_chunks_.push_back(&c);
  t.last_handoff = std::max(t.last_handoff, handoff);
  if (--t.in_flight == 0 && t.remaining == 0)
    self.engine_.schedule_keyed(t.last_handoff, t.order, t.stages.size(),
                                &TransferEngine::on_finish, &t);
}

void TransferEngine::on_finish(void* transfer) {
  auto& t = *static_cast<Transfer*>(transfer);
  t.owner->complete(t);
}

void TransferEngine::complete(Transfer& t) {
  const sim::EventFn done = t.done;
  void* ctx = t.ctx;
  t.fast = false;
  t.finished = true;
  if (t.finish_events == 0) recycle(&t);
  done(ctx);
}

void TransferEngine::move(sim::Process& p, const Route& route, Bytes size) {
  sim::Event finished("transfer");
  start(
      route, size, [](void* e) { static_cast<sim::Event*>(e)->trigger(); }, &finished);
  p.wait(finished);
}

// ---- The fast path ----

TransferEngine::Position TransferEngine::position() const {
  return {engine_.now(), engine_.current_tie_break()};
}

std::uint64_t TransferEngine::hops_left(const Transfer& t) const {
  std::uint64_t left = 0;
  for (const FastStage& st : t.fast_stages) left += t.chunks - st.served;
  return left;
}

// Takes the fast path if every channel is free of other fast transfers, or held only by ones with
// fewer chunk-hops ahead (which turn per-chunk). Otherwise the caller runs `t` per chunk.
bool TransferEngine::start_fast(Transfer& t, Bytes size) {
  const std::size_t n_stages = t.stages.size();
  for (std::size_t i = 0; i < n_stages; ++i)
    for (std::size_t j = i + 1; j < n_stages; ++j)
      if (t.stages[i] == t.stages[j]) return false;  // a route through a channel twice
  const std::uint64_t c = chunk_size_.count();
  const std::uint64_t chunks = std::max<std::uint64_t>(1, (size.count() + c - 1) / c);
  const Position now = position();
  holders_.clear();
  for (Channel* ch : t.stages) {
    auto* h = static_cast<Transfer*>(ch->holder());
    if (h == nullptr) continue;
    advance(*h, now);  // it may be done with this channel already
    if (ch->holder() != h) continue;
    if (hops_left(*h) >= chunks * n_stages) return false;
    if (std::find(holders_.begin(), holders_.end(), h) == holders_.end()) holders_.push_back(h);
  }
  for (Transfer* h : holders_) demote(*h);
  ++fast_;
  t.fast = true;
  t.chunks = chunks;
  t.last_size = size.count() - (chunks - 1) * c;
  t.fast_stages.clear();
  for (std::size_t s = 0; s < n_stages; ++s) {
    Channel* ch = t.stages[s];
    ch->set_holder(&t);
    t.fast_stages.push_back(FastStage{ch, base::transfer_time(chunk_size_, ch->bandwidth()),
                                      base::transfer_time(Bytes(t.last_size), ch->bandwidth()),
                                      ch->latency(), 0, EventQueue::tie_break(t.order, s)});
  }
  t.arrival.resize(n_stages * chunks);
  t.next_inject = now.time;
  // The first chunk enters the first stage now, as in the per-chunk model.
  advance(t, {now.time, EventQueue::tie_break(t.order, 0) + 1});
  t.finish_at = project(t);
  ++t.finish_events;
  engine_.schedule_keyed(t.finish_at, t.order, n_stages, &TransferEngine::on_fast_finish, &t);
  return true;
}

// Applies to the channels, in order, every virtual chunk arrival of `t` that comes before `upto`
// in the engine's event order; releases the channels `t` is done with.
void TransferEngine::advance(Transfer& t, Position upto) {
  sim::TraceSink* sink = engine_.trace_sink();
  const std::uint64_t n = t.chunks;
  const std::size_t n_stages = t.fast_stages.size();
  for (std::size_t s = 0; s < n_stages; ++s) {
    FastStage& st = t.fast_stages[s];
    const std::uint64_t ready = s == 0 ? n : t.fast_stages[s - 1].served;
    const bool before_at_equal_time = st.tie < upto.tie_break;
    while (st.served < ready) {
      const std::uint64_t k = st.served;
      const SimTime at = s == 0 ? t.next_inject : t.arrival[s * n + k];
      if (at > upto.time || (at == upto.time && !before_at_equal_time)) break;
      const bool last = k + 1 == n;
      const SimTime handoff = st.channel->serve(at, last ? Bytes(t.last_size) : chunk_size_,
                                                last ? st.last : st.full, sink);
      ++chunk_hops_;
      ++st.served;
      if (s == 0) t.next_inject = handoff - st.latency;
      if (s + 1 < n_stages)
        t.arrival[(s + 1) * n + k] = handoff;
      else
        t.last_handoff = std::max(t.last_handoff, handoff);
    }
    if (st.served == n && st.channel->holder() == &t) st.channel->set_holder(nullptr);
  }
}

// When `t` would end if nothing else touched its channels: the per-chunk rule run forward on
// copies of their free times.
SimTime TransferEngine::project(const Transfer& t) {
  const std::uint64_t n = t.chunks;
  const std::size_t n_stages = t.fast_stages.size();
  free_times_.resize(n_stages);
  for (std::size_t s = 0; s < n_stages; ++s) free_times_[s] = t.fast_stages[s].channel->free_at();
  SimTime end = t.last_handoff;
  SimTime inject = t.next_inject;
  std::size_t s0 = n_stages - 1;  // the first stage chunk k has not passed yet
  for (std::uint64_t k = t.fast_stages[n_stages - 1].served; k < n; ++k) {
    while (s0 > 0 && t.fast_stages[s0 - 1].served <= k) --s0;
    SimTime at = s0 == 0 ? inject : t.arrival[s0 * n + k];
    const bool last = k + 1 == n;
    for (std::size_t s = s0; s < n_stages; ++s) {
      const FastStage& st = t.fast_stages[s];
      free_times_[s] = std::max(at, free_times_[s]) + (last ? st.last : st.full);
      if (s == 0) inject = free_times_[0];
      at = free_times_[s] + st.latency;
    }
    end = std::max(end, at);
  }
  return end;
}

// Another transfer's chunk has just been served on a channel `t` still needs: its end may move.
void TransferEngine::reproject(Transfer& t) {
  const SimTime end = project(t);
  if (end == t.finish_at) return;
  KB_ASSERT(end > t.finish_at, "a fast transfer's projected end moved earlier");
  t.finish_at = end;
  ++t.finish_events;
  engine_.schedule_keyed(end, t.order, t.fast_stages.size(), &TransferEngine::on_fast_finish, &t);
}

void TransferEngine::on_fast_finish(void* transfer) {
  auto& t = *static_cast<Transfer*>(transfer);
  TransferEngine& self = *t.owner;
  --t.finish_events;
  if (!t.fast || self.engine_.now() != t.finish_at) {  // stale: re-planned, or turned per-chunk
    if (t.finished && t.finish_events == 0) self.recycle(&t);
    return;
  }
  self.advance(t, {SimTime::from_ps(std::numeric_limits<std::int64_t>::max()),
                   std::numeric_limits<std::uint64_t>::max()});
  KB_ASSERT(t.last_handoff == t.finish_at, "a fast transfer ended off its projection");
  self.complete(t);
}

// Turns a fast transfer (already advanced to now) into per-chunk events from its current state.
void TransferEngine::demote(Transfer& t) {
  ++demoted_;
  t.fast = false;
  const std::uint64_t n = t.chunks;
  const std::size_t n_stages = t.fast_stages.size();
  for (FastStage& st : t.fast_stages)
    if (st.channel->holder() == &t) st.channel->set_holder(nullptr);
  const std::uint64_t injected = t.fast_stages[0].served;
  t.remaining = injected < n ? (n - injected - 1) * chunk_size_.count() + t.last_size : 0;
  t.in_flight = injected - t.fast_stages[n_stages - 1].served;
  KB_ASSERT(t.in_flight > 0 || t.remaining > 0, "demoting a transfer that is through");
  for (std::size_t s = 1; s < n_stages; ++s)
    for (std::uint64_t k = t.fast_stages[s].served; k < t.fast_stages[s - 1].served; ++k) {
      Chunk* c = new_chunk(t, k + 1 == n ? t.last_size : chunk_size_.count());
      c->stage = static_cast<std::uint32_t>(s);
      engine_.schedule_keyed(t.arrival[s * n + k], t.order, s, &TransferEngine::on_arrival, c);
    }
  if (t.remaining > 0)
    engine_.schedule_keyed(t.next_inject, t.order, 0, &TransferEngine::on_inject, &t);
}

}  // namespace kernbench::hw
