// Tensor descriptors (TRITON.md §2.8, tl.make_tensor_descriptor): a tensor's base, shape and
// strides with a fixed block shape; desc.load(offsets) reads the block at element offsets with
// every dimension bounds-checked (outside reads zero), desc.store(offsets, value) writes it
// (outside is dropped). Moved through the DMA engine as block pointers are.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernbench/tl/block_ptr.h"

namespace kernbench::tl {

/// An immutable descriptor; see make_tensor_descriptor.
class TensorDesc {
 public:
  TensorDesc(Tile base, std::vector<std::int64_t> shape, std::vector<std::int64_t> strides,
             std::vector<std::int64_t> block_shape);

  const Tile& base() const { return base_; }
  const std::vector<std::int64_t>& shape() const { return shape_; }
  const std::vector<std::int64_t>& strides() const { return strides_; }
  const std::vector<std::int64_t>& block_shape() const { return block_shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  /// "tensor_descriptor(*f32, shape [4, 6], strides [6, 1], block [2, 4])".
  std::string describe() const;

  /// The block whose first element sits at `offsets` (one per dimension); zeros outside.
  Tile load(std::vector<BlockOffset> offsets) const;
  /// Writes `value` (broadcast to the block, cast to the pointee) at `offsets`; elements outside
  /// the tensor are not written.
  void store(std::vector<BlockOffset> offsets, const Operand& value) const;

 private:
  BlockPtr at(std::vector<BlockOffset> offsets, const char* op) const;

  Tile base_;
  std::vector<std::int64_t> shape_, strides_, block_shape_;
};

/// tl.make_tensor_descriptor (Triton 3.4): `base` a scalar pointer; 1 to 5 dimensions; shape and
/// strides in elements, the last stride 1; block_shape powers of two. ShapeError / SemanticError
/// naming what is wrong.
TensorDesc make_tensor_descriptor(const Tile& base, std::vector<std::int64_t> shape,
                                  std::vector<std::int64_t> strides,
                                  std::vector<std::int64_t> block_shape);

}  // namespace kernbench::tl
