#include "kernbench/topo/peak_figures.h"

#include <array>
#include <limits>

#include <fmt/format.h>

#include "kernbench/base/assert.h"

namespace kernbench::topo {
namespace {

__extension__ using U128 = unsigned __int128;

// Aggregates of absurd (but valid) configurations saturate rather than wrap.
std::uint64_t saturating_product(std::uint64_t a, std::int64_t b) {
  const U128 p = static_cast<U128>(a) * static_cast<U128>(b);
  return p > std::numeric_limits<std::uint64_t>::max() ? std::numeric_limits<std::uint64_t>::max()
                                                       : static_cast<std::uint64_t>(p);
}

}  // namespace

std::string_view name(Scope scope) {
  switch (scope) {
    case Scope::pe: return "PE";
    case Scope::cube: return "cube";
    case Scope::sip: return "SIP";
    case Scope::system: return "system";
  }
  return "?";
}

std::int64_t pes_in(const TopologySpec& spec, Scope scope) {
  return scope == Scope::pe ? 1 : cubes_in(spec, scope) * spec.pes_per_cube();
}

std::int64_t cubes_in(const TopologySpec& spec, Scope scope) {
  KB_ASSERT(scope != Scope::pe, "a PE holds no cube");
  const std::int64_t per_sip = spec.cubes_per_sip();
  switch (scope) {
    case Scope::cube: return 1;
    case Scope::sip: return per_sip;
    default: return per_sip * spec.system.sip_count;
  }
}

double matrix_flops(const TopologySpec& spec, base::DType dtype, Scope scope) {
  const auto& macs = spec.cube.pe.core.matrix_macs_per_cycle;
  const auto it = macs.find(dtype);
  if (it == macs.end()) return 0.0;
  return static_cast<double>(spec.cube.pe.core.clock.hertz()) * it->second * 2.0 *
         static_cast<double>(pes_in(spec, scope));
}

std::int64_t vector_lanes(const TopologySpec& spec, base::DType dtype) {
  return std::int64_t{spec.cube.pe.core.vector_lanes} * 4 /
         static_cast<std::int64_t>(base::size_bytes(dtype));
}

double vector_flops(const TopologySpec& spec, base::DType dtype, Scope scope) {
  return static_cast<double>(spec.cube.pe.core.clock.hertz()) *
         static_cast<double>(vector_lanes(spec, dtype)) * 2.0 *
         static_cast<double>(pes_in(spec, scope));
}

Bytes hbm_capacity(const TopologySpec& spec, Scope scope) {
  return Bytes(saturating_product(spec.cube.hbm.total_per_cube.count(), cubes_in(spec, scope)));
}

Bandwidth hbm_bandwidth(const TopologySpec& spec, Scope scope) {
  const std::uint64_t per_cube = saturating_product(
      spec.cube.hbm.slice_bandwidth.bytes_per_second(), spec.cube.hbm.slices_per_cube);
  return Bandwidth::bytes_per_second(saturating_product(per_cube, cubes_in(spec, scope)));
}

Bytes sram_capacity(const TopologySpec& spec, Scope scope) {
  return Bytes(saturating_product(spec.cube.sram.size.count(), cubes_in(spec, scope)));
}

Bytes tcm_capacity(const TopologySpec& spec, Scope scope) {
  return Bytes(saturating_product(spec.cube.pe.tcm.size.count(), pes_in(spec, scope)));
}

std::string flops_to_string(double flops) {
  static constexpr std::array<const char*, 7> kNames{"FLOP/s",  "kFLOP/s", "MFLOP/s", "GFLOP/s",
                                                     "TFLOP/s", "PFLOP/s", "EFLOP/s"};
  std::size_t i = 0;
  while (i + 1 < kNames.size() && flops >= 1000.0) {
    flops /= 1000.0;
    ++i;
  }
  std::string s = fmt::format("{:.3f}", flops);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s + " " + kNames[i];
}

}  // namespace kernbench::topo
