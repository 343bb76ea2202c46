// The machine a run used, as text: every topology parameter's key path and its resolved value
// after the file and every --set, in the parameter table's order (for --json and reports).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "kernbench/topo/topology_spec.h"

namespace kernbench::apps {

/// One (key path, value text) pair per topology parameter (topo::topology_parameters(), in its
/// order), each value written so that `--set key=value` gives it back.
std::vector<std::pair<std::string, std::string>> resolved_config(const topo::TopologySpec& spec);

}  // namespace kernbench::apps
