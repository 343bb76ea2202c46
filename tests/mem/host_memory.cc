// Replaces the global operator new/delete of the mem test binary to count live heap bytes.
// malloc_usable_size gives the size at delete time without a header of our own.
#include "host_memory.h"

#include <atomic>
#include <cstdlib>
#include <new>

#include <malloc.h>

namespace {

// Each chunk costs its usable size plus glibc's header; counting the header keeps bounds honest.
constexpr std::int64_t kMallocHeader = 16;
std::atomic<std::int64_t> live_bytes{0};

void* counted_alloc(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  live_bytes += static_cast<std::int64_t>(malloc_usable_size(p)) + kMallocHeader;
  return p;
}

void counted_free(void* p) noexcept {
  if (p == nullptr) return;
  live_bytes -= static_cast<std::int64_t>(malloc_usable_size(p)) + kMallocHeader;
  std::free(p);
}

}  // namespace

void* operator new(std::size_t size) { return counted_alloc(size); }
void* operator new[](std::size_t size) { return counted_alloc(size); }
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }

namespace kernbench::mem::testing {

std::int64_t live_host_bytes() { return live_bytes.load(); }

}  // namespace kernbench::mem::testing
