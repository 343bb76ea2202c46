// A stackful fiber on Boost.Context with the switch annotations AddressSanitizer needs
// (KERNBENCH_ASAN_FIBERS=1). Processes are built on it; it knows nothing of simulated time.
#pragma once

#include <cstddef>

#include <boost/context/fiber.hpp>

#include "kernbench/sim/stack_pool.h"

namespace kernbench::sim {

class Fiber {
 public:
  using Entry = void (*)(void* ctx);

  /// A fiber that will run entry(ctx) on a stack from `pool` when first resumed. entry must not
  /// throw: the owner catches inside it.
  Fiber(StackPool& pool, Entry entry, void* ctx);
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;
  ~Fiber() = default;

  /// Switches into the fiber; returns when it yields or its entry returns.
  void resume();
  /// From inside the fiber: switches back to whoever resumed it.
  void yield();
  /// True once entry has returned (its stack is back in the pool).
  bool finished() const { return finished_; }

 private:
  boost::context::fiber run_entry(boost::context::fiber&& caller);

  Entry entry_;
  void* ctx_;
  bool finished_ = false;
  boost::context::fiber self_;    // valid while suspended inside the fiber
  boost::context::fiber caller_;  // valid while running inside the fiber
  // ASan bookkeeping: bounds of this fiber's stack and of the stack that resumed it.
  const void* stack_bottom_ = nullptr;
  std::size_t stack_size_ = 0;
  const void* caller_bottom_ = nullptr;
  std::size_t caller_size_ = 0;
};

}  // namespace kernbench::sim
