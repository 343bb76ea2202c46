// Tensor shapes as the runtime uses them: a list of extents (row-major), with the few helpers
// every part of rt needs (element counts, strides, printing, checking).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kernbench::rt {

/// Extents, outermost first; a tensor's elements are laid out row-major over them.
using Shape = std::vector<std::int64_t>;

/// Product of the extents (1 for a 0-D shape).
std::int64_t numel(std::span<const std::int64_t> shape);
/// Row-major strides in elements (the last is 1).
Shape row_major_strides(std::span<const std::int64_t> shape);
/// "[4, 8]".
std::string to_string(std::span<const std::int64_t> shape);
/// ShapeError naming `tensor` if an extent is negative.
void check_shape(std::string_view tensor, std::span<const std::int64_t> shape);

}  // namespace kernbench::rt
