// Turns what was read (RawConfig) into a typed spec through the parameter table, then checks the
// rules that tie parameters together (topology_validator.cc). Throws ConfigError with every
// problem.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "kernbench/topo/detail/raw_config.h"
#include "kernbench/topo/parameter_table.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::topo::detail {

/// The typed values and where each came from; a key absent from `values` failed to load.
struct TypedConfig {
  std::map<std::string, ParameterValue, std::less<>> values;
  std::map<std::string, std::string, std::less<>> origins;
};

/// Types, stores and cross-checks every parameter; throws ConfigError with all problems.
TopologySpec build_topology(const RawConfig& raw);

/// Appends the problems of rules between parameters (address limits, w * h, TCM reserve, ...).
void check_consistency(const TopologySpec& spec, const TypedConfig& typed,
                       std::vector<std::string>& problems);

}  // namespace kernbench::topo::detail
