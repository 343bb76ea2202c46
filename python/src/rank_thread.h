// A rank's Python code on an OS thread of its own, with a baton: the rank's process keeps its
// fiber, and exactly one of the two runs at any time. CPython must not have its C stack switched
// under it (its thread state would be corrupted), so Python never runs on a fiber; every C++ call
// that may block is carried out on the fiber (on_fiber), where blocking is what it always is.
// A Python kernel's programs use the same baton: one RankThread per PE of a launch, kept from one
// program to the next. It is the Python implementation of sim::ProcessSwitcher.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include "kernbench/sim/process_switcher.h"

namespace kernbench::python {

class RankThread final : public sim::ProcessSwitcher {
 public:
  RankThread() = default;
  ~RankThread() override { stop(); }

  /// On the fiber: runs `code` on the thread (started by the first run, kept for the next; it
  /// takes the GIL for `code`) and carries out its on_fiber calls until it returns; rethrows what
  /// it threw (a Python exception as a std::runtime_error with Python's message).
  void run(const std::function<void()>& code) override;
  /// On the thread, GIL held: runs `call` on the fiber (GIL released meanwhile, so other ranks'
  /// Python may run) and rethrows what it threw. `call` must not touch Python objects.
  void on_fiber(const std::function<void()>& call) override;
  /// Ends the thread (idle between runs) and joins it; never called on the thread itself.
  void stop();
  /// True on the thread run() runs code on.
  bool on_own_thread() const { return std::this_thread::get_id() == thread_id_; }

 private:
  void serve();  // the thread: runs each code run() hands it until stop()

  std::mutex mutex_;
  std::condition_variable turn_changed_;
  bool fiber_turn_ = true;
  bool done_ = false;  // the code of the current run() has returned
  bool quit_ = false;
  const std::function<void()>* code_ = nullptr;
  const std::function<void()>* request_ = nullptr;
  std::exception_ptr request_error_;
  std::exception_ptr code_error_;
  std::thread thread_;
  std::thread::id thread_id_;
};

}  // namespace kernbench::python
