#include "kernbench/sim/stack_pool.h"

#include <new>

#include <sys/mman.h>
#include <unistd.h>

#include "kernbench/base/assert.h"

#if KERNBENCH_ASAN_FIBERS
#include <sanitizer/asan_interface.h>
#endif

namespace kernbench::sim {

namespace {

// A finished fiber leaves ASan's redzone marks on its stack, and a fresh mapping may reuse the
// addresses of an unmapped one: the next owner must start from clean shadow memory.
void unpoison([[maybe_unused]] const boost::context::stack_context& sc) {
#if KERNBENCH_ASAN_FIBERS
  ASAN_UNPOISON_MEMORY_REGION(static_cast<char*>(sc.sp) - sc.size, sc.size);
#endif
}

}  // namespace

StackPool::StackPool(std::size_t stack_bytes)
    : page_bytes_(static_cast<std::size_t>(::sysconf(_SC_PAGESIZE))) {
  KB_ASSERT(stack_bytes >= 16 * 1024, "fiber stack below 16 KiB");
  stack_bytes_ = (stack_bytes + page_bytes_ - 1) / page_bytes_ * page_bytes_;
}

StackPool::~StackPool() {
  // Stacks still in use belong to fibers that must be gone by now (the engine unwinds them first).
  for (auto& sc : free_) {
    char* base = static_cast<char*>(sc.sp) - sc.size - page_bytes_;
    ::munmap(base, stack_bytes_ + page_bytes_);
  }
}

boost::context::stack_context StackPool::allocate() {
  if (!free_.empty()) {
    boost::context::stack_context sc = free_.back();
    free_.pop_back();
    unpoison(sc);
    return sc;
  }
  const std::size_t total = stack_bytes_ + page_bytes_;
  void* base = ::mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) throw std::bad_alloc();
  // The lowest page is the guard: a stack overflow faults instead of corrupting a neighbour.
  ::mprotect(base, page_bytes_, PROT_NONE);
  ++mapped_;
  // The top is offset from the page boundary, staggered per stack: page-aligned tops put every
  // fiber's saved registers at the same low 12 address bits as its peers, and the CPU's 4K store
  // aliasing then made each switch about three times slower (measured in perf/engine_bench.cc).
  const std::size_t offset = kTopOffsetBytes + (mapped_ % 8) * 64;
  boost::context::stack_context sc;
  sc.size = stack_bytes_ - offset;
  sc.sp = static_cast<char*>(base) + total - offset;
  unpoison(sc);
  return sc;
}

void StackPool::deallocate(boost::context::stack_context& sc) { free_.push_back(sc); }

}  // namespace kernbench::sim
