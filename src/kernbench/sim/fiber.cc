#include "kernbench/sim/fiber.h"

#include <memory>
#include <utility>

#if KERNBENCH_ASAN_FIBERS
#include <sanitizer/common_interface_defs.h>
#endif

namespace kernbench::sim {
namespace {

// Both hooks compile to nothing unless ASan is on. Passing a null fake-stack slot to
// start_switch tells ASan the fiber being left is finished for good.
inline void start_switch([[maybe_unused]] void** fake_stack, [[maybe_unused]] const void* bottom,
                         [[maybe_unused]] std::size_t size) {
#if KERNBENCH_ASAN_FIBERS
  __sanitizer_start_switch_fiber(fake_stack, bottom, size);
#endif
}

inline void finish_switch([[maybe_unused]] void* fake_stack,
                          [[maybe_unused]] const void** from_bottom,
                          [[maybe_unused]] std::size_t* from_size) {
#if KERNBENCH_ASAN_FIBERS
  __sanitizer_finish_switch_fiber(fake_stack, from_bottom, from_size);
#endif
}

// Wraps the pool allocator to learn the stack bounds ASan must be told about.
struct RecordingAllocator {
  PooledStackAllocator inner;
  const void** bottom;
  std::size_t* size;
  boost::context::stack_context allocate() {
    boost::context::stack_context sc = inner.allocate();
    *bottom = static_cast<char*>(sc.sp) - sc.size;
    *size = sc.size;
    return sc;
  }
  void deallocate(boost::context::stack_context& sc) { inner.deallocate(sc); }
};

}  // namespace

Fiber::Fiber(StackPool& pool, Entry entry, void* ctx) : entry_(entry), ctx_(ctx) {
  self_ = boost::context::fiber(
      std::allocator_arg, RecordingAllocator{PooledStackAllocator{&pool}, &stack_bottom_, &stack_size_},
      [this](boost::context::fiber&& caller) { return run_entry(std::move(caller)); });
}

boost::context::fiber Fiber::run_entry(boost::context::fiber&& caller) {
  caller_ = std::move(caller);
  finish_switch(nullptr, &caller_bottom_, &caller_size_);
  entry_(ctx_);
  finished_ = true;
  start_switch(nullptr, caller_bottom_, caller_size_);
  return std::move(caller_);
}

void Fiber::resume() {
  void* fake_stack = nullptr;
  start_switch(&fake_stack, stack_bottom_, stack_size_);
  self_ = std::move(self_).resume();
  finish_switch(fake_stack, nullptr, nullptr);
}

void Fiber::yield() {
  void* fake_stack = nullptr;
  start_switch(&fake_stack, caller_bottom_, caller_size_);
  caller_ = std::move(caller_).resume();
  finish_switch(fake_stack, &caller_bottom_, &caller_size_);
}

}  // namespace kernbench::sim
