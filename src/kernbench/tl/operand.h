// An operand of an element-wise op: a tile, or a C++ number that behaves like Triton's weak
// Python number (TRITON.md §4.1): it takes the other operand's dtype when its kind allows.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>

#include "kernbench/tl/dtype_promotion.h"
#include "kernbench/tl/tile.h"

namespace kernbench::tl {

class Operand {
 public:
  /// A typed operand; the tile must outlive the operand (true for a call's arguments).
  Operand(const Tile& tile) : tile_(&tile) {}  // NOLINT(google-explicit-constructor): operators
  /// A weak operand from any C++ bool, integer or floating value.
  template <class N>
  requires std::is_arithmetic_v<N> Operand(N value) {  // NOLINT(google-explicit-constructor)
    if constexpr (std::is_same_v<N, bool>) {
      weak_ = {TypeKind::boolean, value ? 1 : 0, 0.0};
    } else if constexpr (std::is_integral_v<N>) {
      if constexpr (std::is_unsigned_v<N> && sizeof(N) == 8) check_u64(value);
      weak_ = {TypeKind::integer, static_cast<std::int64_t>(value), 0.0};
    } else {
      weak_ = {TypeKind::floating, 0, static_cast<double>(value)};
    }
  }

  bool is_weak() const { return tile_ == nullptr; }
  const Tile& tile() const { return *tile_; }
  const WeakScalar& weak() const { return weak_; }
  /// False for a data-less tile (Tile::has_data); a weak number always has its value.
  bool has_data() const { return tile_ == nullptr || tile_->has_data(); }
  /// "f32[4]" for a tile, "literal 3" / "literal 0.5" for a weak number.
  std::string describe() const;

 private:
  static void check_u64(std::uint64_t value);  // there is no u64 dtype: above i64 is an error

  const Tile* tile_ = nullptr;
  WeakScalar weak_;
};

}  // namespace kernbench::tl
