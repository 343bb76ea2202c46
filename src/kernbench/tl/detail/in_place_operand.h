// Internal: an operand of an element-wise op that needs no cast and no broadcast, read in place by
// the typed loops: a tile's own elements, or a weak number converted to the op's dtype into a
// local splat, so the fast paths make no tile for either.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "kernbench/tl/detail/aligned.h"
#include "kernbench/tl/detail/tcm_hold.h"
#include "kernbench/tl/operand.h"

namespace kernbench::tl::detail {

class InPlaceOperand {
 public:
  /// `o` as an input of dtype r: a tile must already be of dtype r and of the result's shape.
  /// A weak number occupies `program`'s TCM while the op runs, as the rank-0 tile the general
  /// path makes of it does, so the TCM peak does not depend on the path taken.
  InPlaceOperand(const Operand& o, DType r, Program* program);
  InPlaceOperand(const InPlaceOperand&) = delete;
  InPlaceOperand& operator=(const InPlaceOperand&) = delete;

  /// The loop input; reads the tile (waiting for a load still filling it), so make the result
  /// first, in the order the general path does.
  Input input() const {
    return tile_ != nullptr ? Input{tile_->data(), 1} : Input{splat_.data(), 0};
  }

 private:
  const Tile* tile_ = nullptr;
  alignas(8) std::array<std::byte, 8> splat_{};
  std::optional<TcmHold> held_;  // the weak number's bytes
};

}  // namespace kernbench::tl::detail
