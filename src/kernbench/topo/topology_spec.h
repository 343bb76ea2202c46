// The machine description as typed values: what the YAML loader produces and every later layer
// consumes. Legacy units (size_mb, hbm_total_gb_per_cube) stop at the loader; here every quantity
// carries a unit type. Field names follow the YAML key paths (configs/README.md lists them).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kernbench/base/dtype.h"
#include "kernbench/base/units.h"

namespace kernbench::topo {

using base::Bandwidth;
using base::Bytes;
using base::Frequency;
using base::SimTime;

/// How the SIPs of a system are joined.
enum class SipInterconnect { ring, fully_connected, switched };
inline constexpr std::array kAllSipInterconnects{
    SipInterconnect::ring, SipInterconnect::fully_connected, SipInterconnect::switched};

/// How the fabric times a transfer. `chunks`: every chunk is an event at every stage it passes,
/// with credit-based flow control and round-robin arbitration (the reference model). `flows`: a
/// transfer is one flow at its max-min fair share of the channels it crosses, then pays its
/// pipeline fill; a few events per transfer, for sweeps over large worlds
/// (docs/hardware-model.md compares them).
enum class FabricModel { chunks, flows };
inline constexpr std::array kAllFabricModels{FabricModel::chunks, FabricModel::flows};

/// A cube corner; PEs sit at corners, pe_per_corner at each.
enum class Corner { nw, ne, sw, se };
inline constexpr std::array kAllCorners{Corner::nw, Corner::ne, Corner::sw, Corner::se};

/// A point-to-point link: every byte pays latency once, then bytes / bandwidth. Its receiving
/// end buffers `buffer` bytes per traffic class (credit-based flow control); zero means the
/// link's bandwidth-delay product over the credit round trip in whole chunks (hw::link_buffer).
struct LinkSpec {
  Bandwidth bandwidth;
  SimTime latency;
  Bytes buffer;  // 0 = the bandwidth-delay product (a lone stream runs at full rate)
  bool operator==(const LinkSpec&) const = default;
};

struct SystemSpec {
  int sip_count = 1;                                     // system.sips.count
  SipInterconnect interconnect = SipInterconnect::ring;  // system.sips.interconnect
  LinkSpec inter_sip_link;                               // system.inter_sip_link
  LinkSpec host_link;                                    // system.host_link (one per SIP)
  FabricModel fabric_model = FabricModel::chunks;        // system.fabric_model
  std::uint64_t max_events = 2'000'000'000;              // system.max_events
  bool operator==(const SystemSpec&) const = default;
};

struct SipSpec {
  int mesh_w = 4;      // sip.cube_mesh.w
  int mesh_h = 4;      // sip.cube_mesh.h
  LinkSpec mesh_link;  // sip.cube_mesh.link: between neighbouring cubes (the mesh NoC)
  bool operator==(const SipSpec&) const = default;
};

struct HbmSpec {
  Bytes total_per_cube;       // cube.memory_map.hbm_total_gb_per_cube (GiB)
  int slices_per_cube = 8;    // cube.memory_map.hbm_slices_per_cube
  Bandwidth slice_bandwidth;  // cube.memory_map.hbm_slice_bandwidth
  SimTime latency;            // cube.memory_map.hbm_latency
  Bytes slice_size() const { return total_per_cube / static_cast<std::uint64_t>(slices_per_cube); }
  bool operator==(const HbmSpec&) const = default;
};

struct SramSpec {
  Bytes size;           // cube.sram.size_mb (MiB)
  Bandwidth bandwidth;  // cube.sram.bandwidth
  SimTime latency;      // cube.sram.latency
  bool operator==(const SramSpec&) const = default;
};

struct TcmSpec {
  Bytes size;           // ...pe_tcm.attrs.size_mb (MiB)
  Bytes reserved;       // ...pe_tcm.attrs.reserved_mb (MiB), kept for the scheduler
  Bandwidth bandwidth;  // ...pe_tcm.attrs.bandwidth
  SimTime latency;      // ...pe_tcm.attrs.latency
  Bytes usable() const { return size - reserved; }
  bool operator==(const TcmSpec&) const = default;
};

struct MmuSpec {
  Bytes page_size;           // ...pe_mmu.attrs.page_size (bytes)
  int tlb_entries = 64;      // ...pe_mmu.attrs.tlb_entries
  SimTime tlb_hit_latency;   // ...pe_mmu.attrs.tlb_hit_latency
  SimTime tlb_miss_latency;  // ...pe_mmu.attrs.tlb_miss_latency
  int page_walkers = 1;      // ...pe_mmu.attrs.page_walkers: page walks in progress at once
  bool operator==(const MmuSpec&) const = default;
};

struct CoreSpec {
  Frequency clock;               // ...pe_core.attrs.clock
  int vector_lanes = 0;          // ...pe_core.attrs.vector_lanes: 32-bit lanes; 16-bit x2, 8-bit x4
  int transcendental_lanes = 0;  // ...pe_core.attrs.transcendental_lanes (exp, log, sqrt ...)
  std::map<base::DType, int> matrix_macs_per_cycle;  // ...pe_core.attrs.matrix_macs_per_cycle
  int matrix_tile_m = 0;  // ...pe_core.attrs.matrix_tile.{m,n,k}: MACs round up to these
  int matrix_tile_n = 0;
  int matrix_tile_k = 0;
  bool operator==(const CoreSpec&) const = default;
};

struct DmaSpec {
  int channels = 1;           // ...pe_dma.attrs.channels
  Bytes chunk_size;           // ...pe_dma.attrs.chunk_size: transfers split into these
  int chunks_in_flight = 64;  // ...pe_dma.attrs.chunks_in_flight: per transfer, not yet landed
  bool operator==(const DmaSpec&) const = default;
};

struct IpcqSpec {
  int depth = 8;  // ...pe_ipcq.attrs.depth: messages per queue
  bool operator==(const IpcqSpec&) const = default;
};

struct PeSpec {
  CoreSpec core;
  TcmSpec tcm;
  MmuSpec mmu;
  DmaSpec dma;
  IpcqSpec ipcq;
  bool operator==(const PeSpec&) const = default;
};

struct CubeSpec {
  std::vector<Corner> corners;  // cube.pe_layout.corners
  int pe_per_corner = 2;        // cube.pe_layout.pe_per_corner
  HbmSpec hbm;
  SramSpec sram;
  LinkSpec intra_cube_link;       // cube.intra_cube_link: corner <-> corner, PE <-> memories
  SimTime m_cpu_command_latency;  // cube.m_cpu.command_latency
  PeSpec pe;                      // cube.pe_template.components.*
  int pes_per_cube() const { return static_cast<int>(corners.size()) * pe_per_corner; }
  bool operator==(const CubeSpec&) const = default;
};

/// A validated machine description: build one with load_topology_file / default_topology
/// (topology_loader.h), which check every value and rule before returning it.
struct TopologySpec {
  std::string source;  // where it came from: a file path or "<embedded default>"
  SystemSpec system;
  SipSpec sip;
  CubeSpec cube;

  int cubes_per_sip() const { return sip.mesh_w * sip.mesh_h; }
  int pes_per_cube() const { return cube.pes_per_cube(); }
  int pes_per_sip() const { return cubes_per_sip() * pes_per_cube(); }
  int total_cubes() const { return system.sip_count * cubes_per_sip(); }
  int total_pes() const { return system.sip_count * pes_per_sip(); }
  bool operator==(const TopologySpec&) const = default;
};

}  // namespace kernbench::topo

namespace kernbench::topo {
/// YAML / report names: "ring", "fully_connected", "switch"; "nw", "ne", "sw", "se".
std::string_view name(SipInterconnect kind);
std::string_view name(Corner corner);
/// "chunks", "flows".
std::string_view name(FabricModel model);
}  // namespace kernbench::topo
