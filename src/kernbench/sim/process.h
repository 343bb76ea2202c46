// A simulated process: user code (bench ranks, kernel programs) written as plain sequential C++
// that blocks on delays, events, other processes and resources. Runs on its own stackful fiber;
// the body receives its Process, the one handle it needs.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>

#include "kernbench/base/assert.h"
#include "kernbench/base/units.h"
#include "kernbench/sim/engine.h"
#include "kernbench/sim/fiber.h"
#include "kernbench/sim/waitable.h"

namespace kernbench::sim {

class Process final : public Waitable {
 public:
  using Body = std::function<void(Process&)>;

  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();

  /// The name given at spawn (used in errors and traces).
  const std::string& name() const { return name_; }
  /// The engine running this process.
  Engine& engine() const { return engine_; }
  /// Current simulated time.
  base::SimTime now() const { return engine_.now(); }
  /// True for a daemon (see SpawnOptions).
  bool daemon() const { return daemon_; }
  /// True once the body has returned (or thrown).
  bool finished() const { return state_ == State::kDone || state_ == State::kFailed; }

  /// Blocks for `delay` of simulated time (zero yields to everything scheduled now).
  void wait(base::SimTime delay) { wait_until(engine_.now() + delay); }
  /// Blocks until absolute time `at` (>= now). Inline, like block(): see Fiber::resume.
  void wait_until(base::SimTime at) {
    delay_.until = at;
    blocked_on_ = &delay_;
    engine_.schedule_at(at, &Process::on_resume, this);
    block();
  }
  /// Blocks until `w` is ready (returns at once if it already is).
  void wait(Waitable& w);
  /// Blocks until every one of `ws` is ready.
  void wait_all(std::span<Waitable* const> ws);
  void wait_all(std::initializer_list<Waitable*> ws) { wait_all(std::span(ws.begin(), ws.size())); }
  /// Blocks until one of `ws` is ready; returns the index of the first ready one.
  std::size_t wait_any(std::span<Waitable* const> ws);
  std::size_t wait_any(std::initializer_list<Waitable*> ws) {
    return wait_any(std::span(ws.begin(), ws.size()));
  }

  // Building blocks for new primitives (resources, stores): block with a reason until some other
  // party calls wake(), which resumes this process at the then-current time, in FIFO order.

  /// Blocks until wake(); `reason` must outlive the block and describes it in deadlock reports.
  void suspend(const BlockReason& reason);
  /// Resumes a suspended process at the current time (exactly once per suspend).
  void wake();
  /// What the process is blocked on, or null when it is not blocked.
  const BlockReason* blocked_on() const { return blocked_on_; }

  /// Completion: ready once the body has finished.
  bool ready() const override { return finished(); }
  /// "process 'name'".
  std::string describe() const override;

 private:
  friend class Engine;
  enum class State : std::uint8_t { kScheduled, kRunning, kBlocked, kWoken, kDone, kFailed };

  // "delay until <t>": the reason shown while a process sleeps.
  class DelayReason final : public BlockReason {
   public:
    std::string describe() const override;
    base::SimTime until;
  };

  Process(Engine& engine, std::string name, Body body, bool daemon, bool detached);
  static void on_resume(void* self);
  static void fiber_entry(void* self);
  void run_body() noexcept;
  void block() {
    KB_ASSERT(engine_.running_ == this, "a process blocked outside its own fiber");
    state_ = State::kBlocked;
    fiber_->yield();
    blocked_on_ = nullptr;
    if (killing_) [[unlikely]]
      throw_unwind();
  }
  [[noreturn]] static void throw_unwind();
  void kill();
  [[noreturn]] void rethrow_failure() const;

  Engine& engine_;
  std::string name_;
  Body body_;
  bool daemon_;
  bool detached_;
  bool reapable_ = false;  // detached, finished and notified: the engine may free it
  bool killing_ = false;
  State state_ = State::kScheduled;
  const BlockReason* blocked_on_ = nullptr;
  DelayReason delay_;
  std::exception_ptr error_;
  std::optional<Fiber> fiber_;
};

}  // namespace kernbench::sim
