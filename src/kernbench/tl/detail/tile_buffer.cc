#include "kernbench/tl/detail/tile_buffer.h"

#include <new>

#include "kernbench/tl/dma_request.h"
#include "kernbench/tl/tcm_ledger.h"

namespace kernbench::tl::detail {

TileBuffer::~TileBuffer() {
  if (ledger != nullptr) ledger->release(size_bytes);
}

BufferRef BufferRef::allocate(std::size_t size_bytes) {
  auto* payload = static_cast<std::byte*>(allocate_block(size_bytes));
  BufferRef r;
  r.buffer_ = ::new (payload + block_payload_capacity(size_bytes)) TileBuffer(payload, size_bytes);
  return r;
}

void BufferRef::destroy(TileBuffer* buffer) noexcept {
  std::byte* block = buffer->data;
  const std::size_t size = buffer->size_bytes;
  buffer->~TileBuffer();
  release_block(block, size);
}

}  // namespace kernbench::tl::detail
