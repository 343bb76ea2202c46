#include "kernbench/tl/detail/buffer_pool.h"

#include <algorithm>
#include <array>
#include <bit>
#include <new>

// Cached blocks are poisoned under AddressSanitizer, so a tile read after its buffer died is
// still reported although the memory was never freed.
#if defined(__SANITIZE_ADDRESS__)
#define KB_TL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KB_TL_ASAN 1
#endif
#endif
#ifdef KB_TL_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace kernbench::tl::detail {

namespace {

constexpr std::size_t kPageBytes = 4096;
constexpr int kMinClassLog2 = std::countr_zero(kMinBlockPayloadBytes);
constexpr int kClasses = std::countr_zero(kMaxCachedPayloadBytes) - kMinClassLog2 + 1;

void poison(void* block, std::size_t bytes) {
#ifdef KB_TL_ASAN
  // The first word stays readable: it links the free list.
  ASAN_POISON_MEMORY_REGION(static_cast<std::byte*>(block) + sizeof(void*), bytes - sizeof(void*));
#else
  (void)block;
  (void)bytes;
#endif
}
void unpoison(void* block, std::size_t bytes) {
#ifdef KB_TL_ASAN
  ASAN_UNPOISON_MEMORY_REGION(block, bytes);
#else
  (void)block;
  (void)bytes;
#endif
}

std::align_val_t alignment_of(std::size_t payload_capacity) {
  return std::align_val_t{std::min(std::bit_floor(payload_capacity), kPageBytes)};
}

// The class of a cached capacity (a power of two in [kMinBlockPayloadBytes,
// kMaxCachedPayloadBytes]); -1 for a block never cached.
int class_of(std::size_t payload_capacity) {
  const int cls = std::countr_zero(payload_capacity) - kMinClassLog2;
  return payload_capacity <= kMaxCachedPayloadBytes && cls >= 0 && cls < kClasses ? cls : -1;
}

// The calling thread's cache: not built yet, alive, or destroyed (the thread is exiting; a tile
// dropped after that, a static one at exit say, goes straight back to the system). Trivially
// destructible, so reading it after the cache died is fine.
enum class CacheState : unsigned char { unborn, alive, dead };
thread_local CacheState cache_state = CacheState::unborn;

// One thread's free blocks: a singly linked list per class through each block's first word.
class BlockCache {
 public:
  BlockCache() { cache_state = CacheState::alive; }
  BlockCache(const BlockCache&) = delete;
  BlockCache& operator=(const BlockCache&) = delete;
  ~BlockCache() {
    cache_state = CacheState::dead;
    for (std::size_t cls = 0; cls < heads_.size(); ++cls) {
      const std::size_t capacity = kMinBlockPayloadBytes << cls;
      while (heads_[cls] != nullptr) {
        void* next = *static_cast<void**>(heads_[cls]);
        ::operator delete(heads_[cls], alignment_of(capacity));
        heads_[cls] = next;
      }
    }
  }

  void* take(int cls, std::size_t block_bytes) {
    void* head = heads_[static_cast<std::size_t>(cls)];
    if (head == nullptr) return nullptr;
    heads_[static_cast<std::size_t>(cls)] = *static_cast<void**>(head);
    --blocks_;
    bytes_ -= block_bytes;
    unpoison(head, block_bytes);
    return head;
  }
  bool keep(void* block, int cls, std::size_t block_bytes) {
    if (bytes_ + block_bytes > kMaxCachedBytesPerThread) return false;
    *static_cast<void**>(block) = heads_[static_cast<std::size_t>(cls)];
    heads_[static_cast<std::size_t>(cls)] = block;
    ++blocks_;
    bytes_ += block_bytes;
    poison(block, block_bytes);
    return true;
  }
  BlockCacheStats stats() const { return {blocks_, bytes_}; }

 private:
  std::array<void*, kClasses> heads_{};
  std::size_t blocks_ = 0;
  std::size_t bytes_ = 0;
};

BlockCache& cache() {
  thread_local BlockCache c;
  return c;
}

}  // namespace

std::size_t block_payload_capacity(std::size_t payload_bytes) {
  if (payload_bytes > kMaxCachedPayloadBytes) return (payload_bytes + 63) / 64 * 64;
  return std::bit_ceil(std::max(payload_bytes, kMinBlockPayloadBytes));
}

void* allocate_block(std::size_t payload_bytes) {
  const std::size_t capacity = block_payload_capacity(payload_bytes);
  const std::size_t block_bytes = capacity + kBlockHeaderBytes;
  if (const int cls = class_of(capacity); cls >= 0) {
    if (void* block = cache().take(cls, block_bytes)) return block;
  }
  return ::operator new(block_bytes, alignment_of(capacity));
}

void release_block(void* block, std::size_t payload_bytes) noexcept {
  const std::size_t capacity = block_payload_capacity(payload_bytes);
  const std::size_t block_bytes = capacity + kBlockHeaderBytes;
  const int cls = class_of(capacity);
  if (cls >= 0 && cache_state != CacheState::dead && cache().keep(block, cls, block_bytes)) return;
  ::operator delete(block, alignment_of(capacity));
}

BlockCacheStats block_cache_stats() { return cache().stats(); }

}  // namespace kernbench::tl::detail
