// Golden-file comparison shared by the golden tests: compares text with a reviewed file under
// the source tree, or rewrites the file when KERNBENCH_UPDATE_GOLDEN is set (then review the diff).
#pragma once

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

namespace kernbench::tests {

/// Expects `actual` to equal the file at `relative_path` (from the source root), byte for byte.
inline void expect_matches_golden(const std::string& actual, const std::string& relative_path) {
  const std::string path = std::string(KERNBENCH_SOURCE_DIR) + "/" + relative_path;
  if (std::getenv("KERNBENCH_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    GTEST_SKIP() << "regenerated " << path;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path;
  const std::string golden{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_EQ(actual, golden) << "regenerate with KERNBENCH_UPDATE_GOLDEN=1 if intended";
}

}  // namespace kernbench::tests
