#include "kernbench/topo/home_slices.h"

#include <algorithm>

#include <fmt/format.h>

#include "kernbench/base/error.h"

namespace kernbench::topo {
namespace {

void check_in_cube(int index, int count, std::string_view what) {
  if (index < 0 || index >= count) {
    throw base::NotFoundError(
        fmt::format("{} {} is outside the cube (0..{})", what, index, count - 1));
  }
}

}  // namespace

HomeSlices home_hbm_slices(const TopologySpec& spec, int pe) {
  const std::int64_t pes = spec.pes_per_cube();
  const std::int64_t slices = spec.cube.hbm.slices_per_cube;
  check_in_cube(pe, static_cast<int>(pes), "PE");
  const auto first = static_cast<int>(pe * slices / pes);
  const auto end = std::max(first + 1, static_cast<int>((pe + 1) * slices / pes));
  return {first, end - first};
}

Corner pe_corner(const TopologySpec& spec, int pe) {
  check_in_cube(pe, spec.pes_per_cube(), "PE");
  return spec.cube.corners[static_cast<std::size_t>(pe / spec.cube.pe_per_corner)];
}

Corner slice_corner(const TopologySpec& spec, int slice) {
  const std::int64_t slices = spec.cube.hbm.slices_per_cube;
  check_in_cube(slice, static_cast<int>(slices), "HBM slice");
  const auto corners = static_cast<std::int64_t>(spec.cube.corners.size());
  return spec.cube.corners[static_cast<std::size_t>(slice * corners / slices)];
}

}  // namespace kernbench::topo
