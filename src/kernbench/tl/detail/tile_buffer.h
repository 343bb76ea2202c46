// Internal: the element buffer tiles share. Besides the bytes it knows the TCM ledger it is
// counted in (released when the last tile or view of it dies) and, for a tile a DMA is still
// filling, the request to wait for before anyone reads it.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace kernbench::tl {
class DmaRequest;
class TcmLedger;
}  // namespace kernbench::tl

namespace kernbench::tl::detail {

struct TileBuffer {
  explicit TileBuffer(std::size_t size) : bytes(size) {}
  TileBuffer(const TileBuffer&) = delete;
  TileBuffer& operator=(const TileBuffer&) = delete;
  ~TileBuffer();

  std::vector<std::byte> bytes;
  std::shared_ptr<TcmLedger> ledger;    // null: not counted (a constant outside any program)
  std::shared_ptr<DmaRequest> pending;  // non-null until a reader has seen the request done
};

}  // namespace kernbench::tl::detail
