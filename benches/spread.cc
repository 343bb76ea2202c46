#include "benches/spread.h"

#include "kernbench/topo/peak_figures.h"

namespace kernbench::benches {

using rt::LevelPlacement;

std::string_view name(Spread spread) {
  switch (spread) {
    case Spread::pe: return "one PE";
    case Spread::cube: return "one cube";
    case Spread::sip: return "one SIP";
  }
  return "?";
}

rt::Placement split_rows(Spread spread) {
  switch (spread) {
    case Spread::pe: return {};
    case Spread::cube: return {{}, {}, LevelPlacement::rows()};
    case Spread::sip: return {{}, LevelPlacement::rows(), LevelPlacement::rows()};
  }
  return {};
}

rt::Placement copy_per_pe(Spread spread) {
  switch (spread) {
    case Spread::pe: return {};
    case Spread::cube: return {{}, {}, LevelPlacement::replicate()};
    case Spread::sip: return {{}, LevelPlacement::replicate(), LevelPlacement::replicate()};
  }
  return {};
}

int pes_of(const topo::TopologySpec& spec, Spread spread) {
  switch (spread) {
    case Spread::pe: return 1;
    case Spread::cube: return static_cast<int>(topo::pes_in(spec, topo::Scope::cube));
    case Spread::sip: return static_cast<int>(topo::pes_in(spec, topo::Scope::sip));
  }
  return 1;
}

}  // namespace kernbench::benches
