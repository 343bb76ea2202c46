#include "kernbench/topo/topology_spec.h"

namespace kernbench::topo {

std::string_view name(SipInterconnect kind) {
  switch (kind) {
    case SipInterconnect::ring: return "ring";
    case SipInterconnect::fully_connected: return "fully_connected";
    case SipInterconnect::switched: return "switch";
  }
  return "?";
}

std::string_view name(FabricModel model) {
  switch (model) {
    case FabricModel::chunks: return "chunks";
    case FabricModel::flows: return "flows";
  }
  return "?";
}

std::string_view name(Corner corner) {
  switch (corner) {
    case Corner::nw: return "nw";
    case Corner::ne: return "ne";
    case Corner::sw: return "sw";
    case Corner::se: return "se";
  }
  return "?";
}

}  // namespace kernbench::topo
