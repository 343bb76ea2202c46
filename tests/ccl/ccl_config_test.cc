#include "kernbench/ccl/ccl_config.h"

#include <gtest/gtest.h>

#include "kernbench/base/error.h"
#include "kernbench/ccl/algorithm_registry.h"

namespace kernbench::ccl {
namespace {

using namespace base::literals;

const std::vector<std::string>& kinds() {
  static const std::vector<std::string> k = default_algorithm_registry().kinds();
  return k;
}

std::string problems_of(std::string_view yaml) {
  try {
    load_ccl_text(yaml, "c.yaml", kinds());
  } catch (const base::ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(CclConfig, DefaultHasTheNamesBenchesUse) {
  const CclConfig c = default_ccl_config(kinds());
  for (const char* name : {"ring_default_ws", "ring_tcm_8", "hbm_8", "sram_8", "multi_cube",
                           "mesh_2x2", "tree_binary_7", "halving_doubling_8"})
    EXPECT_NO_THROW(c.find(name)) << name;
  const AlgorithmEntry& hbm = c.find("hbm_8");
  EXPECT_EQ(hbm.kind, "ring");
  EXPECT_EQ(hbm.world_size, 8);
  EXPECT_EQ(hbm.buffer, mem::MemoryKind::hbm);
  EXPECT_EQ(hbm.chunk_size, 64_KiB);  // from defaults
  EXPECT_EQ(c.find("ring_default_ws").world_size, std::nullopt);
  EXPECT_EQ(c.find("mesh_2x2").mapping, RankMapping::cube_major);
  EXPECT_EQ(c.find("mesh_2x2").mesh_rows, 2);
  EXPECT_EQ(c.find("tree_binary_7").fanout, 2);
  EXPECT_EQ(c.find("tree_binary_7").origin, "<embedded configs/ccl.yaml>:38:3");
}

TEST(CclConfig, EntriesOverrideDefaultsAndListRanks) {
  const CclConfig c = load_ccl_text(R"(
defaults: {buffer: sram, chunk_size: "16 KiB"}
algorithms:
  pair:
    kind: ring
    ranks: [[0, 0, 0], [0, 3, 7]]
    chunk_size: 4096
)",
                                    "c.yaml", kinds());
  const AlgorithmEntry& e = c.find("pair");
  EXPECT_EQ(e.buffer, mem::MemoryKind::sram);
  EXPECT_EQ(e.chunk_size, 4_KiB);
  EXPECT_EQ(e.mapping, RankMapping::explicit_list);
  EXPECT_EQ(e.world_size, 2);
  EXPECT_EQ(e.ranks[1], (topo::PeCoord{0, 3, 7}));
}

TEST(CclConfigErrors, EveryProblemWithPositionAndKeyPath) {
  EXPECT_EQ(
      problems_of(R"(
defaults: {bufer: tcm}
algorithms:
  a: {kind: rnig, world_size: 0}
  b: {kind: tree, mesh: {rows: 2, cols: 2}, fanout: -1}
  c: {world_size: 4, buffer: l2}
)"),
      "7 problems:\n"
      "  c.yaml:2:12: defaults.bufer: unknown key, did you mean defaults.buffer?\n"
      "  c.yaml:4:13: algorithms.a.kind: unknown algorithm kind 'rnig' (did you mean 'ring'?); "
      "known: ring, tree, mesh_2d, halving_doubling, hierarchical, msccl\n"
      "  c.yaml:4:31: algorithms.a.world_size: expected a positive integer, found 0\n"
      "  c.yaml:5:53: algorithms.b.fanout: expected a positive integer, found -1\n"
      "  c.yaml:5:25: algorithms.b.mesh: applies only to kind mesh_2d\n"
      "  c.yaml:6:6: algorithms.c.kind: missing: every entry names its algorithm kind\n"
      "  c.yaml:6:30: algorithms.c.buffer: expected one of tcm | sram | hbm, found \"l2\"");
}

// 4100 x 1047553 is 4 in 32 bits: the product is compared exactly, not wrapped.
TEST(CclConfigErrors, MeshSidesWhoseProductPassesTwoToThe31) {
  EXPECT_EQ(problems_of("algorithms: {m: {kind: mesh_2d, world_size: 4, mesh: {rows: 4100, cols: "
                        "1047553}}}"),
            "c.yaml:1:54: algorithms.m.mesh: expected rows x cols = world_size 4, found 4100 x "
            "1047553");
}

// Counts and rank coordinates out of range are problems at their element, never truncated:
// 4294967296 is 0 as a 32-bit int.
TEST(CclConfigErrors, CountsAndCoordinatesOutOfRange) {
  EXPECT_EQ(
      problems_of(R"(algorithms:
  a: {kind: ring, world_size: 2000000}
  b: {kind: ring, ranks: [[0, 0, 0], [4294967296, 0, 1]]}
  c: {kind: ring, ranks: [[0, -1, 0], 7]}
  d: {kind: tree, fanout: 99999999999999999999}
  e: {kind: mesh_2d, mesh: {rows: 1048577, cols: 1}}
)"),
      "6 problems:\n"
      "  c.yaml:2:31: algorithms.a.world_size: expected a positive integer of at most "
      "1048576, found 2000000\n"
      "  c.yaml:3:39: algorithms.b.ranks[1][0]: expected a non-negative integer of at most "
      "1048576, found 4294967296\n"
      "  c.yaml:4:31: algorithms.c.ranks[0][1]: expected a non-negative integer, found -1\n"
      "  c.yaml:4:39: algorithms.c.ranks[1]: expected [sip, cube, pe], found \"7\"\n"
      "  c.yaml:5:27: algorithms.d.fanout: expected an integer, found "
      "\"99999999999999999999\"\n"
      "  c.yaml:6:35: algorithms.e.mesh.rows: expected a positive integer of at most 1048576, "
      "found 1048577");
}

// Nothing is silently dropped: a repeated key, entry or `algorithms:` block is a problem where it
// repeats (naming the first), and an entry or key must be a name.
TEST(CclConfigErrors, DuplicatesAndNonScalarNames) {
  EXPECT_EQ(problems_of(R"(defaults: {buffer: tcm, buffer: sram}
algorithms:
  a: {kind: ring, world_size: 8, world_size: 99999}
  a: {kind: tree}
  [x, y]: {kind: ring}
  "": {kind: ring}
  b:
    kind: mesh_2d
    mesh: {rows: 2, rows: 3, cols: 2}
algorithms:
  c: {kind: ring}
)"),
            "7 problems:\n"
            "  c.yaml:10:1: algorithms: duplicate key, first given at c.yaml:2:1\n"
            "  c.yaml:1:25: defaults.buffer: duplicate key, first given at c.yaml:1:12\n"
            "  c.yaml:3:34: algorithms.a.world_size: duplicate key, first given at c.yaml:3:19\n"
            "  c.yaml:4:3: algorithms.a: duplicate entry name, first given at c.yaml:3:3\n"
            "  c.yaml:5:3: algorithms: expected an entry name, found a list\n"
            "  c.yaml:6:3: algorithms: expected an entry name, found an empty one\n"
            "  c.yaml:9:21: algorithms.b.mesh.rows: duplicate key, first given at c.yaml:9:12");
}

TEST(CclConfigErrors, UnknownEntryNameListsTheKnownOnes) {
  const CclConfig c = default_ccl_config(kinds());
  try {
    c.find("ring_tmc_8");
    FAIL() << "no error";
  } catch (const base::NotFoundError& e) {
    EXPECT_EQ(std::string(e.what()),
              "unknown ccl algorithm 'ring_tmc_8' (did you mean 'ring_tcm_8'?); known: "
              "ring_default_ws, ring_tcm_8, hbm_8, sram_8, multi_cube, mesh_2x2, tree_binary_7, "
              "halving_doubling_8 (in <embedded configs/ccl.yaml>)");
  }
}

TEST(CclConfigErrors, NotYamlAndNoFile) {
  EXPECT_EQ(problems_of("algorithms: [unclosed"),
            "c.yaml:1:1: not valid YAML: end of sequence flow not found");
  EXPECT_THROW(load_ccl_file("/nonexistent/ccl.yaml", kinds()), base::ConfigError);
}

}  // namespace
}  // namespace kernbench::ccl
