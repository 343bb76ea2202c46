// Hand-built topology specs for the mem tests, with the default AHBM figures (DESIGN.md), until
// topo's default_topology() exists; only the fields mem reads are set.
#pragma once

#include "kernbench/base/units.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::mem::testing {

/// The default AHBM machine: 4x4 cubes, 8 PEs (4 corners x 2), 48 GiB HBM in `hbm_slices`
/// slices, 16 MiB TCM (4 MiB reserved), 32 MiB SRAM, 4 KiB pages; `sips` SIPs.
inline topo::TopologySpec ahbm_spec(int sips = 1, int hbm_slices = 8) {
  using namespace base::literals;
  topo::TopologySpec spec;
  spec.source = "<mem test>";
  spec.system.sip_count = sips;
  spec.sip.mesh_w = 4;
  spec.sip.mesh_h = 4;
  spec.cube.corners = {topo::Corner::nw, topo::Corner::ne, topo::Corner::sw, topo::Corner::se};
  spec.cube.pe_per_corner = 2;
  spec.cube.hbm.total_per_cube = 48_GiB;
  spec.cube.hbm.slices_per_cube = hbm_slices;
  spec.cube.sram.size = 32_MiB;
  spec.cube.pe.tcm.size = 16_MiB;
  spec.cube.pe.tcm.reserved = 4_MiB;
  spec.cube.pe.mmu.page_size = 4_KiB;
  return spec;
}

/// The multi-SIP variant: 4 SIPs of the default.
inline topo::TopologySpec multi_sip_spec() { return ahbm_spec(4); }

}  // namespace kernbench::mem::testing
