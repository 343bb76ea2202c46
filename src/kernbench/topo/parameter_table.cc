#include "kernbench/topo/parameter_table.h"

#include <array>
#include <limits>
#include <type_traits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kernbench/base/dtype.h"
#include "kernbench/base/enum_names.h"

namespace kernbench::topo {
namespace {

using base::DType;
using V = ParameterValue;

int count(const V& v) { return static_cast<int>(std::get<std::int64_t>(v)); }
Bytes size(const V& v) { return std::get<Bytes>(v); }
Bandwidth rate(const V& v) { return std::get<Bandwidth>(v); }
SimTime time(const V& v) { return std::get<SimTime>(v); }

void store_macs(TopologySpec& s, DType dtype, const V& v) {
  auto& macs = s.cube.pe.core.matrix_macs_per_cycle;
  if (count(v) > 0) {
    macs[dtype] = count(v);
  } else {
    macs.erase(dtype);  // zero: the matrix unit does not take this type
  }
}

V read_macs(const TopologySpec& s, DType dtype) {
  const auto& macs = s.cube.pe.core.matrix_macs_per_cycle;
  const auto it = macs.find(dtype);
  return std::int64_t{it == macs.end() ? 0 : it->second};
}

constexpr std::int64_t kMaxInt = std::numeric_limits<int>::max();
constexpr std::int64_t kMaxI64 = std::numeric_limits<std::int64_t>::max();

using K = ParameterKind;

// Key paths under cube.pe_template.components are spelled out in full so that grep finds them.
const std::array kParameters{
    Parameter{"system.sips.count", K::count, "", "", "Number of SIPs in the system.", 1, kMaxInt,
              [](TopologySpec& s, const V& v) { s.system.sip_count = count(v); },
              [](const TopologySpec& s) -> V { return std::int64_t{s.system.sip_count}; }},
    Parameter{"system.sips.cubes_per_sip", K::count, "", "0",
              "Cubes per SIP; optional (0 = not given), must equal sip.cube_mesh.w * h.", 0,
              kMaxInt, [](TopologySpec&, const V&) {},
              [](const TopologySpec& s) -> V { return std::int64_t{s.cubes_per_sip()}; }},
    Parameter{
        "system.sips.interconnect", K::interconnect, "", "ring",
        "How SIPs are joined: ring, fully_connected or switch.", 0, 0,
        [](TopologySpec& s, const V& v) { s.system.interconnect = std::get<SipInterconnect>(v); },
        [](const TopologySpec& s) -> V { return s.system.interconnect; }},
    Parameter{"system.inter_sip_link.bandwidth", K::bandwidth, "", "100 GB/s",
              "Bandwidth of one link between two SIPs (one direction).", 1, kMaxI64,
              [](TopologySpec& s, const V& v) { s.system.inter_sip_link.bandwidth = rate(v); },
              [](const TopologySpec& s) -> V { return s.system.inter_sip_link.bandwidth; }},
    Parameter{"system.inter_sip_link.latency", K::time, "", "500 ns",
              "Latency of one link between two SIPs.", 0, kMaxI64,
              [](TopologySpec& s, const V& v) { s.system.inter_sip_link.latency = time(v); },
              [](const TopologySpec& s) -> V { return s.system.inter_sip_link.latency; }},
    Parameter{"system.inter_sip_link.buffer", K::size, "bytes", "0",
              "Buffer at the receiving end of a link between two SIPs, per traffic class "
              "(credit-based flow "
              "control); 0 = its bandwidth-delay product over the credit round trip, in whole "
              "DMA chunks.",
              0, kMaxI64,
              [](TopologySpec& s, const V& v) { s.system.inter_sip_link.buffer = size(v); },
              [](const TopologySpec& s) -> V { return s.system.inter_sip_link.buffer; }},
    Parameter{"system.host_link.bandwidth", K::bandwidth, "", "64 GB/s",
              "Bandwidth of the host link of one SIP (one direction).", 1, kMaxI64,
              [](TopologySpec& s, const V& v) { s.system.host_link.bandwidth = rate(v); },
              [](const TopologySpec& s) -> V { return s.system.host_link.bandwidth; }},
    Parameter{"system.host_link.latency", K::time, "", "1 us",
              "Latency of the host link of one SIP.", 0, kMaxI64,
              [](TopologySpec& s, const V& v) { s.system.host_link.latency = time(v); },
              [](const TopologySpec& s) -> V { return s.system.host_link.latency; }},
    Parameter{"system.host_link.buffer", K::size, "bytes", "0",
              "Buffer at the receiving end of a host link, per traffic class (credit-based flow "
              "control); 0 = its bandwidth-delay product over the credit round trip, in whole "
              "DMA chunks.",
              0, kMaxI64, [](TopologySpec& s, const V& v) { s.system.host_link.buffer = size(v); },
              [](const TopologySpec& s) -> V { return s.system.host_link.buffer; }},
    Parameter{"system.fabric_model", K::fabric_model, "", "chunks",
              "How transfers are timed: chunks (every chunk at every stage, credit-based flow "
              "control, round-robin arbitration) or flows (a transfer is a max-min fair flow "
              "across its channels; far fewer events).",
              0, 0,
              [](TopologySpec& s, const V& v) { s.system.fabric_model = std::get<FabricModel>(v); },
              [](const TopologySpec& s) -> V { return s.system.fabric_model; }},
    Parameter{
        "system.max_events", K::count, "", "2000000000",
        "Engine events a run may take before it stops with a simulation-limit error (a "
        "guard against a run that never ends); raise it for runs of thousands of ranks.",
        1, kMaxI64,
        [](TopologySpec& s, const V& v) {
          s.system.max_events = static_cast<std::uint64_t>(std::get<std::int64_t>(v));
        },
        [](const TopologySpec& s) -> V { return static_cast<std::int64_t>(s.system.max_events); }},
    Parameter{"sip.cube_mesh.w", K::count, "", "", "Cubes along x in a SIP's 2-D mesh.", 1, kMaxInt,
              [](TopologySpec& s, const V& v) { s.sip.mesh_w = count(v); },
              [](const TopologySpec& s) -> V { return std::int64_t{s.sip.mesh_w}; }},
    Parameter{"sip.cube_mesh.h", K::count, "", "", "Cubes along y in a SIP's 2-D mesh.", 1, kMaxInt,
              [](TopologySpec& s, const V& v) { s.sip.mesh_h = count(v); },
              [](const TopologySpec& s) -> V { return std::int64_t{s.sip.mesh_h}; }},
    Parameter{"sip.cube_mesh.link.bandwidth", K::bandwidth, "", "256 GB/s",
              "Bandwidth of a mesh link between neighbouring cubes (one direction).", 1, kMaxI64,
              [](TopologySpec& s, const V& v) { s.sip.mesh_link.bandwidth = rate(v); },
              [](const TopologySpec& s) -> V { return s.sip.mesh_link.bandwidth; }},
    Parameter{"sip.cube_mesh.link.latency", K::time, "", "15 ns",
              "Latency of one mesh hop between neighbouring cubes.", 0, kMaxI64,
              [](TopologySpec& s, const V& v) { s.sip.mesh_link.latency = time(v); },
              [](const TopologySpec& s) -> V { return s.sip.mesh_link.latency; }},
    Parameter{"sip.cube_mesh.link.buffer", K::size, "bytes", "0",
              "Buffer at the receiving end of a mesh link, per traffic class (credit-based flow "
              "control); 0 = its bandwidth-delay product over the credit round trip, in whole "
              "DMA chunks.",
              0, kMaxI64, [](TopologySpec& s, const V& v) { s.sip.mesh_link.buffer = size(v); },
              [](const TopologySpec& s) -> V { return s.sip.mesh_link.buffer; }},
    Parameter{
        "cube.pe_layout.corners", K::corners, "", "",
        "Corners that hold PEs, in PE numbering order: a list of nw, ne, sw, se, or a "
        "count 1..4 meaning the first corners of [nw, ne, sw, se].",
        1, 4,
        [](TopologySpec& s, const V& v) { s.cube.corners = std::get<std::vector<Corner>>(v); },
        [](const TopologySpec& s) -> V { return s.cube.corners; }},
    Parameter{"cube.pe_layout.pe_per_corner", K::count, "", "", "PEs at each corner.", 1, kMaxInt,
              [](TopologySpec& s, const V& v) { s.cube.pe_per_corner = count(v); },
              [](const TopologySpec& s) -> V { return std::int64_t{s.cube.pe_per_corner}; }},
    Parameter{"cube.memory_map.hbm_total_gb_per_cube", K::size, "GiB", "",
              "HBM capacity of one cube (plain number: GiB).", 1, kMaxI64,
              [](TopologySpec& s, const V& v) { s.cube.hbm.total_per_cube = size(v); },
              [](const TopologySpec& s) -> V { return s.cube.hbm.total_per_cube; }},
    Parameter{"cube.memory_map.hbm_slices_per_cube", K::count, "", "",
              "HBM slices per cube; the capacity is split evenly.", 1, kMaxInt,
              [](TopologySpec& s, const V& v) { s.cube.hbm.slices_per_cube = count(v); },
              [](const TopologySpec& s) -> V { return std::int64_t{s.cube.hbm.slices_per_cube}; }},
    Parameter{"cube.memory_map.hbm_slice_bandwidth", K::bandwidth, "", "128 GB/s",
              "Bandwidth of one HBM slice.", 1, kMaxI64,
              [](TopologySpec& s, const V& v) { s.cube.hbm.slice_bandwidth = rate(v); },
              [](const TopologySpec& s) -> V { return s.cube.hbm.slice_bandwidth; }},
    Parameter{"cube.memory_map.hbm_latency", K::time, "", "80 ns",
              "Access latency of an HBM slice.", 0, kMaxI64,
              [](TopologySpec& s, const V& v) { s.cube.hbm.latency = time(v); },
              [](const TopologySpec& s) -> V { return s.cube.hbm.latency; }},
    Parameter{"cube.sram.size_mb", K::size, "MiB", "32",
              "SRAM shared by a cube's PEs (plain number: MiB).", 1, kMaxI64,
              [](TopologySpec& s, const V& v) { s.cube.sram.size = size(v); },
              [](const TopologySpec& s) -> V { return s.cube.sram.size; }},
    Parameter{"cube.sram.bandwidth", K::bandwidth, "", "512 GB/s", "Bandwidth of a cube's SRAM.", 1,
              kMaxI64, [](TopologySpec& s, const V& v) { s.cube.sram.bandwidth = rate(v); },
              [](const TopologySpec& s) -> V { return s.cube.sram.bandwidth; }},
    Parameter{"cube.sram.latency", K::time, "", "10 ns", "Access latency of a cube's SRAM.", 0,
              kMaxI64, [](TopologySpec& s, const V& v) { s.cube.sram.latency = time(v); },
              [](const TopologySpec& s) -> V { return s.cube.sram.latency; }},
    Parameter{"cube.intra_cube_link.bandwidth", K::bandwidth, "", "256 GB/s",
              "Bandwidth of a link inside a cube (corner to corner, PE to memory).", 1, kMaxI64,
              [](TopologySpec& s, const V& v) { s.cube.intra_cube_link.bandwidth = rate(v); },
              [](const TopologySpec& s) -> V { return s.cube.intra_cube_link.bandwidth; }},
    Parameter{"cube.intra_cube_link.latency", K::time, "", "5 ns",
              "Latency of a link inside a cube.", 0, kMaxI64,
              [](TopologySpec& s, const V& v) { s.cube.intra_cube_link.latency = time(v); },
              [](const TopologySpec& s) -> V { return s.cube.intra_cube_link.latency; }},
    Parameter{
        "cube.intra_cube_link.buffer", K::size, "bytes", "0",
        "Buffer at the receiving end of a link inside a cube, per traffic class (credit-based flow "
        "control); 0 = its bandwidth-delay product over the credit round trip, in whole "
        "DMA chunks.",
        0, kMaxI64, [](TopologySpec& s, const V& v) { s.cube.intra_cube_link.buffer = size(v); },
        [](const TopologySpec& s) -> V { return s.cube.intra_cube_link.buffer; }},
    Parameter{"cube.m_cpu.command_latency", K::time, "", "200 ns",
              "Time the M_CPU takes to decode a command and fan it out to its PEs.", 0, kMaxI64,
              [](TopologySpec& s, const V& v) { s.cube.m_cpu_command_latency = time(v); },
              [](const TopologySpec& s) -> V { return s.cube.m_cpu_command_latency; }},
    Parameter{"cube.pe_template.components.pe_core.attrs.clock", K::frequency, "", "1.5 GHz",
              "Clock of a PE's core (vector and matrix units).", 1, kMaxI64,
              [](TopologySpec& s, const V& v) { s.cube.pe.core.clock = std::get<Frequency>(v); },
              [](const TopologySpec& s) -> V { return s.cube.pe.core.clock; }},
    Parameter{"cube.pe_template.components.pe_core.attrs.vector_lanes", K::count, "", "64",
              "32-bit vector lanes; 16-bit types get twice as many, 8-bit four times.", 1, kMaxInt,
              [](TopologySpec& s, const V& v) { s.cube.pe.core.vector_lanes = count(v); },
              [](const TopologySpec& s) -> V { return std::int64_t{s.cube.pe.core.vector_lanes}; }},
    Parameter{"cube.pe_template.components.pe_core.attrs.transcendental_lanes", K::count, "", "16",
              "Lanes for exp, log, sqrt and other transcendental functions.", 1, kMaxInt,
              [](TopologySpec& s, const V& v) { s.cube.pe.core.transcendental_lanes = count(v); },
              [](const TopologySpec& s) -> V {
                return std::int64_t{s.cube.pe.core.transcendental_lanes};
              }},
    Parameter{"cube.pe_template.components.pe_core.attrs.matrix_macs_per_cycle.f16", K::count, "",
              "1024", "Matrix-unit f16 multiply-accumulates per cycle (0 = not supported).", 0,
              kMaxInt, [](TopologySpec& s, const V& v) { store_macs(s, DType::f16, v); },
              [](const TopologySpec& s) { return read_macs(s, DType::f16); }},
    Parameter{"cube.pe_template.components.pe_core.attrs.matrix_macs_per_cycle.bf16", K::count, "",
              "1024", "Matrix-unit bf16 multiply-accumulates per cycle (0 = not supported).", 0,
              kMaxInt, [](TopologySpec& s, const V& v) { store_macs(s, DType::bf16, v); },
              [](const TopologySpec& s) { return read_macs(s, DType::bf16); }},
    Parameter{"cube.pe_template.components.pe_core.attrs.matrix_macs_per_cycle.f32", K::count, "",
              "256", "Matrix-unit f32 multiply-accumulates per cycle (0 = not supported).", 0,
              kMaxInt, [](TopologySpec& s, const V& v) { store_macs(s, DType::f32, v); },
              [](const TopologySpec& s) { return read_macs(s, DType::f32); }},
    Parameter{"cube.pe_template.components.pe_core.attrs.matrix_macs_per_cycle.i8", K::count, "",
              "2048", "Matrix-unit i8 multiply-accumulates per cycle (0 = not supported).", 0,
              kMaxInt, [](TopologySpec& s, const V& v) { store_macs(s, DType::i8, v); },
              [](const TopologySpec& s) { return read_macs(s, DType::i8); }},
    Parameter{
        "cube.pe_template.components.pe_core.attrs.matrix_tile.m", K::count, "", "32",
        "Matrix tile rows: a matmul's M is rounded up to a multiple of this.", 1, kMaxInt,
        [](TopologySpec& s, const V& v) { s.cube.pe.core.matrix_tile_m = count(v); },
        [](const TopologySpec& s) -> V { return std::int64_t{s.cube.pe.core.matrix_tile_m}; }},
    Parameter{
        "cube.pe_template.components.pe_core.attrs.matrix_tile.n", K::count, "", "32",
        "Matrix tile columns: a matmul's N is rounded up to a multiple of this.", 1, kMaxInt,
        [](TopologySpec& s, const V& v) { s.cube.pe.core.matrix_tile_n = count(v); },
        [](const TopologySpec& s) -> V { return std::int64_t{s.cube.pe.core.matrix_tile_n}; }},
    Parameter{
        "cube.pe_template.components.pe_core.attrs.matrix_tile.k", K::count, "", "32",
        "Matrix tile depth: a matmul's K is rounded up to a multiple of this.", 1, kMaxInt,
        [](TopologySpec& s, const V& v) { s.cube.pe.core.matrix_tile_k = count(v); },
        [](const TopologySpec& s) -> V { return std::int64_t{s.cube.pe.core.matrix_tile_k}; }},
    Parameter{"cube.pe_template.components.pe_tcm.attrs.size_mb", K::size, "MiB", "",
              "TCM scratchpad of one PE (plain number: MiB).", 1, kMaxI64,
              [](TopologySpec& s, const V& v) { s.cube.pe.tcm.size = size(v); },
              [](const TopologySpec& s) -> V { return s.cube.pe.tcm.size; }},
    Parameter{"cube.pe_template.components.pe_tcm.attrs.reserved_mb", K::size, "MiB", "4",
              "Part of the TCM kept for the scheduler, not allocatable (plain number: MiB).", 0,
              kMaxI64, [](TopologySpec& s, const V& v) { s.cube.pe.tcm.reserved = size(v); },
              [](const TopologySpec& s) -> V { return s.cube.pe.tcm.reserved; }},
    Parameter{"cube.pe_template.components.pe_tcm.attrs.bandwidth", K::bandwidth, "", "384 GB/s",
              "Bandwidth of a PE's TCM.", 1, kMaxI64,
              [](TopologySpec& s, const V& v) { s.cube.pe.tcm.bandwidth = rate(v); },
              [](const TopologySpec& s) -> V { return s.cube.pe.tcm.bandwidth; }},
    Parameter{"cube.pe_template.components.pe_tcm.attrs.latency", K::time, "", "2 ns",
              "Access latency of a PE's TCM.", 0, kMaxI64,
              [](TopologySpec& s, const V& v) { s.cube.pe.tcm.latency = time(v); },
              [](const TopologySpec& s) -> V { return s.cube.pe.tcm.latency; }},
    Parameter{"cube.pe_template.components.pe_mmu.attrs.page_size", K::size, "bytes", "",
              "MMU page size, a power of two (plain number: bytes).", 1, kMaxI64,
              [](TopologySpec& s, const V& v) { s.cube.pe.mmu.page_size = size(v); },
              [](const TopologySpec& s) -> V { return s.cube.pe.mmu.page_size; }},
    Parameter{"cube.pe_template.components.pe_mmu.attrs.tlb_entries", K::count, "", "64",
              "Entries in a PE's TLB.", 1, kMaxInt,
              [](TopologySpec& s, const V& v) { s.cube.pe.mmu.tlb_entries = count(v); },
              [](const TopologySpec& s) -> V { return std::int64_t{s.cube.pe.mmu.tlb_entries}; }},
    Parameter{"cube.pe_template.components.pe_mmu.attrs.tlb_hit_latency", K::time, "", "1 ns",
              "Translation time on a TLB hit.", 0, kMaxI64,
              [](TopologySpec& s, const V& v) { s.cube.pe.mmu.tlb_hit_latency = time(v); },
              [](const TopologySpec& s) -> V { return s.cube.pe.mmu.tlb_hit_latency; }},
    Parameter{"cube.pe_template.components.pe_mmu.attrs.tlb_miss_latency", K::time, "", "100 ns",
              "Translation time on a TLB miss (the page walk).", 0, kMaxI64,
              [](TopologySpec& s, const V& v) { s.cube.pe.mmu.tlb_miss_latency = time(v); },
              [](const TopologySpec& s) -> V { return s.cube.pe.mmu.tlb_miss_latency; }},
    Parameter{"cube.pe_template.components.pe_mmu.attrs.page_walkers", K::count, "", "1",
              "Page walks a PE's MMU runs at once; further TLB misses wait for a walker.", 1,
              kMaxInt, [](TopologySpec& s, const V& v) { s.cube.pe.mmu.page_walkers = count(v); },
              [](const TopologySpec& s) -> V { return std::int64_t{s.cube.pe.mmu.page_walkers}; }},
    Parameter{"cube.pe_template.components.pe_dma.attrs.channels", K::count, "", "4",
              "DMA channels per PE: transfers that may be in flight at once.", 1, kMaxInt,
              [](TopologySpec& s, const V& v) { s.cube.pe.dma.channels = count(v); },
              [](const TopologySpec& s) -> V { return std::int64_t{s.cube.pe.dma.channels}; }},
    Parameter{"cube.pe_template.components.pe_dma.attrs.chunk_size", K::size, "bytes", "4 KiB",
              "DMA transfers are split into chunks of this size and pipelined across hops.", 1,
              kMaxI64, [](TopologySpec& s, const V& v) { s.cube.pe.dma.chunk_size = size(v); },
              [](const TopologySpec& s) -> V { return s.cube.pe.dma.chunk_size; }},
    Parameter{
        "cube.pe_template.components.pe_dma.attrs.chunks_in_flight", K::count, "", "64",
        "Chunks a DMA channel keeps in flight (sent and not yet landed) per transfer.", 1, kMaxInt,
        [](TopologySpec& s, const V& v) { s.cube.pe.dma.chunks_in_flight = count(v); },
        [](const TopologySpec& s) -> V { return std::int64_t{s.cube.pe.dma.chunks_in_flight}; }},
    Parameter{"cube.pe_template.components.pe_ipcq.attrs.depth", K::count, "", "8",
              "Messages an IPCQ holds before its sender waits.", 1, kMaxInt,
              [](TopologySpec& s, const V& v) { s.cube.pe.ipcq.depth = count(v); },
              [](const TopologySpec& s) -> V { return std::int64_t{s.cube.pe.ipcq.depth}; }},
};

}  // namespace

std::span<const Parameter> topology_parameters() { return kParameters; }

const Parameter* find_parameter(std::string_view key) {
  for (const Parameter& p : kParameters) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

std::string parameter_text(const ParameterValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, SipInterconnect> || std::is_same_v<T, FabricModel>) {
          return std::string(name(v));
        } else if constexpr (std::is_same_v<T, std::vector<Corner>>) {
          std::vector<std::string_view> names;
          for (Corner c : v) names.push_back(name(c));
          return fmt::format("[{}]", fmt::join(names, ", "));
        } else {
          return fmt::format("{}", v);
        }
      },
      value);
}

std::string_view name(ParameterKind kind) {
  switch (kind) {
    case ParameterKind::count: return "count";
    case ParameterKind::size: return "size";
    case ParameterKind::bandwidth: return "bandwidth";
    case ParameterKind::time: return "time";
    case ParameterKind::frequency: return "frequency";
    case ParameterKind::interconnect: return "interconnect";
    case ParameterKind::fabric_model: return "fabric model";
    case ParameterKind::corners: return "corners";
  }
  return "?";
}

std::string accepted_units(ParameterKind kind) {
  switch (kind) {
    case ParameterKind::count: return "an integer";
    case ParameterKind::size: return "B, K or KiB, M or MiB, G or GiB, T or TiB";
    case ParameterKind::bandwidth: return "B/s, KB/s, MB/s, GB/s, TB/s (decimal), KiB/s .. TiB/s";
    case ParameterKind::time: return "ps, ns, us, ms, s";
    case ParameterKind::frequency: return "Hz, kHz, MHz, GHz";
    case ParameterKind::interconnect: return base::joined_names(kAllSipInterconnects);
    case ParameterKind::fabric_model: return base::joined_names(kAllFabricModels);
    case ParameterKind::corners:
      return fmt::format("a list of {}, or a count 1..4", base::joined_names(kAllCorners));
  }
  return "?";
}

}  // namespace kernbench::topo
