// The HTML report as a browser draws it: headless Chromium (Debian's chromium package, installed
// by scripts/install-deps) loads a copy of the report with a small counting script appended, and
// the test checks each chart has the expected number of drawn series (groups with a non-zero
// bounding box); then it screenshots the report itself to <build>/artifacts/report.png.
// Works without a display or a sandbox (CI runs as root); every Chromium run has a time limit.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sample_activity.h"
#include "sample_run.h"

#include "kernbench/report/html_report.h"

namespace kernbench::report {
namespace {

namespace fs = std::filesystem;

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

std::string chromium_binary() {
  if (const char* given = std::getenv("KERNBENCH_CHROMIUM")) return given;
  for (const char* dir : {"/usr/bin", "/usr/local/bin", "/snap/bin"})
    for (const char* name : {"chromium", "chromium-browser", "google-chrome"})
      if (fs::exists(fs::path(dir) / name)) return (fs::path(dir) / name).string();
  return {};
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs Chromium headless on `page` with `args`, stdout to `out`; its own profile and HOME, so
// runs never share state, and a hard time limit so a stuck browser fails the test, not CI.
int run_chromium(const std::string& chromium, const fs::path& work, const std::string& args,
                 const fs::path& page, const fs::path& out) {
  const fs::path home = work / "chromium-home";
  fs::create_directories(home);
  const std::string command = fmt::format(
      "env HOME='{0}' timeout --kill-after=10 90 '{1}' --headless --no-sandbox --disable-gpu "
      "--disable-dev-shm-usage --no-first-run --no-default-browser-check --hide-scrollbars "
      "--user-data-dir='{0}/profile' {2} 'file://{3}' >'{4}' 2>'{4}.stderr'",
      home.string(), chromium, args, page.string(), out.string());
  return std::system(command.c_str());
}

TEST(HtmlReportRender, ChromiumDrawsEveryChartsSeries) {
  const std::string chromium = chromium_binary();
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

  std::string probe = read_file(report);
  probe.insert(probe.rfind("</body>"), kProbe);
  const fs::path probe_page = artifacts / "report_probe.html";
  std::ofstream(probe_page, std::ios::binary) << probe;
  const fs::path dom = artifacts / "report_probe.dom.html";
  ASSERT_EQ(run_chromium(chromium, artifacts, "--dump-dom", probe_page, dom), 0)
      << "chromium failed; see " << dom.string() << ".stderr";

  std::smatch found;
  const std::string dumped = read_file(dom);
  ASSERT_TRUE(std::regex_search(dumped, found, std::regex("COUNTS (.*) HEIGHT (\\d+) END")))
      << "the probe script did not run";
  EXPECT_EQ(found[1].str(), "timeline=5 timeline-every-pe=5 link-heat-map=3 busbw=2 sweep=1");
  const int height = std::stoi(found[2].str());
  EXPECT_GT(height, 1000);

  const fs::path png = artifacts / "report.png";
  fs::remove(png);
  const std::string size = fmt::format("--window-size=1400,{}", std::min(height + 20, 16000));
  ASSERT_EQ(run_chromium(chromium, artifacts, size + " --screenshot=" + png.string(), report,
                         artifacts / "report_screenshot.log"),
            0);
  ASSERT_TRUE(fs::exists(png));
  EXPECT_EQ(read_file(png).substr(1, 3), "PNG");
  EXPECT_GT(fs::file_size(png), 10'000u);
}

}  // namespace
}  // namespace kernbench::report
