#include "kernbench/sim/process.h"

#include <vector>

#include <fmt/format.h>

#include "kernbench/base/assert.h"
#include "kernbench/base/error.h"

namespace kernbench::sim {
namespace {

// Thrown at a process's blocking point when the engine tears it down, so its stack unwinds and
// every destructor on it runs. User code must not swallow it (catch (...) without rethrow).
struct Unwind {};

// A process waiting on one waitable.
struct ProcessWaiter : Waiter {
  Process* process = nullptr;
};

// all-of / any-of over several waitables, living on the waiting process's stack.
class WaitGroup final : public BlockReason {
 public:
  WaitGroup(Process& p, std::span<Waitable* const> ws, bool any) : process_(p), any_(any) {
    nodes_.resize(ws.size());
    for (std::size_t i = 0; i < ws.size(); ++i) {
      nodes_[i].group = this;
      nodes_[i].index = i;
      nodes_[i].target = ws[i];
      nodes_[i].notify = &on_notify;
    }
  }
  WaitGroup(const WaitGroup&) = delete;
  WaitGroup& operator=(const WaitGroup&) = delete;
  ~WaitGroup() {
    for (Node& n : nodes_)
      if (n.linked) n.target->unsubscribe(n);
  }

  /// Subscribes to every waitable not yet ready; returns how many that is.
  std::size_t subscribe_pending() {
    for (Node& n : nodes_) {
      if (n.target->ready()) continue;
      n.target->subscribe(n);
      ++pending_;
    }
    return pending_;
  }
  std::size_t fired() const { return fired_; }

  std::string describe() const override {
    std::string items;
    for (const Node& n : nodes_) {
      if (!n.linked) continue;
      if (!items.empty()) items += ", ";
      items += n.target->describe();
    }
    return fmt::format("{} of {{{}}}", any_ ? "any" : "all", items);
  }

 private:
  struct Node : Waiter {
    WaitGroup* group = nullptr;
    std::size_t index = 0;
    Waitable* target = nullptr;
  };

  static void on_notify(Waiter& w) {
    Node& n = static_cast<Node&>(w);
    WaitGroup& g = *n.group;
    --g.pending_;
    if (g.done_) return;
    if (g.any_ || g.pending_ == 0) {
      g.done_ = true;
      g.fired_ = n.index;
      g.process_.wake();
    }
  }

  Process& process_;
  bool any_;
  bool done_ = false;
  std::size_t pending_ = 0;
  std::size_t fired_ = 0;
  std::vector<Node> nodes_;
};

}  // namespace

Process::Process(Engine& engine, std::string name, Body body, bool daemon, bool detached)
    : engine_(engine),
      name_(std::move(name)),
      body_(std::move(body)),
      daemon_(daemon),
      detached_(detached) {}

Process::~Process() = default;

std::string Process::describe() const { return fmt::format("process '{}'", name_); }

std::string Process::DelayReason::describe() const { return fmt::format("delay until {}", until); }

void Process::wait(Waitable& w) {
  if (w.ready()) return;
  ProcessWaiter node;
  node.process = this;
  node.notify = [](Waiter& n) { static_cast<ProcessWaiter&>(n).process->wake(); };
  // Unsubscribes on every exit, including an unwind while blocked.
  struct Guard {
    Waitable& w;
    ProcessWaiter& n;
    // linked is false once notified, or once the waitable died first (its destructor unlinks).
    ~Guard() {
      if (n.linked) w.unsubscribe(n);
    }
  } guard{w, node};
  w.subscribe(node);
  suspend(w);
}

void Process::wait_all(std::span<Waitable* const> ws) {
  WaitGroup group(*this, ws, /*any=*/false);
  if (group.subscribe_pending() == 0) return;
  suspend(group);
}

std::size_t Process::wait_any(std::span<Waitable* const> ws) {
  KB_ASSERT(!ws.empty(), "wait_any of nothing");
  for (std::size_t i = 0; i < ws.size(); ++i)
    if (ws[i]->ready()) return i;
  WaitGroup group(*this, ws, /*any=*/true);
  group.subscribe_pending();
  suspend(group);
  return group.fired();
}

void Process::suspend(const BlockReason& reason) {
  blocked_on_ = &reason;
  block();
}

void Process::wake() {
  KB_ASSERT(state_ == State::kBlocked && blocked_on_ != &delay_,
            "wake() of a process that is not suspended");
  state_ = State::kWoken;
  engine_.schedule_at(engine_.now(), &Process::on_resume, this);
}

void Process::throw_unwind() { throw Unwind{}; }

void Process::on_resume(void* self) {
  Process& p = *static_cast<Process*>(self);
  Engine& engine = p.engine_;
  if (!p.fiber_) p.fiber_.emplace(engine.stacks_, &Process::fiber_entry, &p);
  p.state_ = State::kRunning;
  KB_ASSERT(engine.running_ == nullptr, "a process resumed from inside another");
  engine.running_ = &p;
  p.fiber_->resume();
  engine.running_ = nullptr;
  if (!p.fiber_->finished()) return;
  p.fiber_.reset();  // its stack went back to the pool when the fiber ended
  if (!p.daemon_) --engine.live_non_daemon_;
  if (p.state_ == State::kFailed && !p.killing_) p.rethrow_failure();
  p.notify_all();
  // Only now, with nothing of it left on the call stack, may a detached process be freed.
  if (p.detached_) {
    p.reapable_ = true;
    ++engine.finished_detached_;
  }
}

void Process::fiber_entry(void* self) { static_cast<Process*>(self)->run_body(); }

void Process::run_body() noexcept {
  try {
    body_(*this);
    state_ = State::kDone;
  } catch (const Unwind&) {
    state_ = State::kDone;
  } catch (...) {
    error_ = std::current_exception();
    state_ = State::kFailed;
  }
  body_ = nullptr;  // captured state dies here, on the fiber that used it
}

void Process::kill() {
  // A body that swallows Unwind and blocks again gets a few more chances, then is left alone.
  killing_ = true;
  for (int attempt = 0; attempt < 16 && fiber_ && !fiber_->finished(); ++attempt) on_resume(this);
}

void Process::rethrow_failure() const {
  const std::string where = fmt::format("process '{}' failed at {}", name_, engine_.now());
  try {
    std::rethrow_exception(error_);
  } catch (const std::exception& e) {
    std::throw_with_nested(base::ProcessError(fmt::format("{}: {}", where, e.what())));
  } catch (...) {
    std::throw_with_nested(base::ProcessError(where + ": unknown exception"));
  }
}

}  // namespace kernbench::sim
