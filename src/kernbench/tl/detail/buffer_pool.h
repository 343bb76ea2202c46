// Internal: memory for tile buffers, cached per thread by power-of-two size class. A kernel makes
// a tile per op and drops it a few ops later, so most blocks come straight back from the cache
// instead of from malloc. The cache is per thread so benches running on parallel threads never
// lock or contend; a block freed on another thread than the one that allocated it joins the
// freeing thread's cache. It holds free memory only, nothing a simulation can observe, so it keeps
// results deterministic and two simulations in one process independent.
#pragma once

#include <cstddef>

namespace kernbench::tl::detail {

/// Bytes after each block's payload, for the owner's header (the TileBuffer).
inline constexpr std::size_t kBlockHeaderBytes = 64;
/// The smallest payload a block has; payloads are powers of two from here.
inline constexpr std::size_t kMinBlockPayloadBytes = 64;
/// Payloads above this are never cached (tiles stop at 2^20 elements of 8 bytes).
inline constexpr std::size_t kMaxCachedPayloadBytes = std::size_t{8} << 20;
/// The most bytes of free blocks one thread keeps.
inline constexpr std::size_t kMaxCachedBytesPerThread = std::size_t{32} << 20;

/// The payload capacity of the block serving `payload_bytes`: the next power of two, at least
/// kMinBlockPayloadBytes (above kMaxCachedPayloadBytes, the next multiple of 64).
std::size_t block_payload_capacity(std::size_t payload_bytes);
/// A block of block_payload_capacity(payload_bytes) + kBlockHeaderBytes bytes, its contents
/// unspecified (a reused block holds a former tile's bytes). It is aligned to its payload
/// capacity, at most a page (4 KiB): element loops read x[i] and write out[i], and when out sits a
/// little after x modulo 4 KiB the CPU mistakes loads for reloads of pending stores and stalls
/// (4K aliasing); equal page offsets never alias.
void* allocate_block(std::size_t payload_bytes);
/// Gives back a block of allocate_block(payload_bytes): cached by the calling thread, or freed
/// when its cache is full.
void release_block(void* block, std::size_t payload_bytes) noexcept;

/// What the calling thread's cache holds (for tests).
struct BlockCacheStats {
  std::size_t blocks = 0;
  std::size_t bytes = 0;  // headers included
};
BlockCacheStats block_cache_stats();

}  // namespace kernbench::tl::detail
