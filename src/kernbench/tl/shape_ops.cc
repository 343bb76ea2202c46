#include "kernbench/tl/shape_ops.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/tl/detail/charge.h"

namespace kernbench::tl {

namespace {
// Copies x's elements into a fresh tile of `shape`, where source element strides are `src_strides`
// per result dim (0 on broadcast dims). Dtype-agnostic: it moves element-sized byte groups.
Tile gather(const Tile& x, const Shape& shape,
            const std::array<std::int64_t, Shape::kMaxRank>& src_strides) {
  Tile out(shape, x.dtype(), x.is_pointer(), x.program());
  if (!x.has_data()) {  // zeros already
    x.wait_filled();
    out.drop_data();
    return out;
  }
  const std::size_t eb = x.element_bytes();
  const int rank = shape.rank();
  std::array<std::int64_t, Shape::kMaxRank> idx{};
  const std::byte* in = x.data();
  std::byte* o = out.mutable_data();
  const std::int64_t n = shape.numel();
  std::int64_t src = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    std::memcpy(o + static_cast<std::size_t>(i) * eb, in + static_cast<std::size_t>(src) * eb, eb);
    for (int d = rank - 1; d >= 0; --d) {  // odometer step, carrying the source offset along
      const auto ud = static_cast<std::size_t>(d);
      src += src_strides[ud];
      if (++idx[ud] < shape[d]) break;
      src -= src_strides[ud] * shape[d];
      idx[ud] = 0;
    }
  }
  return out;
}
}  // namespace

Tile Tile::index(std::span<const bool> newaxis) const {
  const auto kept = std::count(newaxis.begin(), newaxis.end(), false);
  if (kept != rank())
    throw base::ShapeError(
        fmt::format("index: {} has rank {} but the index keeps {} dims (use one `_` per dim)",
                    describe(), rank(), kept));
  std::vector<std::int64_t> dims;
  int src = 0;
  for (bool is_new : newaxis) dims.push_back(is_new ? 1 : shape_[src++]);
  return reshaped(Shape(dims));
}

Tile Tile::col() const {
  if (rank() != 1)
    throw base::ShapeError(
        fmt::format("col: {} is not 1-D (x[:, None] needs a 1-D x)", describe()));
  return (*this)(_, newaxis);
}

Tile Tile::row() const {
  if (rank() != 1)
    throw base::ShapeError(
        fmt::format("row: {} is not 1-D (x[None, :] needs a 1-D x)", describe()));
  return (*this)(newaxis, _);
}

Tile Tile::T() const { return trans(*this); }

Tile reshape(const Tile& x, Shape shape) {
  check_block_shape(shape, "reshape");
  return x.reshaped(shape);
}

Tile ravel(const Tile& x) { return x.reshaped(Shape{x.numel()}); }

Tile permute(const Tile& x, std::span<const int> dims) {
  const int rank = x.rank();
  std::vector<bool> seen(static_cast<std::size_t>(rank), false);
  bool ok = static_cast<int>(dims.size()) == rank;
  for (int d : dims) {
    ok = ok && d >= 0 && d < rank && !seen[static_cast<std::size_t>(d)];
    if (ok) seen[static_cast<std::size_t>(d)] = true;
  }
  if (!ok)
    throw base::ShapeError(fmt::format("permute: ({}) is not a permutation of the dims of {}",
                                       fmt::join(dims, ", "), x.describe()));
  const auto in_strides = x.shape().strides();
  std::array<std::int64_t, Shape::kMaxRank> src{};
  std::vector<std::int64_t> out_dims;
  for (int i = 0; i < rank; ++i) {
    const auto d = static_cast<std::size_t>(dims[static_cast<std::size_t>(i)]);
    out_dims.push_back(x.shape()[static_cast<int>(d)]);
    src[static_cast<std::size_t>(i)] = in_strides[d];
  }
  Tile out = gather(x, Shape(out_dims), src);
  detail::charge_vector(out.program(), VectorClass::simple, x.dtype(), x.numel());
  return out;
}

Tile permute(const Tile& x, std::initializer_list<int> dims) {
  return permute(x, std::span<const int>(dims.begin(), dims.size()));
}

Tile trans(const Tile& x) {
  if (x.rank() == 2) return permute(x, {1, 0});
  if (x.rank() == 3) return permute(x, {0, 2, 1});
  throw base::ShapeError(fmt::format("trans: {} is not 2-D or 3-D", x.describe()));
}

Tile broadcast_to(const Tile& x, Shape shape) {
  check_broadcastable_to(x.shape(), shape, "broadcast_to", "input");
  if (x.shape() == shape) return x;
  const auto in_strides = x.shape().strides();
  std::array<std::int64_t, Shape::kMaxRank> src{};
  for (int i = 0; x.rank() != 0 && i < shape.rank(); ++i)
    src[static_cast<std::size_t>(i)] =
        x.shape()[i] == 1 ? 0 : in_strides[static_cast<std::size_t>(i)];
  return gather(x, shape, src);
}

std::pair<Tile, Tile> broadcast(const Tile& a, const Tile& b) {
  const Shape s = broadcast_shapes(a.shape(), b.shape(), "broadcast");
  const auto lift = [&](const Tile& t) {  // left-pad with 1s, then same-rank broadcast
    if (t.rank() == 0 || t.rank() == s.rank()) return broadcast_to(t, s);
    std::vector<std::int64_t> dims(static_cast<std::size_t>(s.rank() - t.rank()), 1);
    dims.insert(dims.end(), t.shape().dims().begin(), t.shape().dims().end());
    return broadcast_to(t.reshaped(Shape(dims)), s);
  };
  return {lift(a), lift(b)};
}

Tile expand_dims(const Tile& x, int axis) {
  const int a = wrap_axis(axis, x.rank() + 1, "expand_dims");
  return x.reshaped(x.shape().inserted(a, 1));
}

}  // namespace kernbench::tl
