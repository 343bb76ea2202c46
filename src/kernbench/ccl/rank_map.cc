#include "kernbench/ccl/rank_map.h"

#include <map>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/topo/coord_index.h"

namespace kernbench::ccl {
namespace {

using Kind = rt::Device::Kind;

std::string_view unit_name(Kind unit) {
  switch (unit) {
    case Kind::sip: return "SIP";
    case Kind::cube: return "cube";
    case Kind::pe: return "PE";
    case Kind::all: break;
  }
  return "listed PE";
}

// "1 SIP(s) x 16 cubes x 8 PEs": the machine's shape, for errors.
std::string shape_of(const topo::TopologySpec& spec) {
  return fmt::format("{} SIP(s) x {} cubes x {} PEs", spec.system.sip_count, spec.cubes_per_sip(),
                     spec.pes_per_cube());
}

[[noreturn]] void fail(std::string message) { throw base::ConfigError({std::move(message)}); }

}  // namespace

RankMap RankMap::per_sip(std::optional<rt::Device> within) { return {Kind::sip, within, {}}; }
RankMap RankMap::per_cube(std::optional<rt::Device> within) { return {Kind::cube, within, {}}; }
RankMap RankMap::per_pe(std::optional<rt::Device> within) { return {Kind::pe, within, {}}; }
RankMap RankMap::on_pes(std::vector<topo::PeCoord> pes) { return {Kind::all, {}, std::move(pes)}; }

rt::Device RankMap::scope(const rt::Runtime& runtime) const {
  const rt::Device scope = within_.value_or(runtime.device());
  scope.check(runtime.system().spec());
  if (!runtime.device().covers(scope))
    fail(fmt::format("ranks one per {} of {}: outside the runtime's device {}", unit_name(unit_),
                     scope, runtime.device()));
  if (scope.kind() > unit_)
    fail(
        fmt::format("ranks one per {} of {}: the device is smaller than a {} (RankMap::per_cube "
                    "or per_pe place ranks on smaller units)",
                    unit_name(unit_), scope, unit_name(unit_)));
  return scope;
}

// Every unit of the scope in (sip, cube, pe) order, each at its first PE.
std::vector<RankPlace> RankMap::units(const rt::Runtime& runtime) const {
  const rt::DeviceUnits u = scope(runtime).units(runtime.system().spec());
  std::vector<RankPlace> out;
  for (int s = u.sips.first; s < u.sips.end; ++s) {
    if (unit_ == Kind::sip) {
      out.push_back({{s, u.cubes.first, u.pes.first}, rt::Device::sip(s)});
      continue;
    }
    for (int c = u.cubes.first; c < u.cubes.end; ++c) {
      if (unit_ == Kind::cube) {
        out.push_back({{s, c, u.pes.first}, rt::Device::cube({s, c})});
        continue;
      }
      for (int p = u.pes.first; p < u.pes.end; ++p)
        out.push_back({{s, c, p}, rt::Device::pe({s, c, p})});
    }
  }
  return out;
}

std::vector<RankPlace> RankMap::listed(int world, const rt::Runtime& runtime) const {
  const topo::TopologySpec& spec = runtime.system().spec();
  if (static_cast<int>(pes_.size()) != world)
    fail(fmt::format("world size {} but the rank map lists {} PE(s)", world, pes_.size()));
  std::map<topo::PeCoord, int> rank_on;
  std::vector<RankPlace> out;
  for (int r = 0; r < world; ++r) {
    const topo::PeCoord pe = pes_[static_cast<std::size_t>(r)];
    if (!topo::contains(spec, pe))
      fail(fmt::format("rank {} on PE {}, which the machine does not have ({})", r, pe,
                       shape_of(spec)));
    if (!runtime.device().covers(rt::Device::pe(pe)))
      fail(fmt::format("rank {} on PE {}, outside the runtime's device {}", r, pe,
                       runtime.device()));
    if (const auto [it, fresh] = rank_on.try_emplace(pe, r); !fresh)
      fail(fmt::format("ranks {} and {} are both on PE {}: a PE runs one rank", it->second, r, pe));
    out.push_back({pe, rt::Device::pe(pe)});
  }
  return out;
}

int RankMap::default_world(const rt::Runtime& runtime) const {
  return unit_ == Kind::all ? static_cast<int>(pes_.size())
                            : static_cast<int>(units(runtime).size());
}

std::vector<RankPlace> RankMap::places(int world, const rt::Runtime& runtime) const {
  if (world < 1) fail(fmt::format("world size {}: need at least 1", world));
  if (unit_ == Kind::all) return listed(world, runtime);
  std::vector<RankPlace> all = units(runtime);
  if (world > static_cast<int>(all.size())) {
    const rt::Device where = scope(runtime);
    const topo::TopologySpec& spec = runtime.system().spec();
    const std::string_view hint =
        unit_ == Kind::sip    ? "; RankMap::per_cube() or per_pe() place ranks on cubes or PEs"
        : unit_ == Kind::cube ? "; RankMap::per_pe() places ranks on PEs"
                              : "";
    fail(fmt::format("world size {} does not fit one rank per {} of {}: it has {}{}", world,
                     unit_name(unit_),
                     where.all_sips() ? fmt::format("the machine ({})", shape_of(spec))
                                      : fmt::format("{}", where),
                     all.size(), hint));
  }
  all.resize(static_cast<std::size_t>(world));
  return all;
}

}  // namespace kernbench::ccl
