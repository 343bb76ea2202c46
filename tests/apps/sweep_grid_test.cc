// The sweep's grid (--sweep parsing, point order) and its progress bar, through the CLI library.
#include "kernbench/sweep_grid.h"

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "kernbench/base/error.h"
#include "kernbench/progress_bar.h"

namespace kernbench::apps {
namespace {

TEST(SweepGrid, ParsesValuesWithUnitsAndTheFirstAxisVariesSlowest) {
  std::vector<SweepAxis> axes;
  axes.push_back(parse_sweep_axis("sip.cube_mesh.link.bandwidth = 128 GB/s, 512 GB/s", axes));
  axes.push_back(parse_sweep_axis("cube.pe_template.components.pe_dma.attrs.channels=1,2,4", axes));
  EXPECT_EQ(axes[0].key, "sip.cube_mesh.link.bandwidth");
  EXPECT_EQ(axes[0].values, (std::vector<std::string>{"128 GB/s", "512 GB/s"}));
  const std::vector<SweepPointSpec> grid = sweep_grid(axes);
  ASSERT_EQ(grid.size(), 6u);
  EXPECT_EQ(grid[0].values, (std::vector<std::string>{"128 GB/s", "1"}));
  EXPECT_EQ(grid[2].values, (std::vector<std::string>{"128 GB/s", "4"}));
  EXPECT_EQ(grid[3].values, (std::vector<std::string>{"512 GB/s", "1"}));
  EXPECT_EQ(grid[5].overrides(axes),
            (std::vector<std::string>{"sip.cube_mesh.link.bandwidth=512 GB/s",
                                      "cube.pe_template.components.pe_dma.attrs.channels=4"}));
}

TEST(SweepGridErrors, NamesTheItemAndWhatIsWrong) {
  const auto message = [](const std::string& text, const std::vector<SweepAxis>& earlier) {
    try {
      parse_sweep_axis(text, earlier);
    } catch (const base::ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("a.b", {}), "--sweep a.b: expected KEY=v1,v2,...");
  EXPECT_EQ(message("=1,2", {}), "--sweep =1,2: the key is missing");
  EXPECT_EQ(message("a.b=1,,2", {}), "--sweep a.b=1,,2: an empty value");
  EXPECT_EQ(message("a.b=3", {SweepAxis{"a.b", {"1"}}}),
            "--sweep a.b=3: this key is already swept");
}

TEST(ProgressBar, DrawsInPlaceAndClearsItsLine) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  {
    ProgressBar bar("sweep", 4, true, out);
    bar.advance();
    bar.advance();
  }
  std::rewind(out);
  std::string text;
  for (int c; (c = std::fgetc(out)) != EOF;) text += static_cast<char>(c);
  std::fclose(out);
  EXPECT_NE(text.find("\rsweep [" + std::string(15, '#') + std::string(15, '.') + "] 2/4"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.back(), '\r');  // the last write clears the line and returns to its start
  std::FILE* silent = std::tmpfile();
  { ProgressBar("sweep", 4, false, silent).advance(); }
  EXPECT_EQ(std::ftell(silent), 0);
  std::fclose(silent);
}

}  // namespace
}  // namespace kernbench::apps
