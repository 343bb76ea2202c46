// The widths of the physical-address fields (mem/phys_addr.h encodes them). They live here so
// that topology validation can reject a machine whose sizes do not fit the encoding.
//
// A physical address is 64 bits: | sip 8 | cube 8 | kind 2 | index 8 | offset 38 |
// where kind is HBM / TCM / SRAM and index is the HBM slice or the PE within the cube.
#pragma once

#include <cstdint>

namespace kernbench::topo {

inline constexpr int kSipBits = 8;
inline constexpr int kCubeBits = 8;
inline constexpr int kMemoryKindBits = 2;
inline constexpr int kMemoryIndexBits = 8;
inline constexpr int kOffsetBits = 38;
static_assert(kSipBits + kCubeBits + kMemoryKindBits + kMemoryIndexBits + kOffsetBits == 64);

inline constexpr std::int64_t kMaxSips = std::int64_t{1} << kSipBits;          // 256
inline constexpr std::int64_t kMaxCubesPerSip = std::int64_t{1} << kCubeBits;  // 256
inline constexpr std::int64_t kMaxMemoriesPerKind = std::int64_t{1}
                                                    << kMemoryIndexBits;  // slices or PEs per cube
inline constexpr std::uint64_t kMaxMemoryBytes = std::uint64_t{1}
                                                 << kOffsetBits;  // 256 GiB per memory

}  // namespace kernbench::topo
