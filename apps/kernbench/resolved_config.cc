#include "resolved_config.h"

#include <functional>
#include <map>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kernbench/base/error.h"
#include "kernbench/topo/parameter_table.h"

namespace kernbench::apps {
namespace {

using topo::TopologySpec;
using Reader = std::function<std::string(const TopologySpec&)>;

template <typename T>
std::string text(const T& value) {
  return fmt::format("{}", value);
}

std::string corners(const TopologySpec& s) {
  std::vector<std::string_view> names;
  for (topo::Corner c : s.cube.corners) names.push_back(topo::name(c));
  return fmt::format("[{}]", fmt::join(names, ", "));
}

std::string macs(const TopologySpec& s, base::DType dtype) {
  const auto it = s.cube.pe.core.matrix_macs_per_cycle.find(dtype);
  return std::to_string(it == s.cube.pe.core.matrix_macs_per_cycle.end() ? 0 : it->second);
}

// How each parameter is read back from the spec; the test ResolvedConfig.CoversEveryParameter
// fails when the table gains a key this map lacks.
const std::map<std::string_view, Reader>& readers() {
  using S = const TopologySpec&;
  static const std::map<std::string_view, Reader> kReaders{
      {"system.sips.count", [](S s) { return text(s.system.sip_count); }},
      {"system.sips.cubes_per_sip", [](S s) { return text(s.cubes_per_sip()); }},
      {"system.sips.interconnect",
       [](S s) { return std::string(topo::name(s.system.interconnect)); }},
      {"system.inter_sip_link.bandwidth",
       [](S s) { return text(s.system.inter_sip_link.bandwidth); }},
      {"system.inter_sip_link.latency", [](S s) { return text(s.system.inter_sip_link.latency); }},
      {"system.host_link.bandwidth", [](S s) { return text(s.system.host_link.bandwidth); }},
      {"system.host_link.latency", [](S s) { return text(s.system.host_link.latency); }},
      {"sip.cube_mesh.w", [](S s) { return text(s.sip.mesh_w); }},
      {"sip.cube_mesh.h", [](S s) { return text(s.sip.mesh_h); }},
      {"sip.cube_mesh.link.bandwidth", [](S s) { return text(s.sip.mesh_link.bandwidth); }},
      {"sip.cube_mesh.link.latency", [](S s) { return text(s.sip.mesh_link.latency); }},
      {"cube.pe_layout.corners", corners},
      {"cube.pe_layout.pe_per_corner", [](S s) { return text(s.cube.pe_per_corner); }},
      {"cube.memory_map.hbm_total_gb_per_cube",
       [](S s) { return text(s.cube.hbm.total_per_cube); }},
      {"cube.memory_map.hbm_slices_per_cube", [](S s) { return text(s.cube.hbm.slices_per_cube); }},
      {"cube.memory_map.hbm_slice_bandwidth", [](S s) { return text(s.cube.hbm.slice_bandwidth); }},
      {"cube.memory_map.hbm_latency", [](S s) { return text(s.cube.hbm.latency); }},
      {"cube.sram.size_mb", [](S s) { return text(s.cube.sram.size); }},
      {"cube.sram.bandwidth", [](S s) { return text(s.cube.sram.bandwidth); }},
      {"cube.sram.latency", [](S s) { return text(s.cube.sram.latency); }},
      {"cube.intra_cube_link.bandwidth",
       [](S s) { return text(s.cube.intra_cube_link.bandwidth); }},
      {"cube.intra_cube_link.latency", [](S s) { return text(s.cube.intra_cube_link.latency); }},
      {"cube.m_cpu.command_latency", [](S s) { return text(s.cube.m_cpu_command_latency); }},
      {"cube.pe_template.components.pe_core.attrs.clock",
       [](S s) { return text(s.cube.pe.core.clock); }},
      {"cube.pe_template.components.pe_core.attrs.vector_lanes",
       [](S s) { return text(s.cube.pe.core.vector_lanes); }},
      {"cube.pe_template.components.pe_core.attrs.transcendental_lanes",
       [](S s) { return text(s.cube.pe.core.transcendental_lanes); }},
      {"cube.pe_template.components.pe_core.attrs.matrix_macs_per_cycle.f16",
       [](S s) { return macs(s, base::DType::f16); }},
      {"cube.pe_template.components.pe_core.attrs.matrix_macs_per_cycle.bf16",
       [](S s) { return macs(s, base::DType::bf16); }},
      {"cube.pe_template.components.pe_core.attrs.matrix_macs_per_cycle.f32",
       [](S s) { return macs(s, base::DType::f32); }},
      {"cube.pe_template.components.pe_core.attrs.matrix_macs_per_cycle.i8",
       [](S s) { return macs(s, base::DType::i8); }},
      {"cube.pe_template.components.pe_core.attrs.matrix_tile.m",
       [](S s) { return text(s.cube.pe.core.matrix_tile_m); }},
      {"cube.pe_template.components.pe_core.attrs.matrix_tile.n",
       [](S s) { return text(s.cube.pe.core.matrix_tile_n); }},
      {"cube.pe_template.components.pe_core.attrs.matrix_tile.k",
       [](S s) { return text(s.cube.pe.core.matrix_tile_k); }},
      {"cube.pe_template.components.pe_tcm.attrs.size_mb",
       [](S s) { return text(s.cube.pe.tcm.size); }},
      {"cube.pe_template.components.pe_tcm.attrs.reserved_mb",
       [](S s) { return text(s.cube.pe.tcm.reserved); }},
      {"cube.pe_template.components.pe_tcm.attrs.bandwidth",
       [](S s) { return text(s.cube.pe.tcm.bandwidth); }},
      {"cube.pe_template.components.pe_tcm.attrs.latency",
       [](S s) { return text(s.cube.pe.tcm.latency); }},
      {"cube.pe_template.components.pe_mmu.attrs.page_size",
       [](S s) { return text(s.cube.pe.mmu.page_size); }},
      {"cube.pe_template.components.pe_mmu.attrs.tlb_entries",
       [](S s) { return text(s.cube.pe.mmu.tlb_entries); }},
      {"cube.pe_template.components.pe_mmu.attrs.tlb_hit_latency",
       [](S s) { return text(s.cube.pe.mmu.tlb_hit_latency); }},
      {"cube.pe_template.components.pe_mmu.attrs.tlb_miss_latency",
       [](S s) { return text(s.cube.pe.mmu.tlb_miss_latency); }},
      {"cube.pe_template.components.pe_dma.attrs.channels",
       [](S s) { return text(s.cube.pe.dma.channels); }},
      {"cube.pe_template.components.pe_dma.attrs.chunk_size",
       [](S s) { return text(s.cube.pe.dma.chunk_size); }},
      {"cube.pe_template.components.pe_ipcq.attrs.depth",
       [](S s) { return text(s.cube.pe.ipcq.depth); }},
  };
  return kReaders;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> resolved_config(const topo::TopologySpec& spec) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const topo::Parameter& p : topo::topology_parameters()) {
    const auto it = readers().find(p.key);
    if (it == readers().end())
      throw base::InternalError(fmt::format("resolved_config: no reader for {}", p.key));
    out.emplace_back(std::string(p.key), it->second(spec));
  }
  return out;
}

}  // namespace kernbench::apps
