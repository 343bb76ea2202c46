// Fixed-size fiber stacks with a guard page, recycled: a finished process's stack serves the next
// one, so spawning many short processes costs no mmap after warm-up.
#pragma once

#include <cstddef>
#include <vector>

#include <boost/context/stack_context.hpp>

namespace kernbench::sim {

class StackPool {
 public:
  /// Default usable stack size of a process fiber.
  static constexpr std::size_t kDefaultStackBytes = 256 * 1024;

  /// Stacks of `stack_bytes` (rounded up to whole pages) plus one guard page each.
  explicit StackPool(std::size_t stack_bytes = kDefaultStackBytes);
  StackPool(const StackPool&) = delete;
  StackPool& operator=(const StackPool&) = delete;
  ~StackPool();

  /// A stack from the free list, or a freshly mapped one.
  boost::context::stack_context allocate();
  /// Returns a stack to the free list.
  void deallocate(boost::context::stack_context& sc);
  /// Usable bytes per stack.
  std::size_t stack_bytes() const { return stack_bytes_; }
  /// Stacks mapped so far (free or in use).
  std::size_t mapped() const { return mapped_; }

 private:
  static constexpr std::size_t kTopOffsetBytes = 1024 + 128;

  std::size_t stack_bytes_;
  std::size_t page_bytes_;
  std::size_t mapped_ = 0;
  std::vector<boost::context::stack_context> free_;
};

/// The allocator object Boost.Context wants: forwards to a StackPool owned elsewhere.
struct PooledStackAllocator {
  StackPool* pool;
  boost::context::stack_context allocate() { return pool->allocate(); }
  void deallocate(boost::context::stack_context& sc) { pool->deallocate(sc); }
};

}  // namespace kernbench::sim
