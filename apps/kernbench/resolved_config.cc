#include "resolved_config.h"

#include "kernbench/topo/parameter_table.h"

namespace kernbench::apps {

std::vector<std::pair<std::string, std::string>> resolved_config(const topo::TopologySpec& spec) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const topo::Parameter& p : topo::topology_parameters())
    out.emplace_back(std::string(p.key), topo::parameter_text(p.read(spec)));
  return out;
}

}  // namespace kernbench::apps
