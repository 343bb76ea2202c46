#include "kernbench/topo/coord_index.h"

#include <fmt/format.h>

#include "kernbench/base/error.h"

namespace kernbench::topo {
namespace {

std::string machine(const TopologySpec& spec) {
  return fmt::format("{} SIP(s) x {} cubes x {} PEs", spec.system.sip_count, spec.cubes_per_sip(),
                     spec.pes_per_cube());
}

void check_index(const TopologySpec& spec, int index, int count, std::string_view what) {
  if (index < 0 || index >= count) {
    throw base::NotFoundError(fmt::format("{} index {} is outside the machine ({}: 0..{})", what,
                                          index, machine(spec), count - 1));
  }
}

}  // namespace

bool contains(const TopologySpec& spec, CubeCoord cube) {
  return cube.sip >= 0 && cube.sip < spec.system.sip_count && cube.cube >= 0 &&
         cube.cube < spec.cubes_per_sip();
}

bool contains(const TopologySpec& spec, PeCoord pe) {
  return contains(spec, pe.cube_coord()) && pe.pe >= 0 && pe.pe < spec.pes_per_cube();
}

int cube_index(const TopologySpec& spec, CubeCoord cube) {
  if (!contains(spec, cube)) {
    throw base::NotFoundError(
        fmt::format("cube {} is outside the machine ({})", cube, machine(spec)));
  }
  return cube.sip * spec.cubes_per_sip() + cube.cube;
}

CubeCoord cube_coord(const TopologySpec& spec, int index) {
  check_index(spec, index, spec.total_cubes(), "cube");
  return {index / spec.cubes_per_sip(), index % spec.cubes_per_sip()};
}

int pe_index(const TopologySpec& spec, PeCoord pe) {
  if (!contains(spec, pe)) {
    throw base::NotFoundError(fmt::format("PE {} is outside the machine ({})", pe, machine(spec)));
  }
  return (pe.sip * spec.cubes_per_sip() + pe.cube) * spec.pes_per_cube() + pe.pe;
}

PeCoord pe_coord(const TopologySpec& spec, int index) {
  check_index(spec, index, spec.total_pes(), "PE");
  const CubeCoord cube = cube_coord(spec, index / spec.pes_per_cube());
  return {cube.sip, cube.cube, index % spec.pes_per_cube()};
}

MeshPos mesh_pos(const TopologySpec& spec, int cube) {
  check_index(spec, cube, spec.cubes_per_sip(), "cube-in-SIP");
  return {cube % spec.sip.mesh_w, cube / spec.sip.mesh_w};
}

int cube_at(const TopologySpec& spec, MeshPos pos) {
  if (pos.x < 0 || pos.x >= spec.sip.mesh_w || pos.y < 0 || pos.y >= spec.sip.mesh_h) {
    throw base::NotFoundError(fmt::format("mesh position {} is outside the {} x {} mesh", pos,
                                          spec.sip.mesh_w, spec.sip.mesh_h));
  }
  return pos.y * spec.sip.mesh_w + pos.x;
}

}  // namespace kernbench::topo
