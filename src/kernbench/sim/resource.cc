#include "kernbench/sim/resource.h"

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
    : engine_(engine), name_(std::move(name)), slots_(slots) {
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
  p.suspend(reason_);
}

void Resource::release() {
  KB_ASSERT(busy_ > 0, "release() of a resource nobody holds");
  --busy_;
  grant_waiting();
}

void Resource::enqueue(const Request& r) {
  // FIFO: a newcomer overtakes nobody, even when a slot is free but others still queue.
  if (busy_ < slots_ && queue_.empty())
    grant(r);
  else
    queue_.push_back(r);
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
  return fmt::format("resource '{}' ({} of {} slots busy, {} queued)", r_.name_, r_.busy_,
                     r_.slots_, r_.queue_.size());
}

}  // namespace kernbench::sim
