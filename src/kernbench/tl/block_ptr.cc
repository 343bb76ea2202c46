#include "kernbench/tl/block_ptr.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kernbench/base/error.h"
#include "kernbench/tl/detail/memory_access.h"
#include "kernbench/tl/program.h"
#include "kernbench/tl/semantic_error.h"
#include "kernbench/tl/shape.h"

namespace kernbench::tl {

namespace {

std::vector<std::int64_t> values_of(const std::vector<BlockOffset>& offsets) {
  std::vector<std::int64_t> v;
  v.reserve(offsets.size());
  for (const BlockOffset& o : offsets) v.push_back(o.value());
  return v;
}

void check_dims(const BlockPtr& p, const std::vector<int>& dims, const char* op) {
  for (int d : dims)
    if (d < 0 || d >= p.rank())
      throw SemanticError(fmt::format("{}: boundary_check dimension {} is not a dimension of {}",
                                      op, d, p.describe()));
}

// Which dimensions the boundary check covers.
std::vector<bool> checked_dims(const BlockPtr& p, const std::vector<int>& checked) {
  std::vector<bool> is_checked(static_cast<std::size_t>(p.rank()), false);
  for (int d : checked) is_checked[static_cast<std::size_t>(d)] = true;
  return is_checked;
}

// Calls fn(flat, elem, inside) for each row (last dimension) of the block in row-major order:
// its first lane, its first element's offset in elements from the base without the last
// dimension's part, and whether the outer dimensions put it inside the checked bounds.
template <class Fn>
void for_each_row(const BlockPtr& p, const std::vector<bool>& is_checked, Fn fn) {
  const auto last = static_cast<std::size_t>(p.rank() - 1);
  const std::int64_t cols = p.block_shape()[last];
  const std::int64_t numel = Shape{std::span<const std::int64_t>(p.block_shape())}.numel();
  std::vector<std::int64_t> index(last, 0);
  for (std::int64_t flat = 0; flat < numel; flat += cols) {
    std::int64_t elem = 0;
    bool inside = true;
    for (std::size_t d = 0; d < last; ++d) {
      const std::int64_t at = p.offsets()[d] + index[d];
      elem += at * p.strides()[d];
      if (is_checked[d]) inside = inside && at >= 0 && at < p.shape()[d];
    }
    fn(flat, elem, inside);
    for (std::size_t d = last; d-- > 0;) {  // row-major increment of the outer dimensions
      if (++index[d] < p.block_shape()[d]) break;
      index[d] = 0;
    }
  }
}

// The block's element addresses (a pointer tile of no program: addresses take no TCM) and, if
// any dimension is checked, the mask of elements inside the tensor on those dimensions. Walks the
// block a row (last dimension) at a time: the outer dimensions fix the row's first element and
// whether it is inside; along the row the address steps by the last stride.
std::pair<Tile, std::optional<Tile>> lanes(const BlockPtr& p, const std::vector<int>& checked) {
  const Shape shape{std::span<const std::int64_t>(p.block_shape())};
  Tile ptr(detail::kUninitialized, shape, p.base().dtype(), true);
  std::optional<Tile> mask;
  if (!checked.empty()) mask = Tile(detail::kUninitialized, shape, DType::boolean);
  const std::vector<bool> is_checked = checked_dims(p, checked);
  const std::int64_t eb = static_cast<std::int64_t>(base::size_bytes(p.base().dtype()));
  const std::uint64_t base = p.base().address(0);
  const auto last = static_cast<std::size_t>(p.rank() - 1);
  const std::int64_t cols = p.block_shape()[last], col0 = p.offsets()[last];
  const std::int64_t step = p.strides()[last] * eb, extent = p.shape()[last];
  std::byte* addresses = ptr.mutable_data();
  std::byte* active = mask ? mask->mutable_data() : nullptr;
  for_each_row(p, is_checked, [&](std::int64_t flat, std::int64_t elem, bool inside) {
    std::uint64_t va = base + static_cast<std::uint64_t>((elem + col0 * p.strides()[last]) * eb);
    for (std::int64_t j = 0; j < cols; ++j, va += static_cast<std::uint64_t>(step)) {
      std::memcpy(addresses + static_cast<std::size_t>(flat + j) * 8, &va, 8);
      if (active != nullptr) {
        const std::int64_t at = col0 + j;
        const bool in = inside && (!is_checked[last] || (at >= 0 && at < extent));
        active[flat + j] = static_cast<std::byte>(in ? 1 : 0);
      }
    }
  });
  return {ptr, mask};
}

// The block's DMA runs planned a row at a time, without its address and mask tiles, when its
// last dimension is contiguous (stride 1): a row's lanes inside the bounds are one segment, and
// masked lanes before or after it end the run, as plan_runs over the lanes would.
std::vector<DmaRun> plan_rows(Program& program, const BlockPtr& p, const std::vector<int>& checked,
                              const char* op, std::vector<std::int64_t>& first_lane) {
  p.base().require_data(op);
  const std::vector<bool> is_checked = checked_dims(p, checked);
  const std::uint64_t eb = base::size_bytes(p.base().dtype());
  const std::uint64_t base = p.base().address(0);
  const auto last = static_cast<std::size_t>(p.rank() - 1);
  const std::int64_t cols = p.block_shape()[last], col0 = p.offsets()[last];
  std::int64_t lo = 0, hi = cols;  // the columns inside the bounds
  if (is_checked[last]) {
    lo = std::clamp<std::int64_t>(-col0, 0, cols);
    hi = std::clamp<std::int64_t>(p.shape()[last] - col0, lo, cols);
  }
  std::vector<DmaRun> runs;
  const std::int64_t rows = Shape{std::span<const std::int64_t>(p.block_shape())}.numel() / cols;
  runs.reserve(static_cast<std::size_t>(rows));  // a run a row when rows are apart
  first_lane.reserve(static_cast<std::size_t>(rows));
  detail::RunPlanner planner(program, op, eb, runs, first_lane);
  for_each_row(p, is_checked, [&](std::int64_t flat, std::int64_t elem, bool inside) {
    if (!inside || hi == lo) {
      planner.gap();  // the whole row is masked
      return;
    }
    if (lo > 0) planner.gap();
    const std::uint64_t va =
        base + static_cast<std::uint64_t>((elem + col0 + lo) * static_cast<std::int64_t>(eb));
    planner.add(va, static_cast<std::uint64_t>(hi - lo) * eb, flat + lo);
    if (hi < cols) planner.gap();
  });
  return runs;
}

Program& program_of(const BlockPtr& p, const char* op) {
  if (p.base().program() == nullptr)
    throw SemanticError(fmt::format("{}: {} does not come from a program", op, p.describe()));
  return *p.base().program();
}

}  // namespace

BlockOffset::BlockOffset(const Tile& scalar) {
  if (scalar.rank() != 0 || scalar.is_pointer() || base::is_floating(scalar.dtype()))
    throw SemanticError(
        fmt::format("block pointer offsets must be integer scalars, got {}", scalar.describe()));
  value_ = scalar.item();
}

BlockPtr::BlockPtr(Tile base, std::vector<std::int64_t> shape, std::vector<std::int64_t> strides,
                   std::vector<std::int64_t> offsets, std::vector<std::int64_t> block_shape,
                   std::vector<int> order)
    : base_(std::move(base)),
      shape_(std::move(shape)),
      strides_(std::move(strides)),
      offsets_(std::move(offsets)),
      block_shape_(std::move(block_shape)),
      order_(std::move(order)) {}

std::string BlockPtr::describe() const {
  return fmt::format("block_ptr(*{}, shape [{}], strides [{}], offsets [{}], block [{}])",
                     base_.dtype(), fmt::join(shape_, ", "), fmt::join(strides_, ", "),
                     fmt::join(offsets_, ", "), fmt::join(block_shape_, ", "));
}

BlockPtr make_block_ptr(const Tile& base, std::vector<std::int64_t> shape,
                        std::vector<std::int64_t> strides, std::vector<BlockOffset> offsets,
                        std::vector<std::int64_t> block_shape, std::vector<int> order) {
  if (!base.is_pointer() || base.rank() != 0)
    throw SemanticError(
        fmt::format("make_block_ptr: base must be a scalar pointer, got {}", base.describe()));
  const std::size_t rank = shape.size();
  if (rank == 0 || strides.size() != rank || offsets.size() != rank || block_shape.size() != rank ||
      order.size() != rank)
    throw base::ShapeError(fmt::format(
        "make_block_ptr: shape, strides, offsets, block_shape and order must have one entry per "
        "dimension, got {}, {}, {}, {} and {}",
        rank, strides.size(), offsets.size(), block_shape.size(), order.size()));
  check_block_shape(Shape{std::span<const std::int64_t>(block_shape)}, "make_block_ptr");
  std::vector<int> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < rank; ++i)
    if (sorted[i] != static_cast<int>(i))
      throw SemanticError(
          fmt::format("make_block_ptr: order [{}] is not a permutation of the {} "
                      "dimensions",
                      fmt::join(order, ", "), rank));
  return BlockPtr(base, std::move(shape), std::move(strides), values_of(offsets),
                  std::move(block_shape), std::move(order));
}

BlockPtr advance(const BlockPtr& ptr, std::vector<BlockOffset> offsets) {
  if (offsets.size() != static_cast<std::size_t>(ptr.rank()))
    throw base::ShapeError(fmt::format("advance: {} offsets for {} ({} dimensions)", offsets.size(),
                                       ptr.describe(), ptr.rank()));
  std::vector<std::int64_t> moved = ptr.offsets();
  for (std::size_t d = 0; d < moved.size(); ++d) moved[d] += offsets[d].value();
  return BlockPtr(ptr.base(), ptr.shape(), ptr.strides(), std::move(moved), ptr.block_shape(),
                  ptr.order());
}

Tile load(const BlockPtr& ptr, std::vector<int> boundary_check, Padding padding) {
  Program& program = program_of(ptr, "load");
  check_dims(ptr, boundary_check, "load");
  if (padding == Padding::nan && !base::is_floating(ptr.base().dtype()))
    throw SemanticError(
        fmt::format("load: padding nan needs a floating pointee, got {}", ptr.describe()));
  const Operand other = padding == Padding::nan ? Operand(NAN) : Operand(0);
  if (ptr.strides().back() == 1) {
    const Shape shape{std::span<const std::int64_t>(ptr.block_shape())};
    return detail::load_planned(
        program, shape, ptr.base().dtype(), boundary_check.empty() ? nullptr : &other,
        [&](std::vector<std::int64_t>& first_lane) {
          return plan_rows(program, ptr, boundary_check, "load", first_lane);
        });
  }
  const auto [p, mask] = lanes(ptr, boundary_check);
  if (!mask) return detail::load_lanes(program, p, nullptr, nullptr);
  return detail::load_lanes(program, p, &*mask, &other);
}

void store(const BlockPtr& ptr, const Operand& value, std::vector<int> boundary_check) {
  Program& program = program_of(ptr, "store");
  check_dims(ptr, boundary_check, "store");
  if (ptr.strides().back() == 1) {
    const Shape shape{std::span<const std::int64_t>(ptr.block_shape())};
    detail::store_planned(program, shape, ptr.base().dtype(), value,
                          [&](std::vector<std::int64_t>& first_lane) {
                            return plan_rows(program, ptr, boundary_check, "store", first_lane);
                          });
    return;
  }
  const auto [p, mask] = lanes(ptr, boundary_check);
  detail::store_lanes(program, p, value, mask ? &*mask : nullptr);
}

}  // namespace kernbench::tl
