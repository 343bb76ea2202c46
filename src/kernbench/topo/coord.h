// Structural coordinates: every PE is named by (sip, cube, pe), every cube by (sip, cube), and a
// cube's place in its SIP's mesh by (x, y). Dense indices exist for arrays, never for naming.
#pragma once

#include <compare>
#include <cstdint>

#include <fmt/format.h>

namespace kernbench::topo {

/// A cube's position in its SIP's w x h mesh; cube index = y * w + x.
struct MeshPos {
  int x = 0;
  int y = 0;
  auto operator<=>(const MeshPos&) const = default;
};

/// A cube: its SIP and its index within the SIP (0 .. cubes_per_sip-1).
struct CubeCoord {
  int sip = 0;
  int cube = 0;
  auto operator<=>(const CubeCoord&) const = default;
};

/// A PE: its SIP, its cube within the SIP, and its index within the cube (0 .. pes_per_cube-1).
struct PeCoord {
  int sip = 0;
  int cube = 0;
  int pe = 0;
  CubeCoord cube_coord() const { return {sip, cube}; }
  auto operator<=>(const PeCoord&) const = default;
};

}  // namespace kernbench::topo

template <>
struct fmt::formatter<kernbench::topo::MeshPos> : fmt::formatter<std::string_view> {
  auto format(const kernbench::topo::MeshPos& p, format_context& ctx) const {
    return fmt::format_to(ctx.out(), "({}, {})", p.x, p.y);
  }
};
template <>
struct fmt::formatter<kernbench::topo::CubeCoord> : fmt::formatter<std::string_view> {
  auto format(const kernbench::topo::CubeCoord& c, format_context& ctx) const {
    return fmt::format_to(ctx.out(), "(sip {}, cube {})", c.sip, c.cube);
  }
};
template <>
struct fmt::formatter<kernbench::topo::PeCoord> : fmt::formatter<std::string_view> {
  auto format(const kernbench::topo::PeCoord& c, format_context& ctx) const {
    return fmt::format_to(ctx.out(), "(sip {}, cube {}, pe {})", c.sip, c.cube, c.pe);
  }
};
