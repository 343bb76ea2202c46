#include "kernbench/sim/fiber.h"

#include <memory>
#include <utility>

namespace kernbench::sim {
namespace {

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
      std::allocator_arg,
      RecordingAllocator{PooledStackAllocator{&pool}, &stack_bottom_, &stack_size_},
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

}  // namespace kernbench::sim
