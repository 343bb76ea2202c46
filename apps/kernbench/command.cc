#include "command.h"

#include "kernbench/topo/topology_loader.h"

namespace kernbench::apps {

topo::TopologySpec load_machine(const GlobalOptions& options) {
  return options.topology_file.empty()
             ? topo::default_topology(options.overrides)
             : topo::load_topology_file(options.topology_file, options.overrides);
}

}  // namespace kernbench::apps
