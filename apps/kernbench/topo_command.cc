// `kernbench topo`: loads the machine (file or embedded default, plus --set overrides) and prints
// its summary and peak figures; `--explain` prints every topology parameter instead.
#include <array>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "command.h"

#include "kernbench/topo/home_slices.h"
#include "kernbench/topo/parameter_table.h"
#include "kernbench/topo/peak_figures.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::apps {
namespace {

using base::DType;
using topo::Scope;
using topo::TopologySpec;

constexpr int kLabel = 22;  // width of the label column
constexpr int kCell = 17;   // width of a figure column

void row(std::string_view label, const std::string& text) {
  fmt::print("  {:<{}}{}\n", label, kLabel, text);
}

std::string link(const topo::LinkSpec& l) { return fmt::format("{}, {}", l.bandwidth, l.latency); }

void print_structure(const TopologySpec& s) {
  fmt::print("Structure\n");
  row("SIPs", fmt::format("{}, joined by {}", s.system.sip_count, name(s.system.interconnect)));
  row("cube mesh per SIP",
      fmt::format("{} x {} = {} cubes", s.sip.mesh_w, s.sip.mesh_h, s.cubes_per_sip()));
  std::vector<std::string_view> corners;
  for (topo::Corner c : s.cube.corners) corners.push_back(name(c));
  row("PEs per cube", fmt::format("{} = {} corners ({}) x {}", s.pes_per_cube(), corners.size(),
                                  fmt::join(corners, ", "), s.cube.pe_per_corner));
  row("system", fmt::format("{} cubes, {} PEs", s.total_cubes(), s.total_pes()));
}

// The home-slice ratio in words: "1 per PE", "2 per PE", "1 shared by 2 PEs", or uneven.
std::string home_rule(const TopologySpec& s) {
  const int slices = s.cube.hbm.slices_per_cube;
  const int pes = s.pes_per_cube();
  const std::string ratio = fmt::format("({} slices : {} PEs per cube)", slices, pes);
  if (slices % pes == 0) return fmt::format("{} per PE {}", slices / pes, ratio);
  if (pes % slices == 0) return fmt::format("1 shared by {} PEs {}", pes / slices, ratio);
  const topo::HomeSlices last = topo::home_hbm_slices(s, pes - 1);
  return fmt::format("uneven {}; PE {} -> slices {}..{}", ratio, pes - 1, last.first,
                     last.first + last.count - 1);
}

void print_memories(const TopologySpec& s) {
  const auto& hbm = s.cube.hbm;
  const auto& tcm = s.cube.pe.tcm;
  const auto& mmu = s.cube.pe.mmu;
  fmt::print("\nMemories\n");
  row("HBM per cube",
      fmt::format("{} in {} slices of {}; {}, {} per slice", hbm.total_per_cube,
                  hbm.slices_per_cube, hbm.slice_size(), hbm.slice_bandwidth, hbm.latency));
  row("home HBM slices", home_rule(s));
  row("SRAM per cube",
      fmt::format("{}; {}, {}", s.cube.sram.size, s.cube.sram.bandwidth, s.cube.sram.latency));
  row("TCM per PE", fmt::format("{} ({} reserved, {} usable); {}, {}", tcm.size, tcm.reserved,
                                tcm.usable(), tcm.bandwidth, tcm.latency));
  row("MMU per PE", fmt::format("{} pages; TLB {} entries, hit {}, miss {}", mmu.page_size,
                                mmu.tlb_entries, mmu.tlb_hit_latency, mmu.tlb_miss_latency));
}

void print_links(const TopologySpec& s) {
  fmt::print("\nLinks (bandwidth per direction, latency)\n");
  row("intra-cube", link(s.cube.intra_cube_link));
  row("cube mesh, per hop", link(s.sip.mesh_link));
  row("inter-SIP",
      fmt::format("{} ({})", link(s.system.inter_sip_link), name(s.system.interconnect)));
  row("host, one per SIP", link(s.system.host_link));
  row("M_CPU command", fmt::format("{}", s.cube.m_cpu_command_latency));
}

void print_core(const TopologySpec& s) {
  const auto& core = s.cube.pe.core;
  std::vector<std::string> macs;
  for (const auto& [dtype, n] : core.matrix_macs_per_cycle)
    macs.push_back(fmt::format("{} {}", dtype, n));
  fmt::print("\nPE core\n");
  row("clock", fmt::format("{}", core.clock));
  row("vector lanes", fmt::format("{} x 32-bit ({} x 16-bit, {} x 8-bit); {} transcendental",
                                  core.vector_lanes, topo::vector_lanes(s, DType::f16),
                                  topo::vector_lanes(s, DType::i8), core.transcendental_lanes));
  row("matrix MACs/cycle", fmt::format("{}", fmt::join(macs, ", ")));
  row("matrix tile", fmt::format("m {} x n {} x k {}", core.matrix_tile_m, core.matrix_tile_n,
                                 core.matrix_tile_k));
  row("DMA",
      fmt::format("{} channels, {} chunks", s.cube.pe.dma.channels, s.cube.pe.dma.chunk_size));
  row("IPCQ", fmt::format("{} messages deep", s.cube.pe.ipcq.depth));
}

template <typename Figure>
void figure_row(std::string_view label, std::span<const Scope> scopes, Figure figure) {
  std::string cells;
  for (Scope scope : scopes) cells += fmt::format("{:<{}}", figure(scope), kCell);
  while (!cells.empty() && cells.back() == ' ') cells.pop_back();
  row(label, cells);
}

void print_peaks(const TopologySpec& s) {
  constexpr std::array kAll{Scope::pe, Scope::cube, Scope::sip, Scope::system};
  fmt::print("\nPeak compute (i8 counts integer operations)\n");
  figure_row("", kAll, [](Scope scope) { return fmt::format("per {}", name(scope)); });
  for (const auto& [dtype, n] : s.cube.pe.core.matrix_macs_per_cycle) {
    figure_row(fmt::format("matrix {}", dtype), kAll, [&, d = dtype](Scope scope) {
      return topo::flops_to_string(topo::matrix_flops(s, d, scope));
    });
  }
  for (DType dtype : {DType::f32, DType::f16, DType::bf16}) {
    figure_row(fmt::format("vector {}", dtype), kAll, [&](Scope scope) {
      return topo::flops_to_string(topo::vector_flops(s, dtype, scope));
    });
  }
}

void print_totals(const TopologySpec& s) {
  constexpr std::array kCubeUp{Scope::cube, Scope::sip, Scope::system};
  fmt::print("\nMemory totals\n");
  figure_row("", kCubeUp, [](Scope scope) { return fmt::format("per {}", name(scope)); });
  figure_row("HBM capacity", kCubeUp,
             [&](Scope sc) { return fmt::format("{}", topo::hbm_capacity(s, sc)); });
  figure_row("HBM bandwidth", kCubeUp,
             [&](Scope sc) { return fmt::format("{}", topo::hbm_bandwidth(s, sc)); });
  figure_row("SRAM capacity", kCubeUp,
             [&](Scope sc) { return fmt::format("{}", topo::sram_capacity(s, sc)); });
  figure_row("TCM capacity", kCubeUp,
             [&](Scope sc) { return fmt::format("{}", topo::tcm_capacity(s, sc)); });
}

void print_summary(const TopologySpec& s) {
  fmt::print("Topology: {}\n\n", s.source);
  print_structure(s);
  print_memories(s);
  print_links(s);
  print_core(s);
  print_peaks(s);
  print_totals(s);
}

void print_explain() {
  fmt::print(
      "Topology parameters: key path, kind, default; set them in a topology file or with\n"
      "--set key.path=value. Sizes: 16K, 16 KiB, 16KiB or plain bytes (B, K or KiB, M or MiB,\n"
      "G or GiB, T or TiB, all binary; keys ending _mb / _gb take a plain number in MiB / GiB).\n"
      "Rates are decimal, 1 GB/s = 1e9 B/s. Times: ps, ns, us, ms, s.\n"
      "Frequencies: Hz, kHz, MHz, GHz. See configs/README.md.\n");
  for (const topo::Parameter& p : topo::topology_parameters()) {
    const std::string plain =
        p.plain_unit.empty() ? "" : fmt::format("; a plain number is in {}", p.plain_unit);
    const std::string deflt = p.required() ? "required" : fmt::format("default {}", p.default_text);
    fmt::print("\n{}\n    {} ({}{}); {}\n    {}\n", p.key, name(p.kind), accepted_units(p.kind),
               plain, deflt, p.help);
  }
}

}  // namespace

void add_topo_command(CLI::App& app, const GlobalOptions& options) {
  CLI::App* cmd =
      app.add_subcommand("topo", "Print the machine: structure, memories, links, peaks");
  cmd->fallthrough();  // the global --topology / --set may follow the subcommand name
  auto explain = std::make_shared<bool>(false);
  cmd->add_flag("--explain", *explain, "List every topology parameter with unit, default and help");
  cmd->callback([&options, explain] {
    if (*explain) {
      print_explain();
      return;
    }
    refuse_ccl_settings(options, "kernbench topo");
    print_summary(load_machine(options));
  });
}

}  // namespace kernbench::apps
