// The discrete-event engine: simulated clock, pending events, the processes it runs, run limits,
// deadlock detection and the (nullable) trace sink. One object per simulation; no globals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "kernbench/base/units.h"
#include "kernbench/sim/event_queue.h"
#include "kernbench/sim/stack_pool.h"
#include "kernbench/sim/trace_sink.h"

namespace kernbench::sim {

class Process;

/// Stops a run that would never end; exceeding either throws base::SimulationLimitError.
struct EngineLimits {
  base::SimTime max_time = base::SimTime::from_ps(3'600'000'000'000'000);  // one simulated hour
  std::uint64_t max_events = 2'000'000'000;  // minutes to an hour of wall time
  // The setting that sets max_events, named in the error when it is reached (or null).
  const char* max_events_setting = nullptr;
};

/// Construction parameters of an Engine.
struct EngineConfig {
  EngineLimits limits;
  std::size_t stack_bytes = StackPool::kDefaultStackBytes;  // per process fiber
};

/// Per-process options of Engine::spawn.
struct SpawnOptions {
  // A daemon (a server loop waiting for requests) may stay blocked forever without that being a
  // deadlock; it is neither reported nor counted.
  bool daemon = false;
  // A detached process is freed by the engine some time after it has finished, so programs that
  // spawn millions of short processes (one per request, per PE) do not grow without bound. Its
  // Process& must not be used after it finishes (waiting for it from before is fine).
  bool detached = false;
};

class Engine {
 public:
  explicit Engine(EngineConfig config = {});
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  /// Unwinds every unfinished process (their destructors run) before freeing anything.
  ~Engine();

  /// Current simulated time.
  base::SimTime now() const { return now_; }

  /// Schedules fn(ctx) at absolute time `at` (>= now); equal times run in scheduling order.
  EventId schedule_at(base::SimTime at, EventFn fn, void* ctx) { return queue_.push(at, fn, ctx); }
  /// Schedules fn(ctx) `delay` after now.
  EventId schedule_in(base::SimTime delay, EventFn fn, void* ctx) {
    return queue_.push(now_ + delay, fn, ctx);
  }
  /// Schedules a callable (allocated once; prefer the fn/ctx form on hot paths).
  template <class F>
  EventId schedule_at(base::SimTime at, F&& f) {
    return queue_.push_owned(at, new Closure<std::decay_t<F>>(std::forward<F>(f)));
  }
  /// Schedules a callable `delay` after now.
  template <class F>
  EventId schedule_in(base::SimTime delay, F&& f) {
    return schedule_at(now_ + delay, std::forward<F>(f));
  }
  /// Cancels a pending event; false if it already ran or was cancelled.
  bool cancel(EventId id) { return queue_.cancel(id); }

  /// Runs until nothing is pending; throws base::DeadlockError if processes still wait.
  void run();
  /// Runs every event at or before `t`, then sets the clock to `t`. No deadlock check: the caller
  /// may trigger events from outside between runs.
  void run_until(base::SimTime t);
  /// Runs until `done()` holds (checked before each event); false if the queue ran dry first
  /// (base::DeadlockError instead when processes still wait).
  bool run_until(const std::function<bool()>& done);
  /// Runs one event; false if none is pending.
  bool step() {
    if (queue_.empty()) return false;
    dispatch(queue_.pop());
    return true;
  }

  /// Starts a process at the current time; it lives (and the reference stays valid) until the
  /// engine is destroyed.
  Process& spawn(std::string name, std::function<void(Process&)> body, SpawnOptions options = {});

  /// The attached sink, or null (the default: recording then costs one branch).
  TraceSink* trace_sink() const { return sink_; }
  /// Attaches a sink (or detaches with null); the sink must outlive its attachment.
  void set_trace_sink(TraceSink* sink) { sink_ = sink; }
  /// Records a span on `track` if a sink is attached (declaring the track there first).
  void trace_span(TraceTrack& track, std::string_view name, base::SimTime start, base::SimTime end,
                  std::span<const TraceArg> args = {}) {
    if (sink_ != nullptr) [[unlikely]]
      sink_->span(track.id_in(*sink_), name, start, end, args);
  }
  /// Records an instant on `track` at the current time if a sink is attached.
  void trace_instant(TraceTrack& track, std::string_view name,
                     std::span<const TraceArg> args = {}) {
    if (sink_ != nullptr) [[unlikely]]
      sink_->instant(track.id_in(*sink_), name, now_, args);
  }

  /// Adds a report of work that cannot finish (e.g. transfers stalled for buffer room): when the
  /// queue runs dry and a reporter returns text, the run is a deadlock and the text names it.
  /// Returns an id for remove_stall_reporter.
  std::size_t add_stall_reporter(std::function<std::string()> reporter);
  void remove_stall_reporter(std::size_t id);

  /// Events run so far.
  std::uint64_t events_processed() const { return events_; }
  /// The limits in force.
  const EngineLimits& limits() const { return limits_; }
  /// Replaces the limits.
  void set_limits(const EngineLimits& limits) { limits_ = limits; }
  /// The pool process stacks come from (its mapped() count shows reuse).
  const StackPool& stack_pool() const { return stacks_; }
  /// Process objects held now (finished detached ones are freed in batches).
  std::size_t process_objects() const { return processes_.size(); }
  /// Unfinished non-daemon processes, in spawn order (for reports and tests).
  std::vector<const Process*> active_processes() const;

 private:
  friend class Process;

  template <class F>
  struct Closure final : detail::OwnedClosure {
    explicit Closure(F f) : fn(std::move(f)) {}
    void run() override { fn(); }
    F fn;
  };

  void dispatch(const EventQueue::Entry& e) {
    if (e.time_ps > limits_.max_time.ps() || events_ >= limits_.max_events) [[unlikely]]
      throw_limit(e);
    ++events_;
    now_ = base::SimTime::from_ps(e.time_ps);
    EventQueue::run(e);
  }
  [[noreturn]] void throw_limit(const EventQueue::Entry& e) const;
  void check_deadlock() const;
  std::string describe_processes(bool include_daemons) const;

  base::SimTime now_;
  EngineLimits limits_;
  std::uint64_t events_ = 0;
  TraceSink* sink_ = nullptr;
  Process* running_ = nullptr;  // the process whose fiber is executing, if any
  std::size_t live_non_daemon_ = 0;
  std::size_t finished_detached_ = 0;  // freed at the next spawn once there are enough
  EventQueue queue_;
  StackPool stacks_;  // declared before processes_: fibers return their stacks on destruction
  std::vector<std::unique_ptr<Process>> processes_;
  std::vector<std::pair<std::size_t, std::function<std::string()>>> stall_reporters_;
  std::size_t next_reporter_ = 1;
};

}  // namespace kernbench::sim
