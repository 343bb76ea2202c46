#include "kernbench/sim/engine.h"

#include <fmt/format.h>

#include "kernbench/base/assert.h"
#include "kernbench/base/error.h"
#include "kernbench/sim/process.h"

namespace kernbench::sim {
namespace {

// Reports list this many processes, then a count of the rest.
constexpr std::size_t kMaxListed = 32;

}  // namespace

Engine::Engine(EngineConfig config) : limits_(config.limits), stacks_(config.stack_bytes) {}

Engine::~Engine() {
  for (auto& p : processes_) p->kill();
  processes_.clear();
}

void Engine::run() {
  KB_ASSERT(running_ == nullptr, "run() called from inside a process");
  while (!queue_.empty()) dispatch(queue_.pop());
  check_deadlock();
}

void Engine::run_until(base::SimTime t) {
  KB_ASSERT(running_ == nullptr, "run_until() called from inside a process");
  KB_ASSERT(t >= now_, "run_until() into the past");
  while (!queue_.empty() && queue_.next_time() <= t) dispatch(queue_.pop());
  now_ = t;
}

bool Engine::run_until(const std::function<bool()>& done) {
  KB_ASSERT(running_ == nullptr, "run_until() called from inside a process");
  for (;;) {
    if (done()) return true;
    if (queue_.empty()) {
      check_deadlock();
      return false;
    }
    dispatch(queue_.pop());
  }
}

Process& Engine::spawn(std::string name, std::function<void(Process&)> body, SpawnOptions options) {
  // Freed in batches, so the sweep costs O(1) per spawn on average.
  if (finished_detached_ >= 1024 && finished_detached_ * 2 >= processes_.size()) {
    std::erase_if(processes_, [](const auto& q) { return q->reapable_; });
    finished_detached_ = 0;
  }
  std::unique_ptr<Process> p(
      new Process(*this, std::move(name), std::move(body), options.daemon, options.detached));
  Process& ref = *p;
  processes_.push_back(std::move(p));
  if (!options.daemon) ++live_non_daemon_;
  schedule_at(now_, &Process::on_resume, &ref);
  return ref;
}

std::vector<const Process*> Engine::active_processes() const {
  std::vector<const Process*> out;
  for (const auto& p : processes_)
    if (!p->finished() && !p->daemon()) out.push_back(p.get());
  return out;
}

std::string Engine::describe_processes(bool include_daemons) const {
  std::string out;
  std::size_t listed = 0, skipped = 0;
  for (const auto& p : processes_) {
    if (p->finished() || (p->daemon() && !include_daemons)) continue;
    if (listed == kMaxListed) {
      ++skipped;
      continue;
    }
    ++listed;
    const char* kind = p->daemon() ? " (daemon)" : "";
    if (const BlockReason* r = p->blocked_on())
      out += fmt::format("\n  process '{}'{} waits on {}", p->name(), kind, r->describe());
    else
      out += fmt::format("\n  process '{}'{} is about to run", p->name(), kind);
  }
  if (skipped > 0) out += fmt::format("\n  ... and {} more", skipped);
  return out;
}

std::size_t Engine::add_stall_reporter(std::function<std::string()> reporter) {
  stall_reporters_.emplace_back(next_reporter_, std::move(reporter));
  return next_reporter_++;
}

void Engine::remove_stall_reporter(std::size_t id) {
  std::erase_if(stall_reporters_, [id](const auto& r) { return r.first == id; });
}

void Engine::check_deadlock() const {
  std::string stalled;
  for (const auto& [id, report] : stall_reporters_)
    if (std::string text = report(); !text.empty()) stalled += "; " + text;
  if (live_non_daemon_ == 0 && stalled.empty()) return;
  if (live_non_daemon_ == 0)
    throw base::DeadlockError(
        fmt::format("deadlock at {}: no event is scheduled{}", now_, stalled));
  throw base::DeadlockError(
      fmt::format("deadlock at {}: {} waiting and no event is scheduled:{}{}", now_,
                  live_non_daemon_ == 1 ? std::string("1 process is")
                                        : fmt::format("{} processes are", live_non_daemon_),
                  describe_processes(false), stalled));
}

void Engine::throw_limit(const EventQueue::Entry& e) const {
  std::string what =
      e.time_ps > limits_.max_time.ps()
          ? fmt::format("the next event is at {}, past max_time {}",
                        base::SimTime::from_ps(e.time_ps), limits_.max_time)
          : fmt::format("{} events have run at {}, the max_events limit{}", events_, now_,
                        limits_.max_events_setting == nullptr
                            ? std::string()
                            : fmt::format(" ({} raises it)", limits_.max_events_setting));
  std::string who = describe_processes(true);
  if (who.empty()) who = " none (only callbacks are scheduled)";
  EventQueue::discard(e);  // popped but never run
  throw base::SimulationLimitError(
      fmt::format("simulation limit reached: {}; active processes:{}", what, who));
}

}  // namespace kernbench::sim
