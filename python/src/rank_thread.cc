#include "rank_thread.h"

#include <stdexcept>
#include <string>

#include <pybind11/pybind11.h>

namespace kernbench::python {

namespace py = pybind11;

void RankThread::run(const std::function<void()>& code) {
  std::thread thread([this, &code] {
    {
      std::unique_lock lock(mutex_);
      turn_changed_.wait(lock, [this] { return !fiber_turn_; });
    }
    try {
      py::gil_scoped_acquire gil;
      try {
        code();
      } catch (py::error_already_set& e) {
        // Python's message, taken while the GIL is held (the error object needs it).
        code_error_ = std::make_exception_ptr(std::runtime_error(e.what()));
      }
    } catch (...) {
      code_error_ = std::current_exception();
    }
    const std::lock_guard lock(mutex_);
    done_ = true;
    fiber_turn_ = true;
    turn_changed_.notify_all();
  });
  thread_id_ = thread.get_id();
  std::unique_lock lock(mutex_);
  fiber_turn_ = false;
  turn_changed_.notify_all();
  for (;;) {
    turn_changed_.wait(lock, [this] { return fiber_turn_; });
    if (done_) break;
    const std::function<void()>* call = request_;
    lock.unlock();
    std::exception_ptr error;
    try {
      (*call)();  // may block the process: the engine runs other ranks meanwhile
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    request_error_ = error;
    fiber_turn_ = false;
    turn_changed_.notify_all();
  }
  lock.unlock();
  thread.join();
  if (code_error_) std::rethrow_exception(code_error_);
}

void RankThread::on_fiber(const std::function<void()>& call) {
  std::exception_ptr error;
  {
    py::gil_scoped_release release;
    std::unique_lock lock(mutex_);
    request_ = &call;
    fiber_turn_ = true;
    turn_changed_.notify_all();
    turn_changed_.wait(lock, [this] { return !fiber_turn_; });
    request_ = nullptr;
    error = request_error_;
    request_error_ = nullptr;
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace kernbench::python
