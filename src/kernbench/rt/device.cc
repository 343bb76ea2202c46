#include "kernbench/rt/device.h"

#include "kernbench/base/error.h"

namespace kernbench::rt {
namespace {

// The units of a level: all `count` of them (index < 0), or index alone.
UnitRange level(int index, int count) {
  return index < 0 ? UnitRange{0, count} : UnitRange{index, index + 1};
}

}  // namespace

DeviceUnits Device::units(const topo::TopologySpec& spec) const {
  check(spec);
  return {level(at_.sip, spec.system.sip_count), level(at_.cube, spec.cubes_per_sip()),
          level(at_.pe, spec.pes_per_cube())};
}

void Device::check(const topo::TopologySpec& spec) const {
  const auto fail = [&](std::string_view unit, std::string_view word, int count,
                        std::string_view within) {
    throw base::NotFoundError(fmt::format("device {}: {} has {} {}(s), {} 0..{}", *this, within,
                                          count, unit, word, count - 1));
  };
  if (kind_ == Kind::all) return;
  if (at_.sip < 0 || at_.sip >= spec.system.sip_count)
    fail("SIP", "sip", spec.system.sip_count, "the machine");
  if (kind_ == Kind::sip) return;
  if (at_.cube < 0 || at_.cube >= spec.cubes_per_sip())
    fail("cube", "cube", spec.cubes_per_sip(), "a SIP");
  if (kind_ == Kind::cube) return;
  if (at_.pe < 0 || at_.pe >= spec.pes_per_cube()) fail("PE", "pe", spec.pes_per_cube(), "a cube");
}

}  // namespace kernbench::rt
