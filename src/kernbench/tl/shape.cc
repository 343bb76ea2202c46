#include "kernbench/tl/shape.h"

#include <algorithm>

#include "kernbench/base/error.h"

namespace kernbench::tl {

namespace {
void check_rank(std::size_t rank) {
  if (rank > static_cast<std::size_t>(Shape::kMaxRank))
    throw base::ShapeError(
        fmt::format("tile rank {} exceeds the maximum of {}", rank, Shape::kMaxRank));
}
}  // namespace

Shape::Shape(std::initializer_list<std::int64_t> dims)
    : Shape(std::span<const std::int64_t>(dims.begin(), dims.size())) {}

Shape::Shape(std::span<const std::int64_t> dims) {
  check_rank(dims.size());
  rank_ = static_cast<int>(dims.size());
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] < 0) throw base::ShapeError(fmt::format("negative dimension {}", dims[i]));
    dims_[i] = dims[i];
  }
}

std::int64_t Shape::numel() const {
  std::int64_t n = 1;
  for (int i = 0; i < rank_; ++i) n *= dims_[static_cast<std::size_t>(i)];
  return n;
}

std::array<std::int64_t, Shape::kMaxRank> Shape::strides() const {
  std::array<std::int64_t, kMaxRank> s{};
  std::int64_t step = 1;
  for (int i = rank_ - 1; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = step;
    step *= dims_[static_cast<std::size_t>(i)];
  }
  return s;
}

Shape Shape::inserted(int axis, std::int64_t size) const {
  check_rank(static_cast<std::size_t>(rank_) + 1);
  Shape r;
  r.rank_ = rank_ + 1;
  for (int i = 0, j = 0; i < r.rank_; ++i)
    r.dims_[static_cast<std::size_t>(i)] =
        (i == axis) ? size : dims_[static_cast<std::size_t>(j++)];
  return r;
}

Shape Shape::removed(int axis) const {
  Shape r;
  r.rank_ = rank_ - 1;
  for (int i = 0, j = 0; i < rank_; ++i)
    if (i != axis) r.dims_[static_cast<std::size_t>(j++)] = dims_[static_cast<std::size_t>(i)];
  return r;
}

Shape Shape::with(int axis, std::int64_t size) const {
  Shape r = *this;
  r.dims_[static_cast<std::size_t>(axis)] = size;
  return r;
}

std::string Shape::to_string() const { return fmt::format("[{}]", fmt::join(dims(), ", ")); }

bool Shape::operator==(const Shape& o) const {
  return rank_ == o.rank_ && std::equal(dims().begin(), dims().end(), o.dims().begin());
}

Shape broadcast_shapes(const Shape& a, const Shape& b, std::string_view op) {
  if (a == b) return a;
  const int rank = std::max(a.rank(), b.rank());
  std::array<std::int64_t, Shape::kMaxRank> out{};
  for (int i = 0; i < rank; ++i) {
    // Index from the right: the lower-rank shape is left-padded with 1s (TRITON.md §4.5).
    const int ia = a.rank() - rank + i, ib = b.rank() - rank + i;
    const std::int64_t da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
    if (da == 1) {
      out[static_cast<std::size_t>(i)] = db;
    } else if (db == 1 || db == da) {
      out[static_cast<std::size_t>(i)] = da;
    } else {
      throw base::ShapeError(
          fmt::format("{}: incompatible dimensions at index {}: {} and {}", op, i, a, b));
    }
  }
  return Shape(std::span<const std::int64_t>(out.data(), static_cast<std::size_t>(rank)));
}

void check_broadcastable_to(const Shape& from, const Shape& to, std::string_view op,
                            std::string_view what) {
  if (from.rank() == 0) return;
  bool ok = from.rank() == to.rank();
  for (int i = 0; ok && i < from.rank(); ++i) ok = from[i] == to[i] || from[i] == 1;
  if (!ok)
    throw base::ShapeError(fmt::format(
        "{}: {} of shape {} cannot broadcast to {} (ranks must match; each dim equal or 1)", op,
        what, from, to));
}

void check_block_shape(const Shape& s, std::string_view op) {
  for (int i = 0; i < s.rank(); ++i) {
    const std::int64_t d = s[i];
    if (d <= 0 || (d & (d - 1)) != 0)
      throw base::ShapeError(
          fmt::format("{}: shape {} has dimension {} = {}, not a power of two", op, s, i, d));
  }
  if (s.numel() > Shape::kMaxNumel)
    throw base::ShapeError(fmt::format("{}: shape {} has {} elements, more than the limit {}", op,
                                       s, s.numel(), Shape::kMaxNumel));
}

int wrap_axis(int axis, int rank, std::string_view op) {
  const int a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    throw base::ShapeError(fmt::format("{}: axis {} is out of range for rank {}", op, axis, rank));
  return a;
}

}  // namespace kernbench::tl
