// The repository obeys the layer rule, and the check itself catches a violation.
#include "layer_rule.h"

#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

namespace kernbench::tests {
namespace {

namespace fs = std::filesystem;

TEST(LayerRule, RepositoryHasNoUpwardIncludes) {
  const auto violations = layer_violations(KERNBENCH_SOURCE_DIR);
  EXPECT_TRUE(violations.empty()) << fmt::format("{}", fmt::join(violations, "\n"));
}

TEST(LayerRule, TableFollowsDesign) {
  EXPECT_TRUE(may_include("mem", "topo"));
  EXPECT_TRUE(may_include("hw", "sim"));
  EXPECT_FALSE(may_include("sim", "topo"));
  EXPECT_FALSE(may_include("tl", "ccl"));  // siblings
  EXPECT_FALSE(may_include("ccl", "tl"));
  EXPECT_FALSE(may_include("base", "sim"));
  EXPECT_TRUE(may_include("apps", "report"));
  EXPECT_EQ(layer_of_path("src/kernbench/hw/link.h"), "hw");
  EXPECT_EQ(layer_of_path("benches/gemm.cc"), "apps");
  EXPECT_EQ(layer_of_path("docs/x.md"), std::nullopt);
}

// A scratch tree with one legal and two illegal includes: the check must name exactly those two.
TEST(LayerRule, CatchesUpwardAndSiblingIncludes) {
  const fs::path root = fs::path(KERNBENCH_BINARY_DIR) / "layer_rule_scratch";
  fs::remove_all(root);
  fs::create_directories(root / "src/kernbench/mem");
  fs::create_directories(root / "src/kernbench/tl");
  std::ofstream(root / "src/kernbench/mem/bad.h") << "#pragma once\n"
                                                     "#include \"kernbench/topo/coord.h\"\n"
                                                     "#include \"kernbench/hw/system.h\"\n";
  std::ofstream(root / "src/kernbench/tl/bad.cc") << "#include <vector>\n"
                                                     "  #  include \"kernbench/ccl/group.h\"\n";
  const auto violations = layer_violations(root);
  ASSERT_EQ(violations.size(), 2u) << fmt::format("{}", fmt::join(violations, "\n"));
  EXPECT_EQ(
      violations[0],
      "src/kernbench/mem/bad.h:3: 'mem' may not include 'kernbench/hw/system.h' (layer 'hw')");
  EXPECT_EQ(
      violations[1],
      "src/kernbench/tl/bad.cc:2: 'tl' may not include 'kernbench/ccl/group.h' (layer 'ccl')");
  fs::remove_all(root);
}

}  // namespace
}  // namespace kernbench::tests
