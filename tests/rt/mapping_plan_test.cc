#include "kernbench/rt/mapping_plan.h"

#include <gtest/gtest.h>

#include "rt_test_support.h"

namespace kernbench::rt {
namespace {

using topo::PeCoord;

std::vector<Shard> shards_of(const Placement& p, Device device) {
  const auto spec = topo::default_topology(testing::small_machine());
  return resolve_placement(p, "t", {8, 8}, base::DType::f32, spec, device);
}

TEST(MappingPlan, NearestCopyIsOwnThenSameCubeThenTheSipsFirst) {
  // Cubes replicate, two PEs per cube split rows: parts 0 and 1 on PEs 0 and 1 of each cube.
  const auto shards =
      shards_of({{}, LevelPlacement::replicate(), LevelPlacement::rows(2)}, Device::sip(0));
  EXPECT_EQ(shards[nearest_copy(shards, 1, {0, 1, 1})].pe, (PeCoord{0, 1, 1}));  // its own
  EXPECT_EQ(shards[nearest_copy(shards, 0, {0, 1, 3})].pe, (PeCoord{0, 1, 0}));  // same cube
  EXPECT_EQ(nearest_copy(shards, 0, {1, 0, 0}), npos);                           // SIP 1 holds none
  const auto one = shards_of({{}, LevelPlacement::rows(), {}}, Device::sip(0));
  EXPECT_EQ(one[nearest_copy(one, 1, {0, 0, 3})].pe, (PeCoord{0, 1, 0}));  // the SIP's only copy
}

TEST(MappingPlan, PesMappingTheSameCopyShareOneRequest) {
  const auto spec = topo::default_topology(testing::small_machine());
  // Cube replicate: per cube one request for its 4 PEs.
  const auto rep = shards_of({{}, LevelPlacement::replicate(), {}}, Device::sip(0));
  const auto plan = plan_mappings(spec, rep);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].targets.pes(), hw::Targets::cube(spec, {0, 0}).pes());
  EXPECT_EQ(plan[1].targets.pes(), hw::Targets::cube(spec, {0, 1}).pes());
  // Split over the cubes of both SIPs: each SIP maps its own two parts on all its PEs.
  const auto split = shards_of({LevelPlacement::rows(), LevelPlacement::rows(), {}}, Device::all());
  const auto plan2 = plan_mappings(spec, split);
  ASSERT_EQ(plan2.size(), 4u);
  for (const PartMapping& m : plan2) {
    EXPECT_EQ(m.targets.pes(), hw::Targets::sip(spec, split[m.source].pe.sip).pes());
    EXPECT_EQ(split[m.source].part, m.part);
  }
}

}  // namespace
}  // namespace kernbench::rt
