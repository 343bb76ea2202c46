// Block pointers (TRITON.md §2.8, tl.make_block_ptr): a tile-shaped window into an N-D tensor
// given by its base pointer, shape, strides and the window's offsets. Loads and stores through
// one compute the addresses on the DMA engine (no vector work, no TCM for addresses), check the
// dimensions asked for against the tensor's bounds and pad what falls outside.
#pragma once

#include <cstdint>
#include <type_traits>
#include <vector>

#include "kernbench/tl/operand.h"
#include "kernbench/tl/tile.h"

namespace kernbench::tl {

/// An offset of a block pointer: a C++ integer or an integer scalar tile (program_id * BLOCK).
class BlockOffset {
 public:
  template <class N>
  requires std::is_integral_v<N> BlockOffset(N v)  // NOLINT(google-explicit-constructor)
      : value_(static_cast<std::int64_t>(v)) {}
  BlockOffset(const Tile& scalar);  // NOLINT(google-explicit-constructor)
  std::int64_t value() const { return value_; }

 private:
  std::int64_t value_;
};

/// What a boundary-checked load reads outside the tensor (Triton's padding_option).
enum class Padding : std::uint8_t { zero, nan };

/// An immutable window; advance() returns a moved copy, as Triton's tl.advance does.
class BlockPtr {
 public:
  /// See make_block_ptr.
  BlockPtr(Tile base, std::vector<std::int64_t> shape, std::vector<std::int64_t> strides,
           std::vector<std::int64_t> offsets, std::vector<std::int64_t> block_shape,
           std::vector<int> order);

  const Tile& base() const { return base_; }
  const std::vector<std::int64_t>& shape() const { return shape_; }
  const std::vector<std::int64_t>& strides() const { return strides_; }
  const std::vector<std::int64_t>& offsets() const { return offsets_; }
  const std::vector<std::int64_t>& block_shape() const { return block_shape_; }
  const std::vector<int>& order() const { return order_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  /// "block_ptr(*f32, shape [4, 6], strides [6, 1], offsets [0, 4], block [2, 4])".
  std::string describe() const;

 private:
  Tile base_;
  std::vector<std::int64_t> shape_, strides_, offsets_, block_shape_;
  std::vector<int> order_;  // a layout hint (fastest dim last); accepted, checked, not needed
};

/// tl.make_block_ptr: `base` a scalar pointer; shape, strides, offsets in elements; block_shape
/// powers of two; order a permutation of the dims. ShapeError / SemanticError on bad input.
BlockPtr make_block_ptr(const Tile& base, std::vector<std::int64_t> shape,
                        std::vector<std::int64_t> strides, std::vector<BlockOffset> offsets,
                        std::vector<std::int64_t> block_shape, std::vector<int> order);
/// tl.advance: the window moved by `offsets` (one per dim).
BlockPtr advance(const BlockPtr& ptr, std::vector<BlockOffset> offsets);
/// Loads the block; dims in `boundary_check` read `padding` outside [0, shape), others are not
/// checked (an unmapped element is an AddressError, as with plain pointers).
Tile load(const BlockPtr& ptr, std::vector<int> boundary_check = {},
          Padding padding = Padding::zero);
/// Stores `value` (broadcast to the block, cast to the pointee); elements outside the tensor on
/// the dims in `boundary_check` are not written.
void store(const BlockPtr& ptr, const Operand& value, std::vector<int> boundary_check = {});

}  // namespace kernbench::tl
