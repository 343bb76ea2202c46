// The rules between parameters, checked after each value is typed: the mesh agrees with
// cubes_per_sip, and every count and size fits the physical-address encoding (address_limits.h).
// A rule whose inputs failed to load is skipped: their own problem is already reported.
#include <fmt/format.h>

#include "kernbench/topo/address_limits.h"
#include "kernbench/topo/detail/topology_builder.h"

namespace kernbench::topo::detail {
namespace {

constexpr std::string_view kSips = "system.sips.count";
constexpr std::string_view kCubesPerSip = "system.sips.cubes_per_sip";
constexpr std::string_view kMeshW = "sip.cube_mesh.w";
constexpr std::string_view kMeshH = "sip.cube_mesh.h";
constexpr std::string_view kCorners = "cube.pe_layout.corners";
constexpr std::string_view kPePerCorner = "cube.pe_layout.pe_per_corner";
constexpr std::string_view kHbmTotal = "cube.memory_map.hbm_total_gb_per_cube";
constexpr std::string_view kSlices = "cube.memory_map.hbm_slices_per_cube";
constexpr std::string_view kSram = "cube.sram.size_mb";
constexpr std::string_view kTcm = "cube.pe_template.components.pe_tcm.attrs.size_mb";
constexpr std::string_view kReserved = "cube.pe_template.components.pe_tcm.attrs.reserved_mb";
constexpr std::string_view kPage = "cube.pe_template.components.pe_mmu.attrs.page_size";
constexpr std::string_view kChunk = "cube.pe_template.components.pe_dma.attrs.chunk_size";

class Checker {
 public:
  Checker(const TypedConfig& typed, std::vector<std::string>& problems)
      : typed_(typed), problems_(problems) {}

  /// Whether every key loaded (else the rule is skipped).
  bool loaded(std::initializer_list<std::string_view> keys) const {
    for (std::string_view k : keys) {
      if (!typed_.values.contains(k)) return false;
    }
    return true;
  }

  /// A broken rule, reported at `key`; `inputs` are the other keys the rule reads. When the rule
  /// is broken by a --set of one of them and `key` itself comes from a file or a default, the
  /// problem points at that --set (the argument the user typed) and says where `key` was given.
  void fail(std::string_view key, std::string_view expected, std::string_view found,
            std::initializer_list<std::string_view> inputs = {}) {
    const std::string origin = origin_of(key);
    std::string at = origin, given;
    for (std::string_view input : inputs) {
      if (is_set(origin) || !is_set(origin_of(input))) continue;
      at = origin_of(input);
      given = origin.ends_with(kDefault) ? ", its default" : fmt::format(", given at {}", origin);
      break;
    }
    problems_.push_back(
        fmt::format("{}: {}: expected {}, found {}{}", at, key, expected, found, given));
  }

 private:
  static constexpr std::string_view kDefault = " (default)";  // the builder's origin of a default

  std::string origin_of(std::string_view key) const {
    const auto it = typed_.origins.find(key);
    return it == typed_.origins.end() ? "?" : it->second;
  }
  static bool is_set(std::string_view origin) { return origin.starts_with("--set "); }

  const TypedConfig& typed_;
  std::vector<std::string>& problems_;
};

std::int64_t given_cubes_per_sip(const TypedConfig& typed) {
  return std::get<std::int64_t>(typed.values.find(kCubesPerSip)->second);
}

void check_structure(const TopologySpec& spec, const TypedConfig& typed, Checker& c) {
  if (c.loaded({kSips}) && spec.system.sip_count > kMaxSips) {
    c.fail(kSips,
           fmt::format("at most {} SIPs (the address has {} bits for the SIP)", kMaxSips, kSipBits),
           fmt::format("{}", spec.system.sip_count));
  }
  if (!c.loaded({kMeshW, kMeshH})) return;
  const std::int64_t cubes = std::int64_t{spec.sip.mesh_w} * spec.sip.mesh_h;
  if (c.loaded({kCubesPerSip}) && given_cubes_per_sip(typed) != 0 &&
      given_cubes_per_sip(typed) != cubes) {
    c.fail(
        kCubesPerSip,
        fmt::format("sip.cube_mesh.w * h = {} * {} = {}", spec.sip.mesh_w, spec.sip.mesh_h, cubes),
        fmt::format("{}", given_cubes_per_sip(typed)), {kMeshW, kMeshH});
  }
  if (cubes > kMaxCubesPerSip) {
    c.fail(kMeshW,
           fmt::format("at most {} cubes per SIP (the address has {} bits for the cube)",
                       kMaxCubesPerSip, kCubeBits),
           fmt::format("w * h = {} * {} = {}", spec.sip.mesh_w, spec.sip.mesh_h, cubes), {kMeshH});
  }
}

void check_counts_per_cube(const TopologySpec& spec, Checker& c) {
  if (c.loaded({kCorners, kPePerCorner})) {
    const std::int64_t pes =
        std::int64_t{spec.cube.pe_per_corner} * static_cast<std::int64_t>(spec.cube.corners.size());
    if (pes > kMaxMemoriesPerKind) {
      c.fail(kPePerCorner,
             fmt::format("at most {} PEs per cube (the address has {} bits for the PE)",
                         kMaxMemoriesPerKind, kMemoryIndexBits),
             fmt::format("{} corners * {} = {}", spec.cube.corners.size(), spec.cube.pe_per_corner,
                         pes),
             {kCorners});
    }
  }
  if (c.loaded({kSlices}) && spec.cube.hbm.slices_per_cube > kMaxMemoriesPerKind) {
    c.fail(kSlices,
           fmt::format("at most {} slices per cube (the address has {} bits for the slice)",
                       kMaxMemoriesPerKind, kMemoryIndexBits),
           fmt::format("{}", spec.cube.hbm.slices_per_cube));
  }
}

void check_fits_offset(Checker& c, std::string_view key, std::string_view what, Bytes size,
                       std::initializer_list<std::string_view> inputs = {}) {
  if (size.count() > kMaxMemoryBytes) {
    c.fail(key,
           fmt::format("at most {} per {} (the address has {} offset bits)", Bytes(kMaxMemoryBytes),
                       what, kOffsetBits),
           fmt::format("{}", size), inputs);
  }
}

void check_memories(const TopologySpec& spec, Checker& c) {
  const Bytes page = spec.cube.pe.mmu.page_size;
  const bool page_ok = c.loaded({kPage}) && (page.count() & (page.count() - 1)) == 0;
  if (c.loaded({kPage}) && !page_ok) {
    c.fail(kPage, "a power of two", fmt::format("{} bytes", page.count()));
  }
  if (c.loaded({kHbmTotal, kSlices})) {
    const Bytes total = spec.cube.hbm.total_per_cube;
    const auto slices = static_cast<std::uint64_t>(spec.cube.hbm.slices_per_cube);
    const Bytes slice = spec.cube.hbm.slice_size();
    if (page_ok && (total.count() % slices != 0 || slice.count() % page.count() != 0)) {
      c.fail(kSlices,
             fmt::format("a count that splits {} into equal slices of whole {} pages", total, page),
             fmt::format("{}", slices), {kHbmTotal, kPage});
    } else {
      check_fits_offset(c, kHbmTotal, "HBM slice", slice, {kSlices});
    }
  }
  if (c.loaded({kSram})) check_fits_offset(c, kSram, "SRAM", spec.cube.sram.size);
  if (c.loaded({kTcm})) check_fits_offset(c, kTcm, "TCM", spec.cube.pe.tcm.size);
  if (c.loaded({kTcm, kReserved}) && spec.cube.pe.tcm.reserved >= spec.cube.pe.tcm.size) {
    c.fail(kReserved, fmt::format("less than the TCM size ({})", spec.cube.pe.tcm.size),
           fmt::format("{}", spec.cube.pe.tcm.reserved), {kTcm});
  }
}

// A link's buffer must hold one DMA chunk, or no chunk could ever cross it.
void check_buffers(const TopologySpec& spec, Checker& c) {
  if (!c.loaded({kChunk})) return;
  const Bytes chunk = spec.cube.pe.dma.chunk_size;
  const std::pair<std::string_view, Bytes> buffers[] = {
      {"system.inter_sip_link.buffer", spec.system.inter_sip_link.buffer},
      {"system.host_link.buffer", spec.system.host_link.buffer},
      {"sip.cube_mesh.link.buffer", spec.sip.mesh_link.buffer},
      {"cube.intra_cube_link.buffer", spec.cube.intra_cube_link.buffer}};
  for (const auto& [key, buffer] : buffers)
    if (c.loaded({key}) && buffer.count() != 0 && buffer < chunk)
      c.fail(key, fmt::format("0 (automatic) or at least one DMA chunk ({})", chunk),
             fmt::format("{}", buffer), {kChunk});
}

}  // namespace

void check_consistency(const TopologySpec& spec, const TypedConfig& typed,
                       std::vector<std::string>& problems) {
  Checker checker(typed, problems);
  check_structure(spec, typed, checker);
  check_counts_per_cube(spec, checker);
  check_memories(spec, checker);
  check_buffers(spec, checker);
}

}  // namespace kernbench::topo::detail
