#include "kernbench/topo/parameter_table.h"

#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "kernbench/topo/topology_loader.h"

namespace kernbench::topo {
namespace {

TEST(ParameterTable, KeysAreUniqueAndDocumented) {
  std::set<std::string_view> keys;
  for (const Parameter& p : topology_parameters()) {
    EXPECT_TRUE(keys.insert(p.key).second) << p.key;
    EXPECT_FALSE(p.help.empty()) << p.key;
    EXPECT_NE(p.store, nullptr) << p.key;
    EXPECT_NE(p.read, nullptr) << p.key;
    EXPECT_EQ(find_parameter(p.key), &p);
  }
  EXPECT_EQ(find_parameter("cube.nothing"), nullptr);
}

// read is store's inverse: storing what a spec holds changes nothing, and storing a new value
// reads back as that value.
TEST(ParameterTable, EveryParameterReadsBackWhatItStores) {
  const TopologySpec spec = load_topology_file(KERNBENCH_SOURCE_DIR "/configs/ahbm_multi_sip.yaml");
  for (const Parameter& p : topology_parameters()) {
    TopologySpec same = spec;
    p.store(same, p.read(spec));
    EXPECT_EQ(same, spec) << p.key;
  }
  TopologySpec changed = spec;
  const Parameter& tcm = *find_parameter("cube.pe_template.components.pe_tcm.attrs.latency");
  tcm.store(changed, SimTime::from_ps(3000));
  EXPECT_EQ(parameter_text(tcm.read(changed)), "3 ns");
  const Parameter& macs =
      *find_parameter("cube.pe_template.components.pe_core.attrs.matrix_macs_per_cycle.i8");
  macs.store(changed, std::int64_t{0});
  EXPECT_EQ(parameter_text(macs.read(changed)), "0");
  EXPECT_EQ(parameter_text(find_parameter("system.sips.interconnect")->read(spec)),
            std::string(name(spec.system.interconnect)));
  const Parameter& model = *find_parameter("system.fabric_model");
  model.store(changed, FabricModel::flows);
  EXPECT_EQ(parameter_text(model.read(changed)), "flows");
}

TEST(ParameterTable, LegacyKeysAreRequired) {
  for (std::string_view key :
       {"system.sips.count", "sip.cube_mesh.w", "sip.cube_mesh.h", "cube.pe_layout.corners",
        "cube.pe_layout.pe_per_corner", "cube.memory_map.hbm_total_gb_per_cube",
        "cube.memory_map.hbm_slices_per_cube", "cube.pe_template.components.pe_tcm.attrs.size_mb",
        "cube.pe_template.components.pe_mmu.attrs.page_size"}) {
    ASSERT_NE(find_parameter(key), nullptr) << key;
    EXPECT_TRUE(find_parameter(key)->required()) << key;
  }
}

// Every key of the table appears in configs/README.md, which later work reads for the names.
TEST(ParameterTable, ReadmeNamesEveryKey) {
  std::ifstream in(std::string(KERNBENCH_SOURCE_DIR) + "/configs/README.md");
  ASSERT_TRUE(in);
  const std::string readme((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const Parameter& p : topology_parameters()) {
    EXPECT_NE(readme.find(std::string(p.key)), std::string::npos) << p.key;
  }
}

}  // namespace
}  // namespace kernbench::topo
