// The resolved configuration the JSON record carries: every parameter, values that --set reads
// back to the same machine, and --set values showing through.
#include "kernbench/resolved_config.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "kernbench/topo/parameter_table.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::apps {
namespace {

TEST(ResolvedConfig, CoversEveryParameterInTableOrder) {
  const auto config = resolved_config(topo::default_topology());
  const auto parameters = topo::topology_parameters();
  ASSERT_EQ(config.size(), parameters.size());
  for (std::size_t i = 0; i < config.size(); ++i) EXPECT_EQ(config[i].first, parameters[i].key);
}

TEST(ResolvedConfig, ShowsSetValuesAndReadsBackToTheSameMachine) {
  const topo::TopologySpec spec = topo::load_topology_file(
      KERNBENCH_SOURCE_DIR "/configs/ahbm_small.yaml",
      {"sip.cube_mesh.link.bandwidth=512 GB/s", "cube.pe_layout.corners=[ne, sw]"});
  const auto config = resolved_config(spec);
  const auto value = [&](std::string_view key) {
    const auto it =
        std::find_if(config.begin(), config.end(), [&](const auto& kv) { return kv.first == key; });
    return it == config.end() ? std::string("?") : it->second;
  };
  EXPECT_EQ(value("sip.cube_mesh.link.bandwidth"), "512 GB/s");
  EXPECT_EQ(value("cube.pe_layout.corners"), "[ne, sw]");
  EXPECT_EQ(value("sip.cube_mesh.w"), "2");
  // Every pair, given back as --set on the embedded default, rebuilds the same machine.
  topo::Overrides overrides;
  for (const auto& [key, text] : config) overrides.push_back(key + "=" + text);
  topo::TopologySpec again = topo::default_topology(overrides);
  again.source = spec.source;
  EXPECT_EQ(again, spec);
}

}  // namespace
}  // namespace kernbench::apps
