#include "kernbench/tl/tensor_desc.h"

#include <numeric>
#include <span>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kernbench/base/error.h"
#include "kernbench/tl/semantic_error.h"
#include "kernbench/tl/shape.h"

namespace kernbench::tl {

namespace {

std::vector<int> row_major_order(int rank) {  // fastest dimension last, as the last stride is 1
  std::vector<int> order(static_cast<std::size_t>(rank));
  std::iota(order.rbegin(), order.rend(), 0);
  return order;
}

std::vector<int> every_dim(int rank) {
  std::vector<int> dims(static_cast<std::size_t>(rank));
  std::iota(dims.begin(), dims.end(), 0);
  return dims;
}

}  // namespace

TensorDesc::TensorDesc(Tile base, std::vector<std::int64_t> shape,
                       std::vector<std::int64_t> strides, std::vector<std::int64_t> block_shape)
    : base_(std::move(base)),
      shape_(std::move(shape)),
      strides_(std::move(strides)),
      block_shape_(std::move(block_shape)) {}

std::string TensorDesc::describe() const {
  return fmt::format("tensor_descriptor(*{}, shape [{}], strides [{}], block [{}])", base_.dtype(),
                     fmt::join(shape_, ", "), fmt::join(strides_, ", "),
                     fmt::join(block_shape_, ", "));
}

BlockPtr TensorDesc::at(std::vector<BlockOffset> offsets, const char* op) const {
  if (offsets.size() != shape_.size())
    throw base::ShapeError(fmt::format("{}: {} offsets for {} ({} dimensions)", op, offsets.size(),
                                       describe(), rank()));
  return make_block_ptr(base_, shape_, strides_, std::move(offsets), block_shape_,
                        row_major_order(rank()));
}

Tile TensorDesc::load(std::vector<BlockOffset> offsets) const {
  return tl::load(at(std::move(offsets), "tensor descriptor load"), every_dim(rank()),
                  Padding::zero);
}

void TensorDesc::store(std::vector<BlockOffset> offsets, const Operand& value) const {
  tl::store(at(std::move(offsets), "tensor descriptor store"), value, every_dim(rank()));
}

TensorDesc make_tensor_descriptor(const Tile& base, std::vector<std::int64_t> shape,
                                  std::vector<std::int64_t> strides,
                                  std::vector<std::int64_t> block_shape) {
  if (!base.is_pointer() || base.rank() != 0)
    throw SemanticError(fmt::format("make_tensor_descriptor: base must be a scalar pointer, got {}",
                                    base.describe()));
  const std::size_t rank = shape.size();
  if (rank < 1 || rank > 5)
    throw base::ShapeError(fmt::format("make_tensor_descriptor: 1 to 5 dimensions, got shape [{}]",
                                       fmt::join(shape, ", ")));
  if (strides.size() != rank || block_shape.size() != rank)
    throw base::ShapeError(
        fmt::format("make_tensor_descriptor: shape, strides and block_shape must have one entry "
                    "per dimension, got {}, {} and {}",
                    rank, strides.size(), block_shape.size()));
  if (strides.back() != 1)
    throw SemanticError(
        fmt::format("make_tensor_descriptor: the last stride must be 1, got strides [{}]",
                    fmt::join(strides, ", ")));
  check_block_shape(Shape{std::span<const std::int64_t>(block_shape)}, "make_tensor_descriptor");
  return TensorDesc(base, std::move(shape), std::move(strides), std::move(block_shape));
}

}  // namespace kernbench::tl
