// A FIFO server with one or more slots: each request holds a slot for its service time (or until
// release()), requests are granted in arrival order. Links, memory slices and units build on it,
// from processes (blocking form) or from plain event handlers (callback form).
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "kernbench/base/units.h"
#include "kernbench/sim/event_queue.h"
#include "kernbench/sim/waitable.h"

namespace kernbench::sim {

class Engine;
class Process;

class Resource {
 public:
  /// A server named `name` (shown in deadlock reports) with `slots` >= 1 parallel slots.
  Resource(Engine& engine, std::string name, std::size_t slots = 1);
  Resource(const Resource&) = delete;
  Resource& operator=(const Resource&) = delete;

  /// Callback form: queues a request; done(ctx) runs from the event loop when its service of
  /// `service` ends. `started`, if given, receives the time the service began.
  void request(base::SimTime service, EventFn done, void* ctx, base::SimTime* started = nullptr);
  /// Form for a caller that needs only when its service ends, where that is known now (no request
  /// queues, and a slot is free or every busy one is held until a time release_at set): the
  /// service is granted from then, as request() would grant it, without an event, and its end
  /// returned (the slot is freed as of it). Nothing, and nothing done, where it is not.
  std::optional<base::SimTime> reserve(base::SimTime service);
  /// Process form: blocks until a slot has served `service`; returns when the service began.
  base::SimTime use(Process& p, base::SimTime service);
  /// Callback form of holding a slot for an open-ended time: granted(ctx) runs from the event
  /// loop once a slot is held; the holder must call release().
  void acquire(EventFn granted, void* ctx);
  /// Process form: blocks until a slot is held (returns at once if one is free and none queue).
  void acquire(Process& p);
  /// Takes a slot at once if one is free and no request queues (true), as acquire() would grant
  /// it, but in the call instead of from the event loop; false, and nothing done, otherwise.
  bool try_acquire() {
    if (!freeing_.empty()) take_freed();
    if (busy_ < slots_ && queue_.empty()) {
      ++busy_;
      return true;
    }
    return false;
  }
  /// Frees a slot taken by acquire() or try_acquire().
  void release();
  /// Frees such a slot as of `at` (>= now), as release() then would, without an event of its own
  /// unless a request waits for it: until then the slot is busy; from then on it is free to the
  /// first who asks (or to the first queued request, granted at `at`).
  void release_at(base::SimTime at);

  /// The name given at construction.
  const std::string& name() const { return name_; }
  /// Number of slots.
  std::size_t slots() const { return slots_; }
  /// Slots in use now.
  std::size_t busy() const;
  /// Requests waiting for a slot.
  std::size_t queued() const { return queue_.size(); }
  /// Sum of service time granted so far (for utilisation), excluding acquire()/release() holds.
  base::SimTime busy_time() const { return busy_time_; }

 private:
  struct Request {
    base::SimTime service;  // negative: hold until release()
    EventFn done;
    void* ctx;
    base::SimTime* started;
  };
  struct InService {
    Resource* owner;
    EventFn done;
    void* ctx;
  };
  class WaitReason final : public BlockReason {
   public:
    explicit WaitReason(const Resource& r) : r_(r) {}
    std::string describe() const override;

   private:
    const Resource& r_;
  };

  void enqueue(const Request& r);
  void grant(const Request& r);
  void grant_waiting();
  void take_freed();
  void wake_when_freed();
  static void on_service_end(void* node);
  static void on_freed(void* self);

  // What reserve and release_at read first (a DMA engine's every transfer), then the rest.
  Engine& engine_;
  std::size_t slots_;
  std::size_t busy_ = 0;
  std::vector<base::SimTime> freeing_;  // release_at's times still to come, earliest last
  bool wake_set_ = false;               // an on_freed event is pending at wake_at_
  base::SimTime wake_at_;
  std::deque<Request> queue_;
  std::string name_;
  base::SimTime busy_time_;
  std::deque<InService> nodes_;  // stable addresses, reused through free_
  std::vector<InService*> free_;
  WaitReason reason_{*this};
};

}  // namespace kernbench::sim
