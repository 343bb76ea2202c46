// How a simulation process's body is run and how it gets back to its fiber to block. A C++ body
// runs on the process's fiber itself (FiberSwitcher). A body that must not run on a fiber -- Python
// code: switching C stacks under CPython corrupts its thread state -- runs elsewhere and hands each
// call that may block back to the fiber (the Python module's OS-thread baton implements this).
#pragma once

#include <functional>

namespace kernbench::sim {

/// Contract: run() is called on the process's fiber and returns once `body` has returned,
/// rethrowing what it threw (with its type where the implementation can keep it). While `body`
/// runs, on_fiber(call) -- called from `body` -- runs `call` on the process's fiber, where it may
/// block the process (delays, events, resources), and rethrows what `call` threw into `body`.
/// Exactly one of `body` and the fiber runs at any time, so simulation state needs no locks.
class ProcessSwitcher {
 public:
  ProcessSwitcher() = default;
  ProcessSwitcher(const ProcessSwitcher&) = delete;
  ProcessSwitcher& operator=(const ProcessSwitcher&) = delete;
  virtual ~ProcessSwitcher() = default;

  /// On the process's fiber: runs `body` to its end.
  virtual void run(const std::function<void()>& body) = 0;
  /// From `body`: runs `call` on the process's fiber.
  virtual void on_fiber(const std::function<void()>& call) = 0;
};

/// The C++ implementation: the body runs on the fiber, so on_fiber is a plain call and nothing
/// switches but the fiber itself.
class FiberSwitcher final : public ProcessSwitcher {
 public:
  void run(const std::function<void()>& body) override { body(); }
  void on_fiber(const std::function<void()>& call) override { call(); }
};

}  // namespace kernbench::sim
