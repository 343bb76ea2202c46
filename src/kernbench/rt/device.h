// What a runtime (or one rank of it) targets: every SIP of the machine, or one SIP. Placements
// spread a tensor over the SIPs of the current device.
#pragma once

#include <vector>

#include <fmt/format.h>

#include "kernbench/topo/topology_spec.h"

namespace kernbench::rt {

class Device {
 public:
  /// Every SIP of the machine.
  static constexpr Device all() { return Device(-1); }
  /// SIP `index` alone.
  static constexpr Device sip(int index) { return Device(index); }

  /// True for Device::all().
  constexpr bool all_sips() const { return sip_ < 0; }
  /// The SIP of a single-SIP device (-1 for all SIPs).
  constexpr int sip_index() const { return sip_; }
  /// The SIPs this device covers on `spec`, ascending.
  std::vector<int> sips(const topo::TopologySpec& spec) const;
  /// True if every SIP of `other` belongs to this device.
  bool covers(Device other) const { return all_sips() || other.sip_ == sip_; }
  /// NotFoundError if the device names a SIP the machine does not have.
  void check(const topo::TopologySpec& spec) const;
  constexpr bool operator==(const Device&) const = default;

 private:
  constexpr explicit Device(int sip) : sip_(sip) {}
  int sip_;
};

}  // namespace kernbench::rt

/// Prints "all SIPs" or "sip 2".
template <>
struct fmt::formatter<kernbench::rt::Device> : fmt::formatter<std::string_view> {
  auto format(const kernbench::rt::Device& d, format_context& ctx) const {
    if (d.all_sips()) return fmt::format_to(ctx.out(), "all SIPs");
    return fmt::format_to(ctx.out(), "sip {}", d.sip_index());
  }
};
