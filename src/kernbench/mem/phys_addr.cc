#include "kernbench/mem/phys_addr.h"

#include <fmt/format.h>

#include "kernbench/base/assert.h"
#include "kernbench/base/error.h"

namespace kernbench::mem {
namespace {

bool fits(int value, int width) { return value >= 0 && value < (1 << width); }

[[noreturn]] void invalid(std::uint64_t bits, const std::string& why) {
  throw base::AddressError(fmt::format("invalid physical address {:#x}: {}", bits, why));
}

// The checks of validate(), on raw fields so that a bad kind is reported before it is used.
void check_fields(const topo::TopologySpec& spec, std::uint64_t bits, int sip, int cube, int kind,
                  int index, std::uint64_t offset) {
  if (kind > static_cast<int>(MemoryKind::sram))
    invalid(bits, fmt::format("memory kind {} does not exist (0 HBM, 1 TCM, 2 SRAM)", kind));
  if (sip >= spec.system.sip_count)
    invalid(bits, fmt::format("sip {} out of range (the system has {} SIP{})", sip,
                              spec.system.sip_count, spec.system.sip_count == 1 ? "" : "s"));
  if (cube >= spec.cubes_per_sip())
    invalid(bits,
            fmt::format("cube {} out of range (a SIP has {} cubes)", cube, spec.cubes_per_sip()));
  const auto mk = static_cast<MemoryKind>(kind);
  const int count = memories_per_cube(spec, mk);
  if (index >= count) {
    const char* what = mk == MemoryKind::hbm   ? "HBM slice"
                       : mk == MemoryKind::tcm ? "PE"
                                               : "SRAM index";
    invalid(bits, fmt::format("{} {} out of range (a cube has {})", what, index, count));
  }
  const base::Bytes size = memory_size(spec, mk);
  if (offset >= size.count())
    invalid(bits, fmt::format("offset {:#x} past the end of {} ({})", offset,
                              MemoryId{sip, cube, mk, index}, size));
}

}  // namespace

PhysAddr PhysAddr::encode(MemoryId memory, std::uint64_t offset_bytes) {
  KB_ASSERT(fits(memory.sip, topo::kSipBits), "sip does not fit the address encoding");
  KB_ASSERT(fits(memory.cube, topo::kCubeBits), "cube does not fit the address encoding");
  KB_ASSERT(fits(static_cast<int>(memory.kind), topo::kMemoryKindBits), "bad memory kind");
  KB_ASSERT(fits(memory.index, topo::kMemoryIndexBits), "index does not fit the address encoding");
  KB_ASSERT(offset_bytes < topo::kMaxMemoryBytes, "offset does not fit the address encoding");
  return PhysAddr((std::uint64_t(memory.sip) << kSipShift) |
                  (std::uint64_t(memory.cube) << kCubeShift) |
                  (std::uint64_t(memory.kind) << kKindShift) |
                  (std::uint64_t(memory.index) << kIndexShift) | offset_bytes);
}

PhysAddr PhysAddr::encode(const topo::TopologySpec& spec, MemoryId memory,
                          std::uint64_t offset_bytes) {
  // Range-check before packing: a negative or oversized field must be the user's AddressError,
  // not a failed assertion.
  const bool in_widths = fits(memory.sip, topo::kSipBits) && fits(memory.cube, topo::kCubeBits) &&
                         fits(static_cast<int>(memory.kind), topo::kMemoryKindBits) &&
                         fits(memory.index, topo::kMemoryIndexBits) &&
                         offset_bytes < topo::kMaxMemoryBytes;
  if (!in_widths)
    throw base::AddressError(
        fmt::format("cannot encode {} +{:#x}: a field exceeds the address "
                    "encoding",
                    memory, offset_bytes));
  const PhysAddr pa = encode(memory, offset_bytes);
  validate(spec, pa);
  return pa;
}

PhysAddr PhysAddr::decode(const topo::TopologySpec& spec, std::uint64_t bits) {
  const PhysAddr pa(bits);
  validate(spec, pa);
  return pa;
}

PhysAddr PhysAddr::operator+(base::Bytes delta) const {
  KB_ASSERT(delta.count() <= kOffsetMask - offset(), "address arithmetic leaves its memory");
  return PhysAddr(bits_ + delta.count());
}

void validate(const topo::TopologySpec& spec, PhysAddr pa) {
  check_fields(spec, pa.bits(), pa.sip(), pa.cube(), static_cast<int>(pa.kind()), pa.index(),
               pa.offset());
}

}  // namespace kernbench::mem
