// The kernel language's one value type: a tile of elements with a runtime shape and dtype (rank 0
// is Triton's typed scalar), or of virtual addresses when it is a pointer tile. Tiles are
// immutable and cheap to copy (they share their element buffer). A tile remembers the program it
// was computed in, so ops charge that program and pointer tiles know whose MMU translates them,
// without any "current program" global.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "kernbench/base/dtype.h"
#include "kernbench/tl/detail/tile_buffer.h"
#include "kernbench/tl/shape.h"

namespace kernbench::tl {

using base::DType;
class Program;
class DmaRequest;

/// Index entries of Tile::operator(): `_` keeps a dimension, `newaxis` inserts a size-1 one.
struct FullSlice {};
struct NewAxis {};
inline constexpr FullSlice _{};
inline constexpr NewAxis newaxis{};

/// Rounding of a float narrowing cast: to nearest even (Triton's default) or toward zero.
enum class Rounding : std::uint8_t { rtne, rtz };

class Tile {
 public:
  /// A rank-0 i32 zero (so `Tile x;` can be assigned later, as Python names are).
  Tile();
  /// A tile of `shape` and dtype with zeroed contents, for op implementations to fill.
  /// `pointer` makes a pointer tile (8-byte virtual addresses) to elements of `dtype`.
  Tile(Shape shape, DType dtype, bool pointer = false, Program* program = nullptr);
  /// The same with the contents left unset: only for an op that writes every element.
  Tile(detail::Uninitialized, Shape shape, DType dtype, bool pointer = false,
       Program* program = nullptr);

  /// A data-less tile (see has_data) of `shape` and dtype, counted in `program`'s TCM as any
  /// tile: its elements read as zeros, but are only zeroed if something reads them.
  static Tile dataless(Shape shape, DType dtype, Program* program = nullptr);

  /// A tile built from host values, each converted to `dtype` (round to nearest even).
  static Tile from_doubles(Shape shape, DType dtype, std::span<const double> values);
  /// A tile built from host integers, each converted to `dtype` (wrapping, or x != 0 for bool).
  static Tile from_ints(Shape shape, DType dtype, std::span<const std::int64_t> values);

  DType dtype() const { return dtype_; }
  bool is_pointer() const { return pointer_; }
  const Shape& shape() const { return shape_; }
  int rank() const { return shape_.rank(); }
  std::int64_t numel() const { return shape_.numel(); }
  /// The program this tile was computed in (null for constants built outside any program).
  Program* program() const { return program_; }
  /// Bytes per element in the tile (8 for pointers).
  std::size_t element_bytes() const;
  /// "f32[4, 8]", "*f16[16]" (pointer), "i32[]" (scalar): how errors name operands.
  std::string describe() const;

  /// The element buffer (row-major, native encoding: f16/bf16 as bits, bool as 0/1 bytes).
  /// Reading a tile a load is still filling first waits for the load (the consumer's wait).
  const std::byte* data() const {
    if (data_->pending != nullptr || data_->zero_on_read) [[unlikely]]
      settle();
    return data_->bytes();
  }
  /// Writable buffer: only for an op filling a tile it has just created.
  std::byte* mutable_data() {
    if (data_->zero_on_read) [[unlikely]]
      settle();
    return data_->bytes();
  }
  /// Marks the tile as filled by `request` (only for the op that created it): readers wait.
  void arrives_with(std::shared_ptr<DmaRequest> request);
  /// True when a DMA still fills the tile (reading it would wait).
  bool in_flight() const;

  /// False for a data-less tile (timing only, `--timing-only`): computed from loaded data, it has
  /// its shape and dtype and is charged as any tile, but its elements are not computed (they
  /// read as zeros inside ops). Index, pointer and mask tiles always have data.
  bool has_data() const { return !dataless_; }
  /// Makes this tile data-less (for the op that made it from a data-less input).
  void drop_data() { dataless_ = true; }
  /// Makes this tile, which an op has just created, data-less with elements that read as zeros
  /// (its buffer is zeroed only if something reads it).
  void drop_elements() {
    dataless_ = true;
    data_->zero_on_read = true;
  }
  /// Throws NeedsDataError naming the program's kernel and `op` unless the tile has data.
  void require_data(std::string_view op) const {
    if (dataless_) [[unlikely]]
      throw_needs_data(op);
  }
  /// Waits for a load still filling the tile, as reading data() would (for data-less ops).
  void wait_filled() const {
    if (data_->pending != nullptr) await_pending();
  }

  /// Element `flat` (row-major) as a double (exact for every dtype but i64 beyond 2^53).
  double value(std::int64_t flat) const;
  /// Element `flat` as an integer (floats truncate toward zero).
  std::int64_t int_value(std::int64_t flat) const;
  /// Element `flat` of a pointer tile: its virtual address.
  std::uint64_t address(std::int64_t flat) const;
  /// Every element as a double / an integer (for host checks).
  std::vector<double> values() const;
  std::vector<std::int64_t> int_values() const;
  /// The value of a rank-0 tile; ShapeError for a block (like Triton's `if block:`).
  explicit operator bool() const;
  /// The value of a rank-0 tile as an integer / a double (loop bounds, host-side logic).
  std::int64_t item() const;
  double item_double() const;

  /// Cast to `dtype` (TRITON.md §2.5); `rounding` applies to float -> narrower float.
  Tile to(DType dtype, Rounding rounding = Rounding::rtne) const;
  /// Reinterprets the bits as `dtype` of the same width.
  Tile bitcast(DType dtype) const;
  /// x[:, None] for a 1-D x: [N] -> [N, 1].
  Tile col() const;
  /// x[None, :] for a 1-D x: [N] -> [1, N].
  Tile row() const;
  /// Transpose of a 2-D tile (trans with the default permutation).
  Tile T() const;
  /// Triton indexing with `_` (keep a dim) and `newaxis` (insert a size-1 dim).
  template <class... Ix>
  Tile operator()(Ix... /*entries*/) const {
    static_assert(((std::is_same_v<Ix, NewAxis> || std::is_same_v<Ix, FullSlice>)&&...),
                  "index entries are tl::_ and tl::newaxis");
    const std::array<bool, sizeof...(Ix)> entries{std::is_same_v<Ix, NewAxis>...};
    return index(entries);
  }
  /// The same values attributed to `program` (ops use it to carry the program to results).
  Tile with_program(Program* program) const;
  /// The same buffer viewed with another shape of equal numel (no copy).
  Tile reshaped(Shape shape) const;

 private:
  Tile index(std::span<const bool> newaxis) const;
  void settle() const;         // await_pending(), then zeroes a data-less buffer not yet zeroed
  void await_pending() const;  // waits for the pending DMA, then forgets it
  [[noreturn]] void throw_needs_data(std::string_view op) const;
  void count_in(Program* program);  // counts the buffer in the program's TCM ledger

  Shape shape_;
  DType dtype_ = DType::i32;
  bool pointer_ = false;
  bool dataless_ = false;  // timing only: elements not computed (see has_data)
  Program* program_ = nullptr;
  // Shared so copies are cheap; never written after the op that made it returns.
  detail::BufferRef data_;
};

using Scalar = Tile;
using Ptr = Tile;

}  // namespace kernbench::tl
