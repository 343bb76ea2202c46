// A virtual address as seen by a PE's kernels: a plain 64-bit value type, translated to a
// PhysAddr by the PE's page table (page_table.h).
#pragma once

#include <compare>
#include <cstdint>

#include <fmt/format.h>

#include "kernbench/base/units.h"

namespace kernbench::mem {

class VirtAddr {
 public:
  constexpr VirtAddr() = default;
  constexpr explicit VirtAddr(std::uint64_t value) : value_(value) {}
  constexpr std::uint64_t value() const { return value_; }

  /// The address `delta` bytes further.
  friend constexpr VirtAddr operator+(VirtAddr va, base::Bytes delta) {
    return VirtAddr(va.value_ + delta.count());
  }
  /// The distance from `b` up to `a` (a >= b).
  friend constexpr base::Bytes operator-(VirtAddr a, VirtAddr b) {
    return base::Bytes(a.value_ - b.value_);
  }
  constexpr auto operator<=>(const VirtAddr&) const = default;

 private:
  std::uint64_t value_ = 0;
};

}  // namespace kernbench::mem

/// Prints "va(0x1000)".
template <>
struct fmt::formatter<kernbench::mem::VirtAddr> : fmt::formatter<std::string_view> {
  auto format(const kernbench::mem::VirtAddr& va, format_context& ctx) const {
    return fmt::format_to(ctx.out(), "va({:#x})", va.value());
  }
};
