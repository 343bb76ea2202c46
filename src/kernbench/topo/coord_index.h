// Dense indices for arrays indexed by PE or cube, and cube <-> mesh position, for a given spec.
// Coordinates name things (coord.h); these indices only lay them out: sip-major, then cube, then
// PE.
#pragma once

#include "kernbench/topo/coord.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::topo {

// Each function throws base::NotFoundError when its argument lies outside the machine.

/// System-wide dense index of a cube: sip * cubes_per_sip + cube.
int cube_index(const TopologySpec& spec, CubeCoord cube);
/// The cube with this dense index (inverse of cube_index).
CubeCoord cube_coord(const TopologySpec& spec, int index);
/// System-wide dense index of a PE: (sip * cubes_per_sip + cube) * pes_per_cube + pe.
int pe_index(const TopologySpec& spec, PeCoord pe);
/// The PE with this dense index (inverse of pe_index).
PeCoord pe_coord(const TopologySpec& spec, int index);
/// Mesh position of cube `cube` (index within its SIP): (cube % w, cube / w).
MeshPos mesh_pos(const TopologySpec& spec, int cube);
/// Index within the SIP of the cube at `pos`: y * w + x.
int cube_at(const TopologySpec& spec, MeshPos pos);
/// Whether the coordinate names a PE of this machine.
bool contains(const TopologySpec& spec, PeCoord pe);
/// Whether the coordinate names a cube of this machine.
bool contains(const TopologySpec& spec, CubeCoord cube);

}  // namespace kernbench::topo
