#include "kernbench/rt/placement.h"

#include <gtest/gtest.h>

#include "rt_test_support.h"

#include "kernbench/base/error.h"

namespace kernbench::rt {
namespace {

using base::DType;
using topo::PeCoord;

// One expected shard: PE, global offset, local shape, part, byte offset (f32 elements).
struct Want {
  PeCoord pe;
  Shape offset;
  Shape shape;
  int part;
  std::uint64_t byte_offset;
};

enum class Level { sip, cube, pe };

struct Case {
  Level level;
  Split split;
  Shape shape;
  std::vector<Want> want;
};

Placement at(Level level, Split split) {
  const LevelPlacement all{split, 0};
  Placement p;
  if (level == Level::sip) p.sip = all;
  if (level == Level::cube) p.cube = all;
  if (level == Level::pe) p.pe = all;
  return p;
}

// The machine of rt_test_support.h: 2 SIPs, 2 cubes per SIP, 4 PEs per cube. One level spreads
// over all its units, the others keep one; every entry below is worked out by hand.
const std::vector<Case> kTable = {
    // SIP level: shards on (0,0,0) and (1,0,0).
    {Level::sip, Split::replicate, {8}, {{{0, 0, 0}, {0}, {8}, 0, 0}, {{1, 0, 0}, {0}, {8}, 0, 0}}},
    {Level::sip, Split::rows, {8}, {{{0, 0, 0}, {0}, {4}, 0, 0}, {{1, 0, 0}, {4}, {4}, 1, 16}}},
    {Level::sip, Split::columns, {8}, {{{0, 0, 0}, {0}, {4}, 0, 0}, {{1, 0, 0}, {4}, {4}, 1, 16}}},
    {Level::sip,
     Split::replicate,
     {4, 8},
     {{{0, 0, 0}, {0, 0}, {4, 8}, 0, 0}, {{1, 0, 0}, {0, 0}, {4, 8}, 0, 0}}},
    {Level::sip,
     Split::rows,
     {4, 8},
     {{{0, 0, 0}, {0, 0}, {2, 8}, 0, 0}, {{1, 0, 0}, {2, 0}, {2, 8}, 1, 64}}},
    {Level::sip,
     Split::columns,
     {4, 8},
     {{{0, 0, 0}, {0, 0}, {4, 4}, 0, 0}, {{1, 0, 0}, {0, 4}, {4, 4}, 1, 16}}},
    // Cube level: shards on (0,0,0) and (0,1,0).
    {Level::cube,
     Split::replicate,
     {8},
     {{{0, 0, 0}, {0}, {8}, 0, 0}, {{0, 1, 0}, {0}, {8}, 0, 0}}},
    {Level::cube, Split::rows, {8}, {{{0, 0, 0}, {0}, {4}, 0, 0}, {{0, 1, 0}, {4}, {4}, 1, 16}}},
    {Level::cube, Split::columns, {8}, {{{0, 0, 0}, {0}, {4}, 0, 0}, {{0, 1, 0}, {4}, {4}, 1, 16}}},
    {Level::cube,
     Split::replicate,
     {4, 8},
     {{{0, 0, 0}, {0, 0}, {4, 8}, 0, 0}, {{0, 1, 0}, {0, 0}, {4, 8}, 0, 0}}},
    {Level::cube,
     Split::rows,
     {4, 8},
     {{{0, 0, 0}, {0, 0}, {2, 8}, 0, 0}, {{0, 1, 0}, {2, 0}, {2, 8}, 1, 64}}},
    {Level::cube,
     Split::columns,
     {4, 8},
     {{{0, 0, 0}, {0, 0}, {4, 4}, 0, 0}, {{0, 1, 0}, {0, 4}, {4, 4}, 1, 16}}},
    // PE level: shards on (0,0,0..3).
    {Level::pe,
     Split::replicate,
     {8},
     {{{0, 0, 0}, {0}, {8}, 0, 0},
      {{0, 0, 1}, {0}, {8}, 0, 0},
      {{0, 0, 2}, {0}, {8}, 0, 0},
      {{0, 0, 3}, {0}, {8}, 0, 0}}},
    {Level::pe,
     Split::rows,
     {8},
     {{{0, 0, 0}, {0}, {2}, 0, 0},
      {{0, 0, 1}, {2}, {2}, 1, 8},
      {{0, 0, 2}, {4}, {2}, 2, 16},
      {{0, 0, 3}, {6}, {2}, 3, 24}}},
    {Level::pe,
     Split::columns,
     {8},
     {{{0, 0, 0}, {0}, {2}, 0, 0},
      {{0, 0, 1}, {2}, {2}, 1, 8},
      {{0, 0, 2}, {4}, {2}, 2, 16},
      {{0, 0, 3}, {6}, {2}, 3, 24}}},
    {Level::pe,
     Split::replicate,
     {4, 8},
     {{{0, 0, 0}, {0, 0}, {4, 8}, 0, 0},
      {{0, 0, 1}, {0, 0}, {4, 8}, 0, 0},
      {{0, 0, 2}, {0, 0}, {4, 8}, 0, 0},
      {{0, 0, 3}, {0, 0}, {4, 8}, 0, 0}}},
    {Level::pe,
     Split::rows,
     {4, 8},
     {{{0, 0, 0}, {0, 0}, {1, 8}, 0, 0},
      {{0, 0, 1}, {1, 0}, {1, 8}, 1, 32},
      {{0, 0, 2}, {2, 0}, {1, 8}, 2, 64},
      {{0, 0, 3}, {3, 0}, {1, 8}, 3, 96}}},
    {Level::pe,
     Split::columns,
     {4, 8},
     {{{0, 0, 0}, {0, 0}, {4, 2}, 0, 0},
      {{0, 0, 1}, {0, 2}, {4, 2}, 1, 8},
      {{0, 0, 2}, {0, 4}, {4, 2}, 2, 16},
      {{0, 0, 3}, {0, 6}, {4, 2}, 3, 24}}},
};

void expect_shards(const std::vector<Shard>& got, const std::vector<Want>& want, DType dtype) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(fmt::format("shard {}", i));
    EXPECT_EQ(got[i].pe, want[i].pe);
    EXPECT_EQ(got[i].global_offset, want[i].offset);
    EXPECT_EQ(got[i].shape, want[i].shape);
    EXPECT_EQ(got[i].part, want[i].part);
    EXPECT_EQ(got[i].byte_offset.count(), want[i].byte_offset);
    EXPECT_EQ(got[i].size.count(), numel(want[i].shape) * base::size_bytes(dtype));
  }
}

TEST(Placement, EveryLevelAndPolicyOnOneAndTwoDimensions) {
  const auto spec = topo::default_topology(testing::small_machine());
  const Device sips = Device::all();
  for (const Case& c : kTable) {
    const Placement p = at(c.level, c.split);
    SCOPED_TRACE(fmt::format("{} on {}", p, to_string(c.shape)));
    expect_shards(resolve_placement(p, "t", c.shape, DType::f32, spec, sips), c.want, DType::f32);
  }
}

TEST(Placement, DefaultIsOneCopyOnTheDevicesFirstPe) {
  const auto spec = topo::default_topology(testing::small_machine());
  const Device sip1 = Device::sip(1);
  expect_shards(resolve_placement({}, "t", {3, 5}, DType::i16, spec, sip1),
                {{{1, 0, 0}, {0, 0}, {3, 5}, 0, 0}}, DType::i16);
}

TEST(Placement, LevelsComposeHierarchically) {
  const auto spec = topo::default_topology(testing::small_machine());
  const Device sips = Device::all();
  // [4, 8]: SIPs take row halves [2, 8], their cubes column halves [2, 4], two PEs each a row.
  const Placement p{LevelPlacement::rows(), LevelPlacement::columns(), LevelPlacement::rows(2)};
  const auto shards = resolve_placement(p, "t", {4, 8}, DType::f32, spec, sips);
  expect_shards(shards,
                {{{0, 0, 0}, {0, 0}, {1, 4}, 0, 0},
                 {{0, 0, 1}, {1, 0}, {1, 4}, 1, 32},
                 {{0, 1, 0}, {0, 4}, {1, 4}, 2, 16},
                 {{0, 1, 1}, {1, 4}, {1, 4}, 3, 48},
                 {{1, 0, 0}, {2, 0}, {1, 4}, 4, 64},
                 {{1, 0, 1}, {3, 0}, {1, 4}, 5, 96},
                 {{1, 1, 0}, {2, 4}, {1, 4}, 6, 80},
                 {{1, 1, 1}, {3, 4}, {1, 4}, 7, 112}},
                DType::f32);
  EXPECT_EQ(part_count(shards), 8);
}

TEST(Placement, ReplicasShareTheirPart) {
  const auto spec = topo::default_topology(testing::small_machine());
  const Device sips = Device::sip(0);
  // Cubes replicate, PEs split rows: cube 1 holds the same two parts as cube 0.
  const Placement p{{}, LevelPlacement::replicate(), LevelPlacement::rows(2)};
  expect_shards(resolve_placement(p, "t", {6}, DType::u8, spec, sips),
                {{{0, 0, 0}, {0}, {3}, 0, 0},
                 {{0, 0, 1}, {3}, {3}, 1, 3},
                 {{0, 1, 0}, {0}, {3}, 0, 0},
                 {{0, 1, 1}, {3}, {3}, 1, 3}},
                DType::u8);
}

// Placing a 16-element tensor 'x' with `p` on `device` of the small machine fails with `message`.
void expect_shape_error(const Placement& p, Device device, const std::string& message) {
  const auto spec = topo::default_topology(testing::small_machine());
  try {
    resolve_placement(p, "x", {16}, DType::f32, spec, device);
    ADD_FAILURE() << "no ShapeError for " << message;
  } catch (const base::ShapeError& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(PlacementErrors, ADimensionThatDoesNotDivideNamesTensorDimensionSizeAndParts) {
  const auto spec = topo::default_topology(testing::small_machine());
  const Device sips = Device::sip(0);
  try {
    resolve_placement({{}, {}, LevelPlacement::columns(3)}, "weights", {4, 8}, DType::f32, spec,
                      sips);
    FAIL() << "no ShapeError";
  } catch (const base::ShapeError& e) {
    EXPECT_EQ(std::string(e.what()),
              "tensor 'weights': dimension 1 of size 8 does not divide into 3 parts (split by "
              "columns at the PE level)");
  }
}

TEST(PlacementErrors, AskingForMoreUnitsThanExistIsAnError) {
  const auto fails = [](const Placement& p, const std::string& message) {
    expect_shape_error(p, Device::sip(0), message);
  };
  fails({LevelPlacement::rows(2), {}, {}},
        "tensor 'x': placement asks for 2 SIPs, but the device (sip 0) has 1");
  fails({{}, LevelPlacement::rows(3), {}},
        "tensor 'x': placement asks for 3 cubes, but a SIP has 2");
  fails({{}, {}, LevelPlacement::replicate(5)},
        "tensor 'x': placement asks for 5 PEs, but a cube has 4");
}

TEST(PlacementErrors, ZeroDimensionalTensorsOnlyReplicate) {
  const auto spec = topo::default_topology(testing::small_machine());
  const Device sip0 = Device::sip(0);
  EXPECT_EQ(
      resolve_placement({{}, {}, LevelPlacement::replicate()}, "s", {}, DType::f64, spec, sip0)
          .size(),
      4u);
  EXPECT_THROW(resolve_placement({{}, {}, LevelPlacement::rows()}, "s", {}, DType::f64, spec, sip0),
               base::ShapeError);
}

TEST(Placement, ACubeOrPeDeviceTakesItsOwnUnits) {
  const auto spec = topo::default_topology(testing::small_machine());
  expect_shards(resolve_placement({}, "t", {8}, DType::f32, spec, Device::cube({1, 1})),
                {{{1, 1, 0}, {0}, {8}, 0, 0}}, DType::f32);
  expect_shards(resolve_placement({}, "t", {8}, DType::f32, spec, Device::pe({0, 1, 3})),
                {{{0, 1, 3}, {0}, {8}, 0, 0}}, DType::f32);
  // Every PE of a cube device: its own cube's four.
  expect_shards(resolve_placement({{}, {}, LevelPlacement::rows()}, "t", {8}, DType::f32, spec,
                                  Device::cube({1, 0})),
                {{{1, 0, 0}, {0}, {2}, 0, 0},
                 {{1, 0, 1}, {2}, {2}, 1, 8},
                 {{1, 0, 2}, {4}, {2}, 2, 16},
                 {{1, 0, 3}, {6}, {2}, 3, 24}},
                DType::f32);
}

TEST(Placement, AChosenSipCubeOrPe) {
  const auto spec = topo::default_topology(testing::small_machine());
  expect_shards(
      resolve_placement(Placement::at({1, 1, 2}), "t", {8}, DType::f32, spec, Device::all()),
      {{{1, 1, 2}, {0}, {8}, 0, 0}}, DType::f32);
  // Two PEs from PE 2 of the chosen cube, each a half.
  const Placement p{{}, LevelPlacement::at(1), {Split::rows, 2, 2}};
  expect_shards(resolve_placement(p, "t", {8}, DType::f32, spec, Device::sip(1)),
                {{{1, 1, 2}, {0}, {4}, 0, 0}, {{1, 1, 3}, {4}, {4}, 1, 16}}, DType::f32);
  // count 0 from a chosen unit: the rest of the device's.
  const Placement rest{{}, {}, {Split::replicate, 0, 1}};
  EXPECT_EQ(resolve_placement(rest, "t", {8}, DType::f32, spec, Device::all()).size(), 3u);
  EXPECT_EQ(fmt::format("{}", p), "sip replicate(1), cube replicate(1 from 1), pe rows(2 from 2)");
}

TEST(PlacementErrors, AChosenUnitOutsideTheDevice) {
  const auto fails = expect_shape_error;
  fails(Placement::at({0, 0, 0}), Device::sip(1),
        "tensor 'x': placement asks for sip 0, but the device (sip 1) has SIPs 1..1");
  fails(Placement::at({0, 2, 0}), Device::all(),
        "tensor 'x': placement asks for cube 2, but a SIP has cubes 0..1");
  fails(Placement::at({0, 1, 0}), Device::cube({0, 0}),
        "tensor 'x': placement asks for cube 1, but the device (sip 0, cube 0) has cubes 0..0");
  fails({{}, {}, {Split::rows, 2, 3}}, Device::all(),
        "tensor 'x': placement asks for 2 PEs from pe 3, but a cube has PEs 0..3");
  fails({{}, {}, LevelPlacement::at(-2)}, Device::all(),
        "tensor 'x': placement asks for pe -2, but a cube has PEs 0..3");
  fails({{}, {}, LevelPlacement::rows(2)}, Device::pe({0, 0, 1}),
        "tensor 'x': placement asks for 2 PEs, but the device (sip 0, cube 0, pe 1) has 1");
}

}  // namespace
}  // namespace kernbench::rt
