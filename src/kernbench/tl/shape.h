// A tile's runtime shape: rank 0 (a typed scalar) up to kMaxRank dimensions, row-major. Holds the
// broadcasting rules of TRITON.md §4.5 (binary numpy-style and same-rank "broadcast_to").
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace kernbench::tl {

class Shape {
 public:
  static constexpr int kMaxRank = 6;
  /// Triton's TRITON_MAX_TENSOR_NUMEL: no tile may hold more elements.
  static constexpr std::int64_t kMaxNumel = std::int64_t{1} << 20;

  /// The rank-0 shape (a scalar).
  constexpr Shape() = default;
  Shape(std::initializer_list<std::int64_t> dims);
  explicit Shape(std::span<const std::int64_t> dims);

  int rank() const { return rank_; }
  std::int64_t operator[](int axis) const { return dims_[static_cast<std::size_t>(axis)]; }
  std::int64_t numel() const;
  std::span<const std::int64_t> dims() const {
    return {dims_.data(), static_cast<std::size_t>(rank_)};
  }
  /// Row-major element strides (0 for a size-1 dimension is not used: strides are plain).
  std::array<std::int64_t, kMaxRank> strides() const;
  /// A copy with `size` inserted before `axis` (0 <= axis <= rank).
  Shape inserted(int axis, std::int64_t size) const;
  /// A copy without `axis`.
  Shape removed(int axis) const;
  /// A copy with dimension `axis` set to `size`.
  Shape with(int axis, std::int64_t size) const;
  std::string to_string() const;  // "[4, 8]", "[]" for a scalar

  bool operator==(const Shape& o) const;

 private:
  std::array<std::int64_t, kMaxRank> dims_{};
  int rank_ = 0;
};

/// The numpy-style broadcast of two shapes (lower rank left-padded with 1s); ShapeError naming
/// `op`, both shapes and the first incompatible index otherwise.
Shape broadcast_shapes(const Shape& a, const Shape& b, std::string_view op);
/// Checks the same-rank rule of broadcast_to/load/store: rank-0 splats; otherwise ranks equal
/// and each dim equal or 1. ShapeError naming `op` and `what` otherwise.
void check_broadcastable_to(const Shape& from, const Shape& to, std::string_view op,
                            std::string_view what);
/// Checks a shape a tile may be created with: every dim a power of two, numel <= kMaxNumel.
void check_block_shape(const Shape& s, std::string_view op);
/// Wraps a possibly negative axis into [0, rank); ShapeError naming `op` if out of range.
int wrap_axis(int axis, int rank, std::string_view op);

}  // namespace kernbench::tl

template <>
struct fmt::formatter<kernbench::tl::Shape> : fmt::formatter<std::string_view> {
  auto format(const kernbench::tl::Shape& s, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(s.to_string(), ctx);
  }
};
