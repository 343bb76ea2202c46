// The machine's interconnect and memory ports as channels, and the routes between any two
// locations. Inside a cube the fabric is a tree: PE ports join the PEs to their corner, corner
// links join the corners to the cube's mesh router, where SRAM and the M_CPU sit; HBM slices sit
// at corners. Cubes form a w x h mesh with dimension-order (x, then y) routing. A SIP's host link
// and its inter-SIP ports (ring, fully connected or switch) attach at the router of cube 0.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "kernbench/hw/channel.h"
#include "kernbench/hw/location.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::hw {

/// The stages a transfer passes in order: the source memory's port (if the source is a memory),
/// the links, the destination memory's port (if the destination is a memory).
struct Route {
  std::vector<Channel*> stages;
  /// Per stage, the virtual channel whose buffer a chunk takes at that stage's receiving end: 1
  /// on the SIP ring once the route has crossed its dateline, which breaks the ring's cycle of
  /// buffer dependencies (so finite buffers cannot deadlock); empty when every stage uses 0.
  std::vector<std::uint8_t> virtual_channels = {};
  /// Links only (memory ports excluded).
  int hops() const;

  /// What the transfer model that first timed a transfer on this route worked out about it,
  /// kept here (and in copies) so later transfers on it skip the model's lookup. Only that
  /// model reads it (another finds `model` is not itself); the stages never change once built.
  struct ModelFacts {
    const void* model = nullptr;
    void* facts = nullptr;
  };
  mutable ModelFacts model_facts = {};
};

class Fabric {
 public:
  /// Builds every channel of a validated spec.
  explicit Fabric(const topo::TopologySpec& spec);
  Fabric(const Fabric&) = delete;
  Fabric& operator=(const Fabric&) = delete;
  ~Fabric();

  /// The route from `from` to `to` (both must exist in the machine; NotFoundError otherwise).
  Route route(const Location& from, const Location& to) const;
  /// The port of one memory (the stage every access to it passes).
  Channel& memory_port(const mem::MemoryId& memory) const;
  /// Every channel, in construction order (for reports and utilization).
  const std::vector<std::unique_ptr<Channel>>& channels() const { return channels_; }

 private:
  struct CubeChannels;
  struct SipChannels;
  class Builder;

  const CubeChannels& cube(int sip, int cube) const;
  void climb(const Location& at, std::vector<Channel*>& out) const;
  void descend(const Location& at, std::vector<Channel*>& out) const;
  void mesh_path(int sip, int from_cube, int to_cube, std::vector<Channel*>& out) const;
  void sip_path(int from_sip, int to_sip, Route& route) const;
  void check(const Location& at) const;

  topo::TopologySpec spec_;
  std::vector<std::unique_ptr<Channel>> channels_;
  std::vector<CubeChannels> cubes_;  // dense cube index
  std::vector<SipChannels> sips_;
};

}  // namespace kernbench::hw
