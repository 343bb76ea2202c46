#include "rank_thread.h"

#include <stdexcept>
#include <string>
#include <utility>

#include <pybind11/pybind11.h>

namespace kernbench::python {

namespace py = pybind11;

void RankThread::serve() {
  std::unique_lock lock(mutex_);
  for (;;) {
    turn_changed_.wait(lock, [this] { return !fiber_turn_; });
    if (quit_) return;
    const std::function<void()>* code = code_;
    lock.unlock();
    std::exception_ptr error;
    try {
      py::gil_scoped_acquire gil;
      try {
        (*code)();
      } catch (py::error_already_set& e) {
        // Python's message, taken while the GIL is held (the error object needs it).
        error = std::make_exception_ptr(std::runtime_error(e.what()));
      }
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    code_error_ = error;
    done_ = true;
    fiber_turn_ = true;
    turn_changed_.notify_all();
  }
}

void RankThread::run(const std::function<void()>& code) {
  std::unique_lock lock(mutex_);
  if (!thread_.joinable()) {
    thread_ = std::thread([this] { serve(); });
    thread_id_ = thread_.get_id();
  }
  code_ = &code;
  done_ = false;
  fiber_turn_ = false;
  turn_changed_.notify_all();
  for (;;) {
    turn_changed_.wait(lock, [this] { return fiber_turn_; });
    if (done_) break;
    const std::function<void()>* call = request_;
    lock.unlock();
    std::exception_ptr error;
    try {
      (*call)();  // may block the process: the engine runs other processes meanwhile
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    request_error_ = error;
    fiber_turn_ = false;
    turn_changed_.notify_all();
  }
  code_ = nullptr;
  const std::exception_ptr error = std::exchange(code_error_, nullptr);
  lock.unlock();
  if (error) std::rethrow_exception(error);
}

void RankThread::stop() {
  if (!thread_.joinable()) return;
  {
    const std::lock_guard lock(mutex_);
    quit_ = true;
    fiber_turn_ = false;
    turn_changed_.notify_all();
  }
  thread_.join();
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
