// The HTML report of synthetic activity as a browser draws it: headless Chromium (chromium_page.h)
// loads a copy of the report with a small counting script appended, and the test checks each
// chart has the expected number of drawn series (groups with a non-zero bounding box); then it
// screenshots the report itself to <build>/artifacts/report.png. Real runs of the default and
// the 4-SIP machine are rendered by tests/apps/report_page_test.cc.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "chromium_page.h"
#include "sample_activity.h"
#include "sample_run.h"

#include "kernbench/report/html_report.h"

namespace kernbench::report {
namespace {

namespace fs = std::filesystem;
using tests::chromium::read_file;
using tests::chromium::run;

// Appended before </body> of the probe copy: writes "COUNTS chart=n ... HEIGHT h" into the DOM.
constexpr std::string_view kProbe = R"(<pre id="kernbench-probe"></pre><script>
const counts = [];
for (const chart of document.querySelectorAll('svg[data-chart]')) {
  let drawn = 0;
  for (const g of chart.querySelectorAll('g[data-series]')) {
    const box = g.getBoundingClientRect();
    if (box.width > 0 && box.height > 0) drawn++;
  }
  counts.push(chart.dataset.chart + '=' + drawn);
}
document.getElementById('kernbench-probe').textContent =
    'COUNTS ' + counts.join(' ') + ' HEIGHT ' + document.documentElement.scrollHeight + ' END';
</script>
)";

TEST(HtmlReportRender, ChromiumDrawsEveryChartsSeries) {
  const std::string chromium = tests::chromium::binary();
  ASSERT_FALSE(chromium.empty())
      << "headless Chromium not found: run scripts/install-deps (Debian package chromium) or set "
         "KERNBENCH_CHROMIUM";
  const fs::path artifacts = fs::path(KERNBENCH_BINARY_DIR) / "artifacts";
  fs::create_directories(artifacts);
  const auto spec = testing::two_sip_spec();
  ActivityRecorder activity;
  testing::fill_sample_activity(activity, spec);
  const fs::path report = artifacts / "report.html";
  write_html_report(report, testing::sample_run(), &activity, &spec);

  const std::string dumped = tests::chromium::dump_with_probe(chromium, report, kProbe, "1400,900");
  ASSERT_FALSE(dumped.empty()) << "chromium failed; see " << artifacts.string()
                               << "/report_probe.dom.html.stderr";
  std::smatch found;
  ASSERT_TRUE(std::regex_search(dumped, found, std::regex("COUNTS (.*) HEIGHT (\\d+) END")))
      << "the probe script did not run";
  EXPECT_EQ(found[1].str(), "timeline=5 timeline-every-pe=5 link-heat-map=3 busbw=2 sweep=1");
  const int height = std::stoi(found[2].str());
  EXPECT_GT(height, 1000);

  const fs::path png = artifacts / "report.png";
  fs::remove(png);
  const std::string size = fmt::format("--window-size=1400,{}", std::min(height + 20, 16000));
  ASSERT_EQ(run(chromium, artifacts, size + " --screenshot=" + png.string(), report,
                artifacts / "report_screenshot.log"),
            0);
  ASSERT_TRUE(fs::exists(png));
  EXPECT_EQ(read_file(png).substr(1, 3), "PNG");
  EXPECT_GT(fs::file_size(png), 10'000u);
}

}  // namespace
}  // namespace kernbench::report
