#include "kernbench/sim/resource.h"

#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include "kernbench/base/assert.h"
#include "kernbench/sim/engine.h"
#include "kernbench/sim/process.h"

namespace kernbench::sim {
namespace {

constexpr base::SimTime kHold = base::SimTime::from_ps(-1);

void wake_process(void* p) { static_cast<Process*>(p)->wake(); }

}  // namespace

Resource::Resource(Engine& engine, std::string name, std::size_t slots)
    : engine_(engine), slots_(slots), name_(std::move(name)) {
  KB_ASSERT(slots >= 1, "a resource needs at least one slot");
}

void Resource::request(base::SimTime service, EventFn done, void* ctx, base::SimTime* started) {
  KB_ASSERT(service >= base::SimTime::zero(), "negative service time");
  enqueue(Request{service, done, ctx, started});
}

base::SimTime Resource::use(Process& p, base::SimTime service) {
  base::SimTime started;
  request(service, &wake_process, &p, &started);
  p.suspend(reason_);
  return started;
}

void Resource::acquire(EventFn granted, void* ctx) {
  enqueue(Request{kHold, granted, ctx, nullptr});
}

void Resource::acquire(Process& p) {
  if (try_acquire()) return;
  queue_.push_back(Request{kHold, &wake_process, &p, nullptr});
  wake_when_freed();
  p.suspend(reason_);
}

void Resource::release() {
  KB_ASSERT(busy_ > freeing_.size(), "release() of a resource nobody holds");
  --busy_;
  grant_waiting();
}

std::optional<base::SimTime> Resource::reserve(base::SimTime service) {
  KB_ASSERT(service >= base::SimTime::zero(), "negative service time");
  if (!freeing_.empty()) take_freed();
  if (!queue_.empty()) return std::nullopt;
  base::SimTime start = engine_.now();
  if (busy_ < slots_) {
    ++busy_;
  } else if (freeing_.size() == busy_) {  // the slot freed first serves it from then
    start = freeing_.back();
    freeing_.pop_back();
  } else {
    return std::nullopt;
  }
  busy_time_ += service;
  const base::SimTime end = start + service;
  if (end == engine_.now()) {
    --busy_;
  } else {
    freeing_.insert(std::upper_bound(freeing_.begin(), freeing_.end(), end, std::greater<>()), end);
  }
  return end;
}

void Resource::release_at(base::SimTime at) {
  KB_ASSERT(busy_ > freeing_.size(), "release_at() of a resource nobody holds");
  KB_ASSERT(at >= engine_.now(), "a slot freed as of a past time");
  if (at == engine_.now()) return release();
  freeing_.insert(std::upper_bound(freeing_.begin(), freeing_.end(), at, std::greater<>()), at);
  wake_when_freed();
}

// The slots release_at freed by now (the requests they are owed are granted by on_freed).
void Resource::take_freed() {
  const base::SimTime now = engine_.now();
  while (!freeing_.empty() && freeing_.back() <= now) {
    freeing_.pop_back();
    --busy_;
  }
}

// A request waits while a slot is to be freed: wake when the first one is.
void Resource::wake_when_freed() {
  if (queue_.empty() || freeing_.empty() || (wake_set_ && wake_at_ <= freeing_.back())) return;
  wake_set_ = true;
  wake_at_ = freeing_.back();
  engine_.schedule_at(wake_at_, &Resource::on_freed, this);
}

void Resource::on_freed(void* p) {
  Resource& r = *static_cast<Resource*>(p);
  if (r.wake_set_ && r.wake_at_ == r.engine_.now()) r.wake_set_ = false;
  r.grant_waiting();
  r.wake_when_freed();
}

std::size_t Resource::busy() const {
  const base::SimTime now = engine_.now();
  return busy_ - static_cast<std::size_t>(std::count_if(freeing_.begin(), freeing_.end(),
                                                        [&](base::SimTime t) { return t <= now; }));
}

void Resource::enqueue(const Request& r) {
  if (!freeing_.empty()) take_freed();
  // FIFO: a newcomer overtakes nobody, even when a slot is free but others still queue.
  if (busy_ < slots_ && queue_.empty()) {
    grant(r);
  } else {
    queue_.push_back(r);
    wake_when_freed();
  }
}

void Resource::grant(const Request& r) {
  ++busy_;
  if (r.started != nullptr) *r.started = engine_.now();
  if (r.service == kHold) {
    engine_.schedule_at(engine_.now(), r.done, r.ctx);
    return;
  }
  InService* node;
  if (free_.empty()) {
    nodes_.push_back(InService{});
    node = &nodes_.back();
  } else {
    node = free_.back();
    free_.pop_back();
  }
  *node = InService{this, r.done, r.ctx};
  busy_time_ += r.service;
  engine_.schedule_in(r.service, &Resource::on_service_end, node);
}

void Resource::grant_waiting() {
  if (!freeing_.empty()) take_freed();
  while (busy_ < slots_ && !queue_.empty()) {
    const Request next = queue_.front();
    queue_.pop_front();
    grant(next);
  }
}

void Resource::on_service_end(void* p) {
  InService& node = *static_cast<InService*>(p);
  Resource& r = *node.owner;
  const EventFn done = node.done;
  void* ctx = node.ctx;
  r.free_.push_back(&node);
  --r.busy_;
  // The next in line starts now, before the finished user's handler may queue a new request.
  r.grant_waiting();
  done(ctx);
}

std::string Resource::WaitReason::describe() const {
  return fmt::format("resource '{}' ({} of {} slots busy, {} queued)", r_.name_, r_.busy(),
                     r_.slots_, r_.queue_.size());
}

}  // namespace kernbench::sim
