// The set of PEs a host command addresses: one PE, a set, every PE of a cube, of a SIP, or of the
// system. Kept as a sorted list of structural coordinates, so iteration is deterministic.
#pragma once

#include <vector>

#include "kernbench/topo/coord.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::hw {

class Targets {
 public:
  Targets() = default;
  /// Exactly these PEs (sorted, duplicates dropped).
  explicit Targets(std::vector<topo::PeCoord> pes);
  static Targets pe(topo::PeCoord pe) { return Targets({pe}); }
  static Targets cube(const topo::TopologySpec& spec, topo::CubeCoord cube);
  static Targets sip(const topo::TopologySpec& spec, int sip);
  static Targets all(const topo::TopologySpec& spec);

  /// The PEs, sorted. On a temporary Targets this returns a copy, so `for (pe : make().pes())`
  /// never iterates a destroyed vector.
  const std::vector<topo::PeCoord>& pes() const& { return pes_; }
  std::vector<topo::PeCoord> pes() && { return std::move(pes_); }
  /// The distinct cubes the PEs sit in, sorted.
  std::vector<topo::CubeCoord> cubes() const;
  std::size_t size() const { return pes_.size(); }
  bool empty() const { return pes_.empty(); }

 private:
  std::vector<topo::PeCoord> pes_;
};

}  // namespace kernbench::hw
