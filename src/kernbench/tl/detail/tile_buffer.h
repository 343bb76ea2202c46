// Internal: the element buffer tiles share. Besides the bytes it knows the TCM ledger it is
// counted in (released when the last tile or view of it dies) and, for a tile a DMA is still
// filling, the request to wait for before anyone reads it. Header and bytes are one block of the
// per-thread block cache (buffer_pool.h), shared through an intrusive count: a tile op costs no
// malloc once the cache is warm.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

#include "kernbench/tl/detail/buffer_pool.h"

namespace kernbench::tl {
class DmaRequest;
class TcmLedger;
}  // namespace kernbench::tl

namespace kernbench::tl::detail {

/// Tag of the Tile constructor that leaves the elements unset, for ops that write every one.
struct Uninitialized {};
inline constexpr Uninitialized kUninitialized{};

struct TileBuffer {
  TileBuffer(std::byte* payload, std::size_t size) : data(payload), size_bytes(size) {}
  TileBuffer(const TileBuffer&) = delete;
  TileBuffer& operator=(const TileBuffer&) = delete;
  ~TileBuffer();

  /// The elements: the payload in front of this header in its block.
  std::byte* bytes() const { return data; }

  // Atomic: a constant tile built outside any program may be read by benches on several threads.
  std::atomic<std::uint32_t> owners{1};
  bool zero_on_read = false;  // a data-less tile's bytes, zeroed only if someone reads them
  std::byte* data;            // the block's start
  std::size_t size_bytes;
  std::shared_ptr<TcmLedger> ledger;    // null: not counted (a constant outside any program)
  std::shared_ptr<DmaRequest> pending;  // non-null until a reader has seen the request done
};
static_assert(sizeof(TileBuffer) <= kBlockHeaderBytes);

/// One owner of a TileBuffer; the last one to go destroys it and gives its block back.
class BufferRef {
 public:
  BufferRef() = default;
  /// A new buffer of `size_bytes` with unspecified contents.
  static BufferRef allocate(std::size_t size_bytes);

  BufferRef(const BufferRef& o) noexcept : buffer_(o.buffer_) {
    if (buffer_ != nullptr) buffer_->owners.fetch_add(1, std::memory_order_relaxed);
  }
  BufferRef(BufferRef&& o) noexcept : buffer_(o.buffer_) { o.buffer_ = nullptr; }
  BufferRef& operator=(BufferRef o) noexcept {
    std::swap(buffer_, o.buffer_);
    return *this;
  }
  ~BufferRef() {
    if (buffer_ != nullptr && buffer_->owners.fetch_sub(1, std::memory_order_acq_rel) == 1)
      destroy(buffer_);
  }

  TileBuffer* operator->() const { return buffer_; }

 private:
  static void destroy(TileBuffer* buffer) noexcept;

  TileBuffer* buffer_ = nullptr;
};

}  // namespace kernbench::tl::detail
