// A stackful fiber on Boost.Context with the switch annotations AddressSanitizer needs
// (KERNBENCH_ASAN_FIBERS=1). Processes are built on it; it knows nothing of simulated time.
#pragma once

#include <cstddef>

#include <boost/context/fiber.hpp>

#if KERNBENCH_ASAN_FIBERS
#include <sanitizer/common_interface_defs.h>
#endif

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

  // resume() and yield() are inline on purpose: each extra call level across a stack switch costs
  // a mispredicted return (the CPU's return stack belongs to the other stack), several ns each.

  /// Switches into the fiber; returns when it yields or its entry returns.
  void resume() {
    void* fake_stack = nullptr;
    start_switch(&fake_stack, stack_bottom_, stack_size_);
    self_ = std::move(self_).resume();
    finish_switch(fake_stack, nullptr, nullptr);
  }
  /// From inside the fiber: switches back to whoever resumed it.
  void yield() {
    void* fake_stack = nullptr;
    start_switch(&fake_stack, caller_bottom_, caller_size_);
    caller_ = std::move(caller_).resume();
    finish_switch(fake_stack, &caller_bottom_, &caller_size_);
  }
  /// True once entry has returned (its stack is back in the pool).
  bool finished() const { return finished_; }

 private:
  boost::context::fiber run_entry(boost::context::fiber&& caller);

  // Both hooks compile to nothing unless ASan is on. A null fake-stack slot in start_switch tells
  // ASan the fiber being left is finished for good.
  static void start_switch([[maybe_unused]] void** fake_stack, [[maybe_unused]] const void* bottom,
                           [[maybe_unused]] std::size_t size) {
#if KERNBENCH_ASAN_FIBERS
    __sanitizer_start_switch_fiber(fake_stack, bottom, size);
#endif
  }
  static void finish_switch([[maybe_unused]] void* fake_stack,
                            [[maybe_unused]] const void** from_bottom,
                            [[maybe_unused]] std::size_t* from_size) {
#if KERNBENCH_ASAN_FIBERS
    __sanitizer_finish_switch_fiber(fake_stack, from_bottom, from_size);
#endif
  }

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
