#include "kernbench/hw/transfer_engine.h"

#include <algorithm>

#include "kernbench/base/assert.h"
#include "kernbench/sim/process.h"

namespace kernbench::hw {

struct TransferEngine::Transfer {
  TransferEngine* owner = nullptr;
  std::vector<Channel*> stages;
  std::uint64_t remaining = 0;  // bytes not yet injected into the first stage
  std::uint64_t in_flight = 0;  // chunks injected and not yet through the last stage
  SimTime last_handoff;         // when the latest chunk leaves the last stage
  sim::EventFn done = nullptr;
  void* ctx = nullptr;
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
  Transfer& t = *new_transfer();
  t.owner = this;
  t.stages = route.stages;
  t.remaining = size.count();
  t.in_flight = 0;
  t.last_handoff = engine_.now();
  t.done = done;
  t.ctx = ctx;
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

void TransferEngine::move(sim::Process& p, const Route& route, Bytes size) {
  sim::Event finished("transfer");
  start(
      route, size, [](void* e) { static_cast<sim::Event*>(e)->trigger(); }, &finished);
  p.wait(finished);
}

}  // namespace kernbench::hw
