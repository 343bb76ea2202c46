#include "kernbench/hw/targets.h"

#include <algorithm>

namespace kernbench::hw {

Targets::Targets(std::vector<topo::PeCoord> pes) : pes_(std::move(pes)) {
  std::sort(pes_.begin(), pes_.end());
  pes_.erase(std::unique(pes_.begin(), pes_.end()), pes_.end());
}

Targets Targets::cube(const topo::TopologySpec& spec, topo::CubeCoord cube) {
  std::vector<topo::PeCoord> pes;
  for (int p = 0; p < spec.pes_per_cube(); ++p) pes.push_back({cube.sip, cube.cube, p});
  return Targets(std::move(pes));
}

Targets Targets::sip(const topo::TopologySpec& spec, int sip) {
  std::vector<topo::PeCoord> pes;
  for (int c = 0; c < spec.cubes_per_sip(); ++c)
    for (int p = 0; p < spec.pes_per_cube(); ++p) pes.push_back({sip, c, p});
  return Targets(std::move(pes));
}

Targets Targets::all(const topo::TopologySpec& spec) {
  std::vector<topo::PeCoord> pes;
  for (int s = 0; s < spec.system.sip_count; ++s)
    for (const auto& pe : sip(spec, s).pes()) pes.push_back(pe);
  return Targets(std::move(pes));
}

std::vector<topo::CubeCoord> Targets::cubes() const {
  std::vector<topo::CubeCoord> out;
  for (const auto& pe : pes_)
    if (out.empty() || out.back() != pe.cube_coord()) out.push_back(pe.cube_coord());
  return out;  // pes_ is sorted, so cubes come out sorted and distinct
}

}  // namespace kernbench::hw
