// Where the ranks of a distributed bench run: one per SIP, cube or PE of the runtime's device (or
// of a device given), or an explicit list of PEs. Each rank gets a PE, where its collectives run,
// and a device, its session's current device when the bench starts.
#pragma once

#include <optional>
#include <vector>

#include "kernbench/rt/device.h"
#include "kernbench/rt/runtime.h"
#include "kernbench/topo/coord.h"

namespace kernbench::ccl {

/// One rank's place: the PE its collectives run on and its device (which holds that PE).
struct RankPlace {
  topo::PeCoord pe;
  rt::Device device = rt::Device::all();
  bool operator==(const RankPlace&) const = default;
};

class RankMap {
 public:
  /// Rank r on the r-th SIP of `within` (default: the runtime's device), at the SIP's first PE;
  /// its device is that SIP.
  static RankMap per_sip(std::optional<rt::Device> within = {});
  /// Rank r on the r-th cube of `within` in (sip, cube) order, at its PE 0; its device that cube.
  static RankMap per_cube(std::optional<rt::Device> within = {});
  /// Rank r on the r-th PE of `within` in (sip, cube, pe) order; its device that PE.
  static RankMap per_pe(std::optional<rt::Device> within = {});
  /// Rank r on pes[r]; its device that PE.
  static RankMap on_pes(std::vector<topo::PeCoord> pes);

  /// The world size when the bench names none: every SIP, cube or PE of the scope, or the list's
  /// length.
  int default_world(const rt::Runtime& runtime) const;
  /// Every rank's place in a world of `world` ranks on `runtime`. ConfigError naming the rank and
  /// PE when a PE is not on the machine or outside the runtime's device, two ranks share a PE, or
  /// the world does not fit (more ranks than units, or not as many as the list has PEs).
  std::vector<RankPlace> places(int world, const rt::Runtime& runtime) const;

 private:
  RankMap(rt::Device::Kind unit, std::optional<rt::Device> within, std::vector<topo::PeCoord> pes)
      : unit_(unit), within_(within), pes_(std::move(pes)) {}
  rt::Device scope(const rt::Runtime& runtime) const;
  std::vector<RankPlace> units(const rt::Runtime& runtime) const;
  std::vector<RankPlace> listed(int world, const rt::Runtime& runtime) const;

  rt::Device::Kind unit_;  // sip, cube or pe; all for an explicit list
  std::optional<rt::Device> within_;
  std::vector<topo::PeCoord> pes_;
};

}  // namespace kernbench::ccl
