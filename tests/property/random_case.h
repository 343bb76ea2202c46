// Random machines and collectives for the physics properties: every parameter is drawn from a
// list whose first value is the embedded default's (or the smallest shape), so a shrunk
// counterexample differs from the default machine only where it must, and prints as the --set
// overrides that rebuild it.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <rapidcheck.h>

#include "kernbench/ccl/ccl_config.h"
#include "kernbench/ccl/collective_op.h"
#include "kernbench/mem/memory_id.h"
#include "kernbench/topo/coord.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::property {

constexpr std::uint64_t KiB = 1024, MiB = 1024 * KiB;

/// How big the drawn cases get: the CI default keeps the `property` label within its budget;
/// KERNBENCH_PROPERTY_SCALE=full draws the whole range (docs/testing.md).
struct Scale {
  int max_world = 16;
  std::uint64_t max_bytes = 4 * MiB;
  std::uint64_t max_chunks_per_rank = 1024;  // DMA chunks of one rank's data (raises the chunk)
  std::uint64_t max_events = 100'000'000;    // per run: a model that stops progressing fails fast
  static Scale from_environment() {
    const char* s = std::getenv("KERNBENCH_PROPERTY_SCALE");
    if (s != nullptr && std::string_view(s) == "full")
      return {128, 64 * MiB, 1 << 20, 2'000'000'000};
    return {};
  }
};

/// One link class: bandwidth, latency and input buffer (in DMA chunks; 0 = the default, its
/// bandwidth-delay product).
struct LinkDraw {
  int gb_per_s = 0;
  int latency_ns = 0;
  int buffer_chunks = 0;
};

struct MemoryDraw {
  int gb_per_s = 0;
  int latency_ns = 0;
};

/// The link classes and memories whose bandwidth and latency the properties vary.
enum class Part { mesh_link, intra_cube_link, inter_sip_link, hbm, sram, tcm };
inline constexpr Part kParts[] = {
    Part::mesh_link, Part::intra_cube_link, Part::inter_sip_link, Part::hbm, Part::sram, Part::tcm};

inline std::string_view name(Part p) {
  switch (p) {
    case Part::mesh_link: return "sip.cube_mesh.link";
    case Part::intra_cube_link: return "cube.intra_cube_link";
    case Part::inter_sip_link: return "system.inter_sip_link";
    case Part::hbm: return "hbm";
    case Part::sram: return "cube.sram";
    case Part::tcm: return "pe_tcm";
  }
  return "?";
}

struct Machine {
  int sips = 1;
  std::string interconnect = "ring";
  int mesh_w = 1, mesh_h = 1;
  int corners = 1, pe_per_corner = 1, hbm_slices = 8;
  LinkDraw mesh{256, 15, 0}, intra{256, 5, 0}, inter_sip{100, 500, 0};
  MemoryDraw hbm{128, 80}, sram{512, 10}, tcm{384, 2};
  std::uint64_t dma_chunk = 4 * KiB;
  int dma_channels = 4, chunks_in_flight = 32, ipcq_depth = 8;

  int total_pes() const { return sips * mesh_w * mesh_h * corners * pe_per_corner; }
  const LinkDraw* link(Part p) const {
    return p == Part::mesh_link         ? &mesh
           : p == Part::intra_cube_link ? &intra
           : p == Part::inter_sip_link  ? &inter_sip
                                        : nullptr;
  }
  LinkDraw* link(Part p) { return const_cast<LinkDraw*>(std::as_const(*this).link(p)); }
  MemoryDraw* memory(Part p) {
    return p == Part::hbm ? &hbm : p == Part::sram ? &sram : p == Part::tcm ? &tcm : nullptr;
  }
  int& gb_per_s(Part p) { return link(p) ? link(p)->gb_per_s : memory(p)->gb_per_s; }
  int& latency_ns(Part p) { return link(p) ? link(p)->latency_ns : memory(p)->latency_ns; }
};

/// Whether the machine description knows `key` (the buffers and chunks in flight arrived with the
/// credit-based fabric; older trees skip them).
inline bool knows_key(const std::string& key_value) {
  try {
    topo::default_topology({key_value});
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

/// The --set overrides that build `m` from the embedded default.
inline topo::Overrides overrides(const Machine& m) {
  static const bool buffers = knows_key("sip.cube_mesh.link.buffer=0");
  static const bool in_flight =
      knows_key("cube.pe_template.components.pe_dma.attrs.chunks_in_flight=32");
  const std::string pe = "cube.pe_template.components.";
  topo::Overrides o{fmt::format("system.sips.count={}", m.sips),
                    fmt::format("system.sips.interconnect={}", m.interconnect),
                    fmt::format("system.sips.cubes_per_sip={}", m.mesh_w * m.mesh_h),
                    fmt::format("sip.cube_mesh.w={}", m.mesh_w),
                    fmt::format("sip.cube_mesh.h={}", m.mesh_h),
                    fmt::format("cube.pe_layout.corners={}", m.corners),
                    fmt::format("cube.pe_layout.pe_per_corner={}", m.pe_per_corner),
                    fmt::format("cube.memory_map.hbm_slices_per_cube={}", m.hbm_slices)};
  const auto link = [&](std::string_view key, const LinkDraw& l) {
    o.push_back(fmt::format("{}.bandwidth={} GB/s", key, l.gb_per_s));
    o.push_back(fmt::format("{}.latency={} ns", key, l.latency_ns));
    if (buffers)
      o.push_back(fmt::format("{}.buffer={}", key,
                              static_cast<std::uint64_t>(l.buffer_chunks) * m.dma_chunk));
  };
  link("sip.cube_mesh.link", m.mesh);
  link("cube.intra_cube_link", m.intra);
  link("system.inter_sip_link", m.inter_sip);
  o.push_back(fmt::format("cube.memory_map.hbm_slice_bandwidth={} GB/s", m.hbm.gb_per_s));
  o.push_back(fmt::format("cube.memory_map.hbm_latency={} ns", m.hbm.latency_ns));
  o.push_back(fmt::format("cube.sram.bandwidth={} GB/s", m.sram.gb_per_s));
  o.push_back(fmt::format("cube.sram.latency={} ns", m.sram.latency_ns));
  o.push_back(fmt::format("{}pe_tcm.attrs.bandwidth={} GB/s", pe, m.tcm.gb_per_s));
  o.push_back(fmt::format("{}pe_tcm.attrs.latency={} ns", pe, m.tcm.latency_ns));
  o.push_back(fmt::format("{}pe_dma.attrs.chunk_size={}", pe, m.dma_chunk));
  o.push_back(fmt::format("{}pe_dma.attrs.channels={}", pe, m.dma_channels));
  if (in_flight)
    o.push_back(fmt::format("{}pe_dma.attrs.chunks_in_flight={}", pe, m.chunks_in_flight));
  o.push_back(fmt::format("{}pe_ipcq.attrs.depth={}", pe, m.ipcq_depth));
  return o;
}

/// One collective on a machine. `placement` (explicit mapping) picks the ranks' PEs: a
/// deterministic shuffle of every PE seeded by it.
struct CollectiveDraw {
  std::string kind = "ring";
  ccl::CollectiveOp op = ccl::CollectiveOp::all_reduce;
  int world = 2;
  ccl::RankMapping mapping = ccl::RankMapping::pe_major;
  std::uint64_t placement = 0;
  mem::MemoryKind buffer = mem::MemoryKind::tcm;
  std::uint64_t ccl_chunk = 64 * KiB;
  int fanout = 2;
  std::uint64_t bytes = KiB;  // per rank
  int root = 0;
};

struct Case {
  Machine machine;
  CollectiveDraw collective;
};

/// The PEs of an explicit placement: every PE of the machine in a splitmix64 Fisher-Yates shuffle
/// seeded by `d.placement`, the first `d.world` of them.
inline std::vector<topo::PeCoord> explicit_ranks(int sips, int cubes_per_sip, int pes_per_cube,
                                                 const CollectiveDraw& d) {
  std::vector<topo::PeCoord> all;
  for (int s = 0; s < sips; ++s)
    for (int c = 0; c < cubes_per_sip; ++c)
      for (int p = 0; p < pes_per_cube; ++p) all.push_back({s, c, p});
  std::uint64_t x = d.placement;
  for (std::size_t i = all.size(); i > 1; --i) {
    x += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    std::swap(all[i - 1], all[(z ^ (z >> 31)) % i]);
  }
  all.resize(static_cast<std::size_t>(d.world));
  return all;
}

inline std::string_view memory_name(mem::MemoryKind k) {
  return k == mem::MemoryKind::tcm ? "tcm" : k == mem::MemoryKind::sram ? "sram" : "hbm";
}

// An explicit placement as ccl.yaml writes it: [[sip, cube, pe], ...].
inline std::string ranks_text(const Case& c) {
  const Machine& m = c.machine;
  std::string out = "[";
  for (const topo::PeCoord& p :
       explicit_ranks(m.sips, m.mesh_w * m.mesh_h, m.corners * m.pe_per_corner, c.collective))
    out += fmt::format("{}[{}, {}, {}]", out.size() > 1 ? ", " : "", p.sip, p.cube, p.pe);
  return out + "]";
}

inline void showValue(const Case& c, std::ostream& os) {
  const CollectiveDraw& d = c.collective;
  os << fmt::format(
      "{} {} of {} B per rank over {} ranks ({} mapping{}, buffer {}, ccl chunk {} B{}{}) on "
      "{} PEs; overrides:\n",
      d.kind, ccl::name(d.op), d.bytes, d.world, ccl::name(d.mapping),
      d.mapping == ccl::RankMapping::explicit_list
          ? fmt::format(" seed {}: ranks {}", d.placement, ranks_text(c))
          : "",
      memory_name(d.buffer), d.ccl_chunk,
      d.kind == "tree" ? fmt::format(", fanout {}", d.fanout) : "",
      (d.op == ccl::CollectiveOp::broadcast || d.op == ccl::CollectiveOp::reduce)
          ? fmt::format(", root {}", d.root)
          : "",
      c.machine.total_pes());
  // The shape always, then only what differs from the embedded default.
  const topo::Overrides defaults = overrides(Machine{});
  const topo::Overrides mine = overrides(c.machine);
  for (std::size_t i = 0; i < mine.size(); ++i)
    if (i < 8 || std::find(defaults.begin(), defaults.end(), mine[i]) == defaults.end())
      os << "  --set '" << mine[i] << "'\n";
}

/// One of `values`, shrinking towards the first (rapidcheck's element() does not shrink).
template <typename T>
rc::Gen<T> pick(std::vector<T> values) {
  return rc::gen::map(rc::gen::inRange<std::size_t>(0, values.size()),
                      [values](std::size_t i) { return values[i]; });
}
template <typename T>
rc::Gen<T> pick(std::initializer_list<T> values) {
  return pick(std::vector<T>(values));
}

/// Bytes from 1 KiB to `max`: a power of two and a sixteenth-step mantissa, whole f32 elements.
inline rc::Gen<std::uint64_t> gen_bytes(std::uint64_t max) {
  return rc::gen::exec([max] {
    const int e = *rc::gen::inRange(10, 27);
    const auto frac = static_cast<std::uint64_t>(*rc::gen::inRange(0, 16));
    const std::uint64_t b = (std::uint64_t{1} << e) + (std::uint64_t{1} << e) * frac / 16;
    return std::min(b, max) / 4 * 4;
  });
}

inline rc::Gen<Machine> gen_machine() {
  return rc::gen::exec([] {
    Machine m;
    m.sips = *rc::gen::inRange(1, 5);
    m.interconnect = *pick<std::string>({"ring", "fully_connected", "switch"});
    m.mesh_w = *rc::gen::inRange(1, 6);
    m.mesh_h = *rc::gen::inRange(1, 6);
    m.corners = *rc::gen::inRange(1, 5);
    m.pe_per_corner = *rc::gen::inRange(1, 3);
    m.hbm_slices = *pick({8, 1, 2, 4, 16});
    const auto link = [](int gb, int ns) {
      return LinkDraw{*pick({gb, 25, 64, 128, 512, 1024}), *pick({ns, 0, 1, 50, 200, 1000}),
                      *pick({0, 1, 2, 4, 16})};
    };
    m.mesh = link(256, 15);
    m.intra = link(256, 5);
    m.inter_sip = link(100, 500);
    const auto memory = [](int gb, int ns) {
      return MemoryDraw{*pick({gb, 32, 64, 256, 1024, 4096}), *pick({ns, 0, 1, 20, 100, 400})};
    };
    m.hbm = memory(128, 80);
    m.sram = memory(512, 10);
    m.tcm = memory(384, 2);
    m.dma_chunk = *pick<std::uint64_t>({4 * KiB, 256, KiB, 16 * KiB, 64 * KiB});
    m.dma_channels = *pick({4, 1, 2, 3, 8});
    m.chunks_in_flight = *pick({32, 1, 2, 4, 8, 64});
    m.ipcq_depth = *pick({8, 2, 4, 16});
    return m;
  });
}

inline rc::Gen<CollectiveDraw> gen_collective(const Machine& m, const Scale& scale) {
  return rc::gen::exec([m, scale] {
    CollectiveDraw d;
    d.kind = *pick<std::string>({"ring", "tree", "mesh_2d", "halving_doubling", "hierarchical"});
    d.op = *pick({ccl::CollectiveOp::all_reduce, ccl::CollectiveOp::reduce_scatter,
                  ccl::CollectiveOp::all_gather, ccl::CollectiveOp::broadcast,
                  ccl::CollectiveOp::reduce, ccl::CollectiveOp::all_to_all});
    const int most = std::max(2, std::min(m.total_pes(), scale.max_world));
    d.world = *rc::gen::inRange(2, most + 1);
    if (d.kind == "halving_doubling")
      d.world = static_cast<int>(std::bit_floor(static_cast<unsigned>(d.world)));
    d.mapping = *pick({ccl::RankMapping::pe_major, ccl::RankMapping::cube_major,
                       ccl::RankMapping::explicit_list});
    if (d.mapping == ccl::RankMapping::explicit_list)
      d.placement = *rc::gen::inRange<std::uint64_t>(0, 1000);
    d.buffer = *pick({mem::MemoryKind::tcm, mem::MemoryKind::sram, mem::MemoryKind::hbm});
    d.ccl_chunk = *pick<std::uint64_t>({64 * KiB, 4 * KiB, 16 * KiB, 256 * KiB, MiB});
    if (d.kind == "tree") d.fanout = *rc::gen::inRange(2, 5);
    d.bytes = *gen_bytes(scale.max_bytes);
    d.root = *rc::gen::inRange(0, d.world);
    return d;
  });
}

/// A machine and a collective on it; the DMA chunk is raised where one rank's data would be more
/// than scale.max_chunks_per_rank chunks (the CI budget).
inline rc::Gen<Case> gen_case(const Scale& scale) {
  return rc::gen::exec([scale] {
    Case c;
    c.machine = *gen_machine();
    if (c.machine.total_pes() < 2) c.machine.pe_per_corner = 2;  // a collective needs two ranks
    c.collective = *gen_collective(c.machine, scale);
    while (c.collective.bytes / c.machine.dma_chunk > scale.max_chunks_per_rank)
      c.machine.dma_chunk *= 2;
    return c;
  });
}

}  // namespace kernbench::property
