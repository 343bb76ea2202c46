// What a runtime (or one rank of it) targets: every SIP of the machine, one SIP, one cube or one
// PE. Placements spread a tensor over the units of the current device.
#pragma once

#include <cstdint>

#include <fmt/format.h>

#include "kernbench/topo/coord.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::rt {

/// A half-open range of unit indices at one level (SIPs of the machine, cubes of a SIP, PEs of a
/// cube).
struct UnitRange {
  int first = 0;
  int end = 0;
  constexpr int size() const { return end - first; }
  constexpr bool contains(int i) const { return first <= i && i < end; }
  constexpr bool operator==(const UnitRange&) const = default;
};

/// The units a device covers: its SIPs, the cubes it covers in each, the PEs in each of those.
struct DeviceUnits {
  UnitRange sips;
  UnitRange cubes;
  UnitRange pes;
};

class Device {
 public:
  enum class Kind : std::uint8_t { all, sip, cube, pe };

  /// Every SIP of the machine.
  static constexpr Device all() { return Device(Kind::all, {-1, -1, -1}); }
  /// SIP `index` alone.
  static constexpr Device sip(int index) { return Device(Kind::sip, {index, -1, -1}); }
  /// One cube.
  static constexpr Device cube(topo::CubeCoord cube) {
    return Device(Kind::cube, {cube.sip, cube.cube, -1});
  }
  /// One PE.
  static constexpr Device pe(topo::PeCoord pe) { return Device(Kind::pe, pe); }

  constexpr Kind kind() const { return kind_; }
  /// True for Device::all().
  constexpr bool all_sips() const { return kind_ == Kind::all; }
  /// The SIP of a SIP, cube or PE device (-1 for all SIPs).
  constexpr int sip_index() const { return at_.sip; }
  /// The device's first PE: where Placement{} puts a tensor.
  constexpr topo::PeCoord first_pe() const {
    return {at_.sip < 0 ? 0 : at_.sip, at_.cube < 0 ? 0 : at_.cube, at_.pe < 0 ? 0 : at_.pe};
  }
  /// The units it covers on `spec` (NotFoundError as check()).
  DeviceUnits units(const topo::TopologySpec& spec) const;
  /// True if every PE of `other` belongs to this device.
  constexpr bool covers(Device other) const {
    return (at_.sip < 0 || at_.sip == other.at_.sip) &&
           (at_.cube < 0 || at_.cube == other.at_.cube) && (at_.pe < 0 || at_.pe == other.at_.pe);
  }
  /// NotFoundError if the device names a SIP, cube or PE the machine does not have.
  void check(const topo::TopologySpec& spec) const;
  constexpr bool operator==(const Device&) const = default;

 private:
  constexpr Device(Kind kind, topo::PeCoord at) : kind_(kind), at_(at) {}
  Kind kind_;
  topo::PeCoord at_;  // -1 at the levels the device covers whole
};

}  // namespace kernbench::rt

/// Prints "all SIPs", "sip 2", "(sip 0, cube 3)" or "(sip 0, cube 3, pe 5)".
template <>
struct fmt::formatter<kernbench::rt::Device> : fmt::formatter<std::string_view> {
  auto format(const kernbench::rt::Device& d, format_context& ctx) const {
    using Kind = kernbench::rt::Device::Kind;
    const kernbench::topo::PeCoord p = d.first_pe();
    switch (d.kind()) {
      case Kind::all: return fmt::format_to(ctx.out(), "all SIPs");
      case Kind::sip: return fmt::format_to(ctx.out(), "sip {}", d.sip_index());
      case Kind::cube: return fmt::format_to(ctx.out(), "{}", p.cube_coord());
      case Kind::pe: break;
    }
    return fmt::format_to(ctx.out(), "{}", p);
  }
};
