#include "kernbench/rt/shape.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kernbench/base/error.h"

namespace kernbench::rt {

std::int64_t numel(std::span<const std::int64_t> shape) {
  std::int64_t n = 1;
  for (std::int64_t d : shape) n *= d;
  return n;
}

Shape row_major_strides(std::span<const std::int64_t> shape) {
  Shape strides(shape.size(), 1);
  for (std::size_t i = shape.size(); i-- > 1;) strides[i - 1] = strides[i] * shape[i];
  return strides;
}

std::string to_string(std::span<const std::int64_t> shape) {
  return fmt::format("[{}]", fmt::join(shape, ", "));
}

void check_shape(std::string_view tensor, std::span<const std::int64_t> shape) {
  for (std::size_t i = 0; i < shape.size(); ++i)
    if (shape[i] < 0)
      throw base::ShapeError(fmt::format("tensor '{}': dimension {} of shape {} is negative",
                                         tensor, i, to_string(shape)));
}

}  // namespace kernbench::rt
