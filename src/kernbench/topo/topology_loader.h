// Loading a machine description: YAML text or file, or the embedded default, with --set overrides
// on top; the whole input is validated before a spec is returned (configs/README.md lists keys).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kernbench/base/input_file.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::topo {

/// Overrides as given to --set, applied in order: "key.path=value" (value written as in YAML).
using Overrides = std::vector<std::string>;

/// Loads and validates a topology file; throws base::ConfigError listing every problem (one for a
/// file that is not a regular file of at most `max_input_bytes`).
TopologySpec load_topology_file(const std::string& path, const Overrides& overrides = {},
                                std::uint64_t max_input_bytes = base::kDefaultMaxInputBytes);
/// Loads and validates YAML text; `source_name` prefixes error positions (e.g. the file name).
TopologySpec load_topology_text(std::string_view text, std::string_view source_name,
                                const Overrides& overrides = {});
/// The embedded default AHBM machine (configs/ahbm_default.yaml) with overrides applied.
TopologySpec default_topology(const Overrides& overrides = {});
/// The YAML text of the embedded default, exactly as in configs/ahbm_default.yaml.
std::string_view default_topology_text();
/// The source name errors and summaries use for the embedded default.
inline constexpr std::string_view kDefaultTopologySource = "<embedded configs/ahbm_default.yaml>";

}  // namespace kernbench::topo
