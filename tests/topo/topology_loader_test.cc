#include "kernbench/topo/topology_loader.h"

#include <fstream>
#include <iterator>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace kernbench::topo {
namespace {

using namespace base::literals;
using base::DType;

std::string config_path(std::string_view name) {
  return std::string(KERNBENCH_SOURCE_DIR) + "/configs/" + std::string(name);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Only the previous tool's keys: everything else must come from the table's defaults.
constexpr std::string_view kLegacyOnly = R"(
system: {sips: {count: 1, cubes_per_sip: 16}}
sip: {cube_mesh: {w: 4, h: 4}}
cube:
  pe_layout: {corners: [nw, ne, sw, se], pe_per_corner: 2}
  memory_map: {hbm_total_gb_per_cube: 48, hbm_slices_per_cube: 8}
  pe_template:
    components:
      pe_tcm: {attrs: {size_mb: 16}}
      pe_mmu: {attrs: {page_size: 4096}}
)";

TEST(TopologyLoader, DefaultIsTheAhbmMachine) {
  const TopologySpec s = default_topology();
  EXPECT_EQ(s.source, kDefaultTopologySource);
  EXPECT_EQ(s.system.sip_count, 1);
  EXPECT_EQ(s.system.interconnect, SipInterconnect::ring);
  EXPECT_EQ(s.system.inter_sip_link, (LinkSpec{100_GBps, 500_ns, 0_B}));
  EXPECT_EQ(s.system.host_link, (LinkSpec{64_GBps, 1_us, 0_B}));
  EXPECT_EQ(s.sip.mesh_w, 4);
  EXPECT_EQ(s.sip.mesh_h, 4);
  EXPECT_EQ(s.sip.mesh_link, (LinkSpec{256_GBps, 15_ns, 0_B}));
  EXPECT_EQ(s.cube.corners, (std::vector{Corner::nw, Corner::ne, Corner::sw, Corner::se}));
  EXPECT_EQ(s.pes_per_cube(), 8);
  EXPECT_EQ(s.cube.hbm.total_per_cube, 48_GiB);
  EXPECT_EQ(s.cube.hbm.slices_per_cube, 8);
  EXPECT_EQ(s.cube.hbm.slice_size(), 6_GiB);
  EXPECT_EQ(s.cube.hbm.slice_bandwidth, 128_GBps);
  EXPECT_EQ(s.cube.hbm.latency, 80_ns);
  EXPECT_EQ(s.cube.sram, (SramSpec{32_MiB, 512_GBps, 10_ns}));
  EXPECT_EQ(s.cube.intra_cube_link, (LinkSpec{256_GBps, 5_ns, 0_B}));
  EXPECT_EQ(s.cube.m_cpu_command_latency, 200_ns);
  const PeSpec& pe = s.cube.pe;
  EXPECT_EQ(pe.core.clock, 1500_MHz);
  EXPECT_EQ(pe.core.vector_lanes, 64);
  EXPECT_EQ(pe.core.transcendental_lanes, 16);
  EXPECT_EQ(pe.core.matrix_macs_per_cycle,
            (std::map<DType, int>{
                {DType::f16, 1024}, {DType::bf16, 1024}, {DType::f32, 256}, {DType::i8, 2048}}));
  EXPECT_EQ(pe.core.matrix_tile_m, 32);
  EXPECT_EQ(pe.core.matrix_tile_n, 32);
  EXPECT_EQ(pe.core.matrix_tile_k, 32);
  EXPECT_EQ(pe.tcm, (TcmSpec{16_MiB, 4_MiB, 384_GBps, 2_ns}));
  EXPECT_EQ(pe.tcm.usable(), 12_MiB);
  EXPECT_EQ(pe.mmu, (MmuSpec{4_KiB, 64, 1_ns, 100_ns}));
  EXPECT_EQ(pe.dma, (DmaSpec{4, 4_KiB}));
  EXPECT_EQ(pe.ipcq.depth, 8);
}

TEST(TopologyLoader, EmbeddedTextIsTheConfigFile) {
  EXPECT_EQ(default_topology_text(), read_file(config_path("ahbm_default.yaml")));
  TopologySpec from_file = load_topology_file(config_path("ahbm_default.yaml"));
  EXPECT_EQ(from_file.source, config_path("ahbm_default.yaml"));
  from_file.source = kDefaultTopologySource;
  EXPECT_EQ(from_file, default_topology());
}

// The table's defaults and the default file agree, so an old file gets the AHBM timing.
TEST(TopologyLoader, LegacyKeysAloneGiveTheDefaultMachine) {
  TopologySpec legacy = load_topology_text(kLegacyOnly, "legacy.yaml");
  legacy.source = kDefaultTopologySource;
  EXPECT_EQ(legacy, default_topology());
}

TEST(TopologyLoader, MultiSipVariant) {
  const TopologySpec s = load_topology_file(config_path("ahbm_multi_sip.yaml"));
  EXPECT_EQ(s.system.sip_count, 4);
  EXPECT_EQ(s.system.interconnect, SipInterconnect::ring);
  EXPECT_EQ(s.system.fabric_model, FabricModel::chunks);
  EXPECT_EQ(s.total_cubes(), 64);
  EXPECT_EQ(s.total_pes(), 512);
  TopologySpec one_sip = s;
  one_sip.system.sip_count = 1;
  one_sip.source = kDefaultTopologySource;
  EXPECT_EQ(one_sip, default_topology());
}

TEST(TopologyLoader, SmallVariantSplitsSlices) {
  const TopologySpec s = load_topology_file(config_path("ahbm_small.yaml"));
  EXPECT_EQ(s.cubes_per_sip(), 4);
  EXPECT_EQ(s.cube.corners, (std::vector{Corner::nw, Corner::ne, Corner::sw, Corner::se}));
  EXPECT_EQ(s.cube.hbm.slices_per_cube, 16);
  EXPECT_EQ(s.cube.hbm.slice_size(), 1_GiB);
  EXPECT_EQ(s.cube.hbm.slice_bandwidth, 64_GBps);
}

TEST(TopologyLoader, OverridesApplyOnTopOfAFile) {
  const TopologySpec s = load_topology_file(
      config_path("ahbm_default.yaml"),
      {"system.sips.count=8", "system.sips.interconnect=switch", "system.fabric_model=flows",
       "sip.cube_mesh.w=2", "system.sips.cubes_per_sip=8",
       "cube.memory_map.hbm_slice_bandwidth=200 GB/s", "cube.pe_layout.corners=[se, nw]",
       "cube.pe_template.components.pe_core.attrs.clock=2GHz",
       "cube.pe_template.components.pe_core.attrs.matrix_macs_per_cycle.f32=0",
       "cube.pe_template.components.pe_tcm.attrs.size_mb=0.5",
       "cube.pe_template.components.pe_tcm.attrs.reserved_mb=128 KiB"});
  EXPECT_EQ(s.system.sip_count, 8);
  EXPECT_EQ(s.system.interconnect, SipInterconnect::switched);
  EXPECT_EQ(s.system.fabric_model, FabricModel::flows);
  EXPECT_EQ(s.cubes_per_sip(), 8);
  EXPECT_EQ(s.cube.hbm.slice_bandwidth, 200_GBps);
  EXPECT_EQ(s.cube.corners, (std::vector{Corner::se, Corner::nw}));
  EXPECT_EQ(s.pes_per_cube(), 4);
  EXPECT_EQ(s.cube.pe.core.clock, 2_GHz);
  EXPECT_FALSE(s.cube.pe.core.matrix_macs_per_cycle.contains(DType::f32));
  EXPECT_EQ(s.cube.pe.tcm.size, 512_KiB);
  EXPECT_EQ(s.cube.pe.tcm.reserved, 128_KiB);
}

TEST(TopologyLoader, LaterOverrideWins) {
  const TopologySpec s =
      default_topology({"sip.cube_mesh.h=2", "sip.cube_mesh.h=1", "system.sips.cubes_per_sip=4"});
  EXPECT_EQ(s.sip.mesh_h, 1);
}

// One size syntax in the file and on the command line: "16K", "16 KiB", "16KiB" and plain bytes.
TEST(TopologyLoader, SizesReadTheSameInFileAndOverride) {
  constexpr std::string_view kChunk = "cube.pe_template.components.pe_dma.attrs.chunk_size";
  for (const char* text : {"16K", "16 KiB", "16KiB", "16384"}) {
    std::string file(kLegacyOnly);
    file += fmt::format("      pe_dma: {{attrs: {{chunk_size: {}}}}}\n", text);
    EXPECT_EQ(load_topology_text(file, "t.yaml").cube.pe.dma.chunk_size, 16_KiB) << text;
    EXPECT_EQ(default_topology({fmt::format("{}={}", kChunk, text)}).cube.pe.dma.chunk_size, 16_KiB)
        << text;
  }
  EXPECT_EQ(default_topology({"sip.cube_mesh.link.buffer=64K"}).sip.mesh_link.buffer, 64_KiB);
}

TEST(TopologyLoader, CornerCountTakesTheFirstCorners) {
  const TopologySpec s = default_topology({"cube.pe_layout.corners=2"});
  EXPECT_EQ(s.cube.corners, (std::vector{Corner::nw, Corner::ne}));
}

TEST(TopologyLoader, EmptySectionsAndOptionalCubesPerSip) {
  const TopologySpec s = load_topology_text(R"(
system: {sips: {count: 2}, host_link: }
sip: {cube_mesh: {w: 3, h: 1}}
cube:
  pe_layout: {corners: [nw], pe_per_corner: 1}
  memory_map: {hbm_total_gb_per_cube: 1, hbm_slices_per_cube: 1}
  pe_template: {components: {pe_tcm: {attrs: {size_mb: 8}}, pe_mmu: {attrs: {page_size: "64 KiB"}}}}
)",
                                            "mini.yaml");
  EXPECT_EQ(s.total_cubes(), 6);
  EXPECT_EQ(s.total_pes(), 6);
  EXPECT_EQ(s.cube.pe.mmu.page_size, 64_KiB);
  EXPECT_EQ(s.system.host_link, (LinkSpec{64_GBps, 1_us, 0_B}));
}

}  // namespace
}  // namespace kernbench::topo
