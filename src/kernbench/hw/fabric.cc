#include "kernbench/hw/fabric.h"

#include <array>

#include <fmt/format.h>

#include "kernbench/base/assert.h"
#include "kernbench/base/error.h"
#include "kernbench/hw/trace_track.h"
#include "kernbench/topo/coord_index.h"
#include "kernbench/topo/home_slices.h"

namespace kernbench::hw {
namespace {

enum Direction { kXPlus, kXMinus, kYPlus, kYMinus };

// A buffer no transfer fills: the DMA windows of the transfers crossing it bound what it holds.
constexpr Bytes kUnboundedBuffer{std::uint64_t{1} << 50};

int corner_slot(const topo::TopologySpec& spec, topo::Corner corner) {
  const auto& corners = spec.cube.corners;
  for (std::size_t i = 0; i < corners.size(); ++i)
    if (corners[i] == corner) return static_cast<int>(i);
  KB_ASSERT(false, "corner not in the layout");
  return 0;
}

}  // namespace

int Route::hops() const {
  int n = 0;
  for (const Channel* c : stages) n += c->kind() != ChannelKind::memory ? 1 : 0;
  return n;
}

struct Fabric::CubeChannels {
  std::vector<Channel*> pe_up, pe_down;          // per PE: PE -> its corner, corner -> PE
  std::vector<Channel*> corner_up, corner_down;  // per corner slot: corner -> router, back
  std::array<Channel*, 4> mesh_out{};            // per direction, null at the mesh edge
  std::vector<Channel*> hbm, tcm;                // memory ports: per slice, per PE
  Channel* sram = nullptr;
};

struct Fabric::SipChannels {
  Channel* host_down = nullptr;  // host -> SIP (router of cube 0)
  Channel* host_up = nullptr;
  std::array<Channel*, 2> ring_out{};  // ring: to sip+1, to sip-1
  std::vector<Channel*> direct_out;    // fully connected: to every other SIP
  Channel* switch_up = nullptr;        // switch: SIP -> switch, switch -> SIP
  Channel* switch_down = nullptr;
};

class Fabric::Builder {
 public:
  explicit Builder(Fabric& f) : f_(f), spec_(f.spec_) {}

  void build() {
    for (int s = 0; s < spec_.system.sip_count; ++s) {
      for (int c = 0; c < spec_.cubes_per_sip(); ++c) f_.cubes_.push_back(build_cube(s, c));
      f_.sips_.push_back(build_sip(s));
    }
  }

 private:
  Channel* make(ChannelKind kind, sim::TraceTrack track, const topo::LinkSpec& link) {
    return make(kind, std::move(track), link.bandwidth, link.latency, link.buffer);
  }
  // A memory port hands the chunks it reads to the DMA engine that asked for them, whose window
  // (chunks in flight) bounds them: a read waiting for its next link holds back no other read of
  // the memory, so the port's buffer has no limit of its own.
  Channel* make(ChannelKind kind, sim::TraceTrack track, Bandwidth bw, SimTime latency,
                Bytes buffer = Bytes(0)) {
    const Bytes chunk = spec_.cube.pe.dma.chunk_size;
    if (kind == ChannelKind::memory) buffer = kUnboundedBuffer;
    if (buffer.count() == 0) buffer = link_buffer(bw, latency, chunk);
    f_.channels_.push_back(
        std::make_unique<Channel>(kind, std::move(track), bw, latency, buffer,
                                  static_cast<std::uint32_t>(f_.channels_.size())));
    return f_.channels_.back().get();
  }

  CubeChannels build_cube(int s, int c) {
    CubeChannels cc;
    const topo::CubeCoord cube{s, c};
    const auto& link = spec_.cube.intra_cube_link;
    for (int p = 0; p < spec_.pes_per_cube(); ++p) {
      const topo::PeCoord pe{s, c, p};
      cc.pe_up.push_back(make(ChannelKind::pe_port, pe_track(pe, TrackKind::pe_port_out), link));
      cc.pe_down.push_back(make(ChannelKind::pe_port, pe_track(pe, TrackKind::pe_port_in), link));
      const auto& tcm = spec_.cube.pe.tcm;
      cc.tcm.push_back(
          make(ChannelKind::memory, pe_track(pe, TrackKind::tcm), tcm.bandwidth, tcm.latency));
    }
    for (topo::Corner corner : spec_.cube.corners) {
      const int at = static_cast<int>(corner);
      cc.corner_up.push_back(
          make(ChannelKind::corner_link, cube_track(cube, TrackKind::corner_out, at), link));
      cc.corner_down.push_back(
          make(ChannelKind::corner_link, cube_track(cube, TrackKind::corner_in, at), link));
    }
    const auto& hbm = spec_.cube.hbm;
    for (int h = 0; h < hbm.slices_per_cube; ++h)
      cc.hbm.push_back(make(ChannelKind::memory, cube_track(cube, TrackKind::hbm, h),
                            hbm.slice_bandwidth, hbm.latency));
    const auto& sram = spec_.cube.sram;
    cc.sram =
        make(ChannelKind::memory, cube_track(cube, TrackKind::sram), sram.bandwidth, sram.latency);
    const topo::MeshPos pos = topo::mesh_pos(spec_, c);
    const std::array<bool, 4> has{pos.x + 1 < spec_.sip.mesh_w, pos.x > 0,
                                  pos.y + 1 < spec_.sip.mesh_h, pos.y > 0};
    for (int d = 0; d < 4; ++d)
      if (has[d])
        cc.mesh_out[d] =
            make(ChannelKind::mesh_link, cube_track(cube, TrackKind::mesh, d), spec_.sip.mesh_link);
    return cc;
  }

  SipChannels build_sip(int s) {
    SipChannels sc;
    const auto& sys = spec_.system;
    sc.host_down = make(ChannelKind::host_link, sip_track(s, TrackKind::host_in), sys.host_link);
    sc.host_up = make(ChannelKind::host_link, sip_track(s, TrackKind::host_out), sys.host_link);
    if (sys.sip_count == 1) return sc;
    switch (sys.interconnect) {
      case topo::SipInterconnect::ring:
        sc.ring_out[0] =
            make(ChannelKind::sip_link, sip_track(s, TrackKind::ring_next), sys.inter_sip_link);
        sc.ring_out[1] =
            make(ChannelKind::sip_link, sip_track(s, TrackKind::ring_prev), sys.inter_sip_link);
        break;
      case topo::SipInterconnect::fully_connected:
        for (int t = 0; t < sys.sip_count; ++t)
          sc.direct_out.push_back(t == s ? nullptr
                                         : make(ChannelKind::sip_link,
                                                sip_track(s, TrackKind::sip_to, t),
                                                sys.inter_sip_link));
        break;
      case topo::SipInterconnect::switched:
        sc.switch_up =
            make(ChannelKind::sip_link, sip_track(s, TrackKind::switch_out), sys.inter_sip_link);
        sc.switch_down =
            make(ChannelKind::sip_link, sip_track(s, TrackKind::switch_in), sys.inter_sip_link);
        break;
    }
    return sc;
  }

  Fabric& f_;
  const topo::TopologySpec& spec_;
};

Fabric::Fabric(const topo::TopologySpec& spec) : spec_(spec) { Builder(*this).build(); }
Fabric::~Fabric() = default;

const Fabric::CubeChannels& Fabric::cube(int sip, int cube) const {
  return cubes_[static_cast<std::size_t>(topo::cube_index(spec_, {sip, cube}))];
}

Channel& Fabric::memory_port(const mem::MemoryId& m) const {
  const CubeChannels& cc = cube(m.sip, m.cube);
  const auto pick = [&](const std::vector<Channel*>& v) -> Channel& {
    if (m.index < 0 || m.index >= static_cast<int>(v.size()))
      throw base::NotFoundError(fmt::format("no {} in this machine", m));
    return *v[static_cast<std::size_t>(m.index)];
  };
  switch (m.kind) {
    case mem::MemoryKind::hbm: return pick(cc.hbm);
    case mem::MemoryKind::tcm: return pick(cc.tcm);
    case mem::MemoryKind::sram: break;
  }
  return *cc.sram;
}

namespace {
// Where a location attaches inside its cube: a PE, a corner (HBM slices), or the router.
struct Attach {
  enum Level { kPe, kCorner, kRouter } level;
  int pe = -1;      // kPe
  int corner = -1;  // kPe, kCorner: corner slot
};

Attach attach_of(const topo::TopologySpec& spec, const Location& l) {
  using Kind = Location::Kind;
  const bool at_pe =
      l.kind == Kind::pe || (l.kind == Kind::memory && l.memory_kind == mem::MemoryKind::tcm);
  if (at_pe) return {Attach::kPe, l.index, corner_slot(spec, topo::pe_corner(spec, l.index))};
  if (l.kind == Kind::memory && l.memory_kind == mem::MemoryKind::hbm)
    return {Attach::kCorner, -1, corner_slot(spec, topo::slice_corner(spec, l.index))};
  return {Attach::kRouter};
}
}  // namespace

void Fabric::climb(const Location& at, std::vector<Channel*>& out) const {
  const Attach a = attach_of(spec_, at);
  const CubeChannels& cc = cube(at.sip, at.cube);
  if (a.level == Attach::kPe) out.push_back(cc.pe_up[static_cast<std::size_t>(a.pe)]);
  if (a.level != Attach::kRouter) out.push_back(cc.corner_up[static_cast<std::size_t>(a.corner)]);
}

void Fabric::descend(const Location& at, std::vector<Channel*>& out) const {
  const Attach a = attach_of(spec_, at);
  const CubeChannels& cc = cube(at.sip, at.cube);
  if (a.level != Attach::kRouter) out.push_back(cc.corner_down[static_cast<std::size_t>(a.corner)]);
  if (a.level == Attach::kPe) out.push_back(cc.pe_down[static_cast<std::size_t>(a.pe)]);
}

void Fabric::mesh_path(int sip, int from_cube, int to_cube, std::vector<Channel*>& out) const {
  topo::MeshPos at = topo::mesh_pos(spec_, from_cube);
  const topo::MeshPos to = topo::mesh_pos(spec_, to_cube);
  const auto step = [&](int dir, int dx, int dy) {
    out.push_back(cube(sip, topo::cube_at(spec_, at)).mesh_out[static_cast<std::size_t>(dir)]);
    at.x += dx;
    at.y += dy;
  };
  while (at.x < to.x) step(kXPlus, 1, 0);
  while (at.x > to.x) step(kXMinus, -1, 0);
  while (at.y < to.y) step(kYPlus, 0, 1);
  while (at.y > to.y) step(kYMinus, 0, -1);
}

void Fabric::sip_path(int from, int to, Route& route) const {
  auto& out = route.stages;
  const int n = spec_.system.sip_count;
  switch (spec_.system.interconnect) {
    case topo::SipInterconnect::ring: {
      const int forward = (to - from + n) % n;  // shorter way round; ties go forward
      const bool next = forward <= n - forward;
      // The dateline of each direction is its link into or out of SIP 0 (n-1 -> 0 forward,
      // 0 -> n-1 backward): from that link on, chunks take the ring's second virtual channel.
      std::uint8_t vc = 0;
      for (int s = from; s != to; s = (s + (next ? 1 : n - 1)) % n) {
        if (s == (next ? n - 1 : 0) && vc == 0) {
          vc = 1;
          route.virtual_channels.resize(out.size(), 0);
        }
        out.push_back(sips_[static_cast<std::size_t>(s)].ring_out[next ? 0 : 1]);
        if (vc != 0) route.virtual_channels.push_back(vc);
      }
      break;
    }
    case topo::SipInterconnect::fully_connected:
      out.push_back(sips_[static_cast<std::size_t>(from)].direct_out[static_cast<std::size_t>(to)]);
      break;
    case topo::SipInterconnect::switched:
      out.push_back(sips_[static_cast<std::size_t>(from)].switch_up);
      out.push_back(sips_[static_cast<std::size_t>(to)].switch_down);
      break;
  }
}

void Fabric::check(const Location& at) const {
  if (!topo::contains(spec_, at.cube_coord()))
    throw base::NotFoundError(fmt::format("{}: no such cube in this machine", at));
  if (at.kind == Location::Kind::pe &&
      !topo::contains(spec_, topo::PeCoord{at.sip, at.cube, at.index}))
    throw base::NotFoundError(fmt::format("{}: no such PE in this machine", at));
  if (at.kind == Location::Kind::memory) memory_port(at.memory_id());
}

Route Fabric::route(const Location& from, const Location& to) const {
  check(from);
  check(to);
  using Kind = Location::Kind;
  Route r;
  auto& out = r.stages;
  if (from.kind == Kind::memory) out.push_back(&memory_port(from.memory_id()));
  if (from.kind == Kind::host) out.push_back(sips_[static_cast<std::size_t>(from.sip)].host_down);
  // Host ports and inter-SIP ports sit at the router of cube 0.
  const Location a = from.kind == Kind::host ? Location::m_cpu({from.sip, 0}) : from;
  const Location b = to.kind == Kind::host ? Location::m_cpu({to.sip, 0}) : to;
  const Attach aa = attach_of(spec_, a), ab = attach_of(spec_, b);
  if (a.sip == b.sip && a.cube == b.cube) {
    const bool same_corner =
        aa.level != Attach::kRouter && ab.level != Attach::kRouter && aa.corner == ab.corner;
    if (same_corner) {
      const CubeChannels& cc = cube(a.sip, a.cube);
      if (aa.level == Attach::kPe && aa.pe != ab.pe)
        out.push_back(cc.pe_up[static_cast<std::size_t>(aa.pe)]);
      if (ab.level == Attach::kPe && aa.pe != ab.pe)
        out.push_back(cc.pe_down[static_cast<std::size_t>(ab.pe)]);
    } else {
      climb(a, out);
      descend(b, out);
    }
  } else {
    climb(a, out);
    if (a.sip == b.sip) {
      mesh_path(a.sip, a.cube, b.cube, out);
    } else {
      mesh_path(a.sip, a.cube, 0, out);
      sip_path(a.sip, b.sip, r);
      mesh_path(b.sip, 0, b.cube, out);
    }
    descend(b, out);
  }
  if (to.kind == Kind::host) out.push_back(sips_[static_cast<std::size_t>(to.sip)].host_up);
  if (to.kind == Kind::memory) out.push_back(&memory_port(to.memory_id()));
  // Stages past the ring keep the virtual channel of the last ring stage only on the ring: the
  // mesh after it has no cycle of its own, so they go back to 0.
  if (!r.virtual_channels.empty()) r.virtual_channels.resize(out.size(), 0);
  return r;
}

}  // namespace kernbench::hw
