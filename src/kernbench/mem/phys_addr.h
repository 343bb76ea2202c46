// A physical address: 64 bits encoding (sip, cube, memory kind, slice-or-pe, offset) with the field
// widths of topo/address_limits.h. A value type; decode() checks an address against a machine.
#pragma once

#include <compare>
#include <cstdint>

#include <fmt/format.h>

#include "kernbench/base/units.h"
#include "kernbench/mem/memory_id.h"
#include "kernbench/topo/address_limits.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::mem {

/// Layout, low to high: | offset 38 | index 8 | kind 2 | cube 8 | sip 8 |.
class PhysAddr {
 public:
  static constexpr int kIndexShift = topo::kOffsetBits;
  static constexpr int kKindShift = kIndexShift + topo::kMemoryIndexBits;
  static constexpr int kCubeShift = kKindShift + topo::kMemoryKindBits;
  static constexpr int kSipShift = kCubeShift + topo::kCubeBits;
  static constexpr std::uint64_t kOffsetMask = topo::kMaxMemoryBytes - 1;

  constexpr PhysAddr() = default;

  /// Encodes `offset_bytes` within `memory`; every field must fit its width (a bug otherwise).
  static PhysAddr encode(MemoryId memory, std::uint64_t offset_bytes);
  /// Encodes and checks against `spec`: throws AddressError if the memory or offset does not exist.
  static PhysAddr encode(const topo::TopologySpec& spec, MemoryId memory,
                         std::uint64_t offset_bytes);
  /// Decodes raw bits, checking every field against `spec`; throws AddressError naming the field.
  static PhysAddr decode(const topo::TopologySpec& spec, std::uint64_t bits);
  /// Wraps raw bits without any check (for keys and traces); decode() is the checked way in.
  static constexpr PhysAddr from_bits(std::uint64_t bits) { return PhysAddr(bits); }

  constexpr std::uint64_t bits() const { return bits_; }
  constexpr int sip() const { return field(kSipShift, topo::kSipBits); }
  constexpr int cube() const { return field(kCubeShift, topo::kCubeBits); }
  /// The raw kind field; 3 only in an address that was never decoded.
  constexpr MemoryKind kind() const {
    return static_cast<MemoryKind>(field(kKindShift, topo::kMemoryKindBits));
  }
  /// HBM slice (HBM), PE within the cube (TCM), 0 (SRAM).
  constexpr int index() const { return field(kIndexShift, topo::kMemoryIndexBits); }
  constexpr std::uint64_t offset() const { return bits_ & kOffsetMask; }
  constexpr MemoryId memory() const { return {sip(), cube(), kind(), index()}; }

  /// The address `delta` further in the same memory; leaving the offset field is a bug.
  PhysAddr operator+(base::Bytes delta) const;
  constexpr auto operator<=>(const PhysAddr&) const = default;

 private:
  constexpr explicit PhysAddr(std::uint64_t bits) : bits_(bits) {}
  constexpr int field(int shift, int width) const {
    return static_cast<int>((bits_ >> shift) & ((std::uint64_t{1} << width) - 1));
  }
  std::uint64_t bits_ = 0;
};

/// Throws AddressError unless `pa` names an existing memory of `spec` and an offset inside it.
void validate(const topo::TopologySpec& spec, PhysAddr pa);

}  // namespace kernbench::mem

/// Prints "pa(sip 0, cube 5, hbm slice 3, +0x1000)", "pa(sip 0, cube 5, tcm pe 2, +0x0)",
/// "pa(sip 0, cube 5, sram, +0x40)".
template <>
struct fmt::formatter<kernbench::mem::PhysAddr> : fmt::formatter<std::string_view> {
  auto format(const kernbench::mem::PhysAddr& pa, format_context& ctx) const {
    using kernbench::mem::MemoryKind;
    auto out = fmt::format_to(ctx.out(), "pa(sip {}, cube {}, ", pa.sip(), pa.cube());
    switch (pa.kind()) {
      case MemoryKind::hbm: out = fmt::format_to(out, "hbm slice {}", pa.index()); break;
      case MemoryKind::tcm: out = fmt::format_to(out, "tcm pe {}", pa.index()); break;
      case MemoryKind::sram: out = fmt::format_to(out, "sram"); break;
      default:
        out = fmt::format_to(out, "kind {} index {}", static_cast<int>(pa.kind()), pa.index());
    }
    return fmt::format_to(out, ", +{:#x})", pa.offset());
  }
};
