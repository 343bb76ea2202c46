#include "thread_state_switcher.h"

#include <exception>

#include <pybind11/pybind11.h>

#include "gilstate_slot.h"

namespace kernbench::python {

namespace py = pybind11;

namespace {

// pybind11's own per-OS-thread state (its GIL bookkeeping's thread state and the stack of its
// argument loaders' temporaries) and CPython's GILState slot, which a switch must carry with the
// Python thread state.
PYBIND11_TLS_KEY_REF thread_state_key() { return py::detail::get_internals().tstate; }
PYBIND11_TLS_KEY_REF loader_stack_key() {
#if PYBIND11_INTERNALS_VERSION == 4
  return py::detail::get_local_internals().loader_life_support_tls_key;
#else
  return py::detail::get_internals().loader_life_support_tls_key;
#endif
}

// The GILState slot is swapped where the interpreter does not keep it itself (3.9 to 3.11: it
// names the OS thread's first thread state, the caller's, unless swapped).
ThreadStateSwitcher::PerThreadState swap_in(ThreadStateSwitcher::PerThreadState state) {
  Py_tss_t* const gilstate = kernbench_gilstate_slot();
  ThreadStateSwitcher::PerThreadState previous{PYBIND11_TLS_GET_VALUE(thread_state_key()),
                                               PYBIND11_TLS_GET_VALUE(loader_stack_key()),
                                               gilstate ? PyThread_tss_get(gilstate) : nullptr};
  PYBIND11_TLS_REPLACE_VALUE(thread_state_key(), state.thread_state);
  PYBIND11_TLS_REPLACE_VALUE(loader_stack_key(), state.loader_stack);
  if (gilstate && PyThread_tss_set(gilstate, state.gilstate) != 0)
    Py_FatalError("kernbench: cannot set the GILState slot");
  return previous;
}

}  // namespace

void ThreadStateSwitcher::run(const std::function<void()>& body) {
  state_ = PyThreadState_New(py::detail::get_internals().istate);
  state_->gilstate_counter = 1;  // owned here: pybind11's acquire / release pairs never free it
  PyEval_RestoreThread(state_);
  outside_ = swap_in({state_, nullptr, state_});
  std::exception_ptr error;
  try {
    body();
  } catch (...) {
    error = std::current_exception();
  }
  PyThreadState_Clear(state_);  // may run Python (finalizers) under this thread state
  swap_in(outside_);
  PyThreadState_DeleteCurrent();  // and releases the GIL
  state_ = nullptr;
  if (error) std::rethrow_exception(error);
}

void ThreadStateSwitcher::on_fiber(const std::function<void()>& call) {
  const PerThreadState mine = swap_in(outside_);
  PyEval_SaveThread();
  const auto resume = [&] {
    PyEval_RestoreThread(state_);
    swap_in(mine);
  };
  try {
    call();
  } catch (...) {
    resume();
    throw;
  }
  resume();
}

}  // namespace kernbench::python
