#include "kernbench/base/name_suggestion.h"

#include <gtest/gtest.h>

namespace kernbench::base {
namespace {

TEST(NameSuggestion, EditDistance) {
  EXPECT_EQ(edit_distance("", ""), 0);
  EXPECT_EQ(edit_distance("ring", "ring"), 0);
  EXPECT_EQ(edit_distance("rnig", "ring"), 2);
  EXPECT_EQ(edit_distance("size_mb", "sise_mb"), 1);
  EXPECT_EQ(edit_distance("abc", ""), 3);
}

TEST(NameSuggestion, ClosestOnlyWhenItLooksLikeATypo) {
  const std::vector<std::string> known{"ring_tcm_8", "hbm_8", "sram_8", "tree_binary_7"};
  EXPECT_EQ(closest_name("ring_tmc_8", known), "ring_tcm_8");
  EXPECT_EQ(closest_name("hbm8", known), "hbm_8");
  EXPECT_EQ(closest_name("mesh_2x2", known), std::nullopt);
}

TEST(NameSuggestion, MessageListsTheKnownNames) {
  const std::vector<std::string> known{"softmax", "matmul"};
  EXPECT_EQ(unknown_name_message("kernel", "softmx", known),
            "unknown kernel 'softmx' (did you mean 'softmax'?); known: softmax, matmul");
  EXPECT_EQ(unknown_name_message("kernel", "gemm", known),
            "unknown kernel 'gemm'; known: softmax, matmul");
  EXPECT_EQ(unknown_name_message("kernel", "gemm", {}), "unknown kernel 'gemm'; none are known");
}

}  // namespace
}  // namespace kernbench::base
