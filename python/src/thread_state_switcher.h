// The fast way to run a Python kernel's program: its Python runs on the program's own fiber,
// under a Python thread state of its own, and gives up the GIL (saving that thread state) for
// each op, inside which the fiber may switch. CPython keeps all it knows of a running stack in
// its thread state (frames, recursion depth, exception), so C stacks switched while their thread
// states are swapped out with the GIL are safe; what must never happen -- a stack switched under
// a thread state that is still current -- cannot, as only ops switch. No OS thread is involved,
// so an op costs a GIL release and take, not two thread hand-offs.
#pragma once

#include <functional>

#include <Python.h>

#include "kernbench/sim/process_switcher.h"

namespace kernbench::python {

class ThreadStateSwitcher final : public sim::ProcessSwitcher {
 public:
  /// On the fiber, without the GIL: runs `body` with the GIL held under a new thread state, which
  /// is deleted when `body` returns; rethrows what it threw.
  void run(const std::function<void()>& body) override;
  /// From `body`, GIL held: releases the GIL for `call` (which may block the process while other
  /// programs' Python runs on their fibers) and takes it back under this program's thread state.
  void on_fiber(const std::function<void()>& call) override;

  /// What pybind11 and CPython keep per OS thread and a switch must swap too: the thread state
  /// pybind11's GIL guards find and the one CPython's PyGILState_Ensure finds (else either would
  /// wait for the GIL this thread holds: gilstate_slot.h), and the stack of pybind11's calls'
  /// argument temporaries (else interleaved calls unwind it out of order).
  struct PerThreadState {
    void* thread_state = nullptr;
    void* loader_stack = nullptr;
    void* gilstate = nullptr;
  };

 private:
  PyThreadState* state_ = nullptr;
  PerThreadState outside_;  // this OS thread's, outside the program
};

}  // namespace kernbench::python
