// The HTML report of real runs of the default machine and of four SIPs reads at 128 PEs (issue
// 17): the timeline folds alike PEs into at most 24 rows, its legend comes first, the benches are
// named over its time axis, every chart fits a 1400 px window, the heat map shows differences,
// and the all-reduce is drawn with PE activity instead of a grey gap -- checked in the markup,
// then as headless Chromium lays the page out in a 1400 px window (report/chromium_page.h), with
// a screenshot of each page in <build>/artifacts/.
#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "command_runner.h"
#include "report/chromium_page.h"

namespace kernbench::tests {
namespace {

std::vector<std::string> all_of(const std::string& text, const std::string& pattern) {
  std::vector<std::string> found;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it)
    found.push_back((*it)[1]);
  return found;
}

std::string chart(const std::string& html, const std::string& name) {
  const std::size_t from = html.find("<svg data-chart=\"" + name + "\"");
  if (from == std::string::npos) return {};
  return html.substr(from, html.find("</svg>", from) - from);
}

// The report of a real run of the default suite, written to <build>/artifacts/NAME.html.
std::filesystem::path report_of(const std::string& name, const std::string& options) {
  const auto dir = std::filesystem::path(KERNBENCH_BINARY_DIR) / "artifacts";
  std::filesystem::create_directories(dir);
  const auto html = dir / (name + ".html");
  const auto run =
      run_kernbench_split(options + " run --timing-only --quiet --report '" + html.string() + "'");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return html;
}

// Appended to a copy of the page: what a reader of a 1400 px window sees, as JSON in the DOM.
// Charts inside a closed <details> are not seen (the every-PE timeline until it is opened).
constexpr std::string_view kProbe = R"(<pre id="kernbench-probe"></pre><script>
(() => {
  const shown = (e) => !e.closest('details:not([open]) > :not(summary)');
  const box = (e) => e.getBoundingClientRect();
  const visible = (e) => shown(e) && box(e).width > 0 && box(e).height > 0;
  const out = {viewport: [window.innerWidth, window.innerHeight],
               height: document.documentElement.scrollHeight, series: {}, outside: [],
               clipped: []};
  const legend = document.querySelector('.legend');
  out.legend_bottom = legend ? box(legend).bottom : -1;
  const timeline = document.querySelector('svg[data-chart="timeline"]');
  const titled = (selector) => timeline ? [...timeline.querySelectorAll(selector)]
      .filter((t) => visible(t) && t.querySelector('title')) : [];
  out.rows = titled('text.small').length;
  out.axis_names = titled('text[text-anchor="middle"]')
      .map((t) => t.querySelector('title').textContent);
  for (const chart of document.querySelectorAll('svg[data-chart]')) {
    if (!visible(chart)) continue;
    const groups = [...chart.querySelectorAll('g[data-series]')];
    out.series[chart.dataset.chart] = [groups.length, groups.filter(visible).length];
    const c = box(chart);
    for (const t of chart.querySelectorAll('text')) {
      const b = box(t);
      if (b.width > 0 && (b.left < c.left - 0.5 || b.right > c.right + 0.5 ||
                          b.top < c.top - 0.5 || b.bottom > c.bottom + 0.5))
        out.clipped.push(chart.dataset.chart + ': ' + t.textContent.slice(0, 60));
    }
  }
  const fills = new Set(), loads = new Set();
  const heat = document.querySelector('svg[data-chart="link-heat-map"]');
  for (const t of heat ? heat.querySelectorAll('title') : []) {
    const load = /^(?:sip|mesh).* ([0-9]+%)$/.exec(t.textContent);
    if (!load) continue;
    const shape = t.parentElement, fill = shape.getAttribute('fill');
    fills.add(fill && fill !== 'none' ? fill : shape.getAttribute('stroke'));
    loads.add(load[1]);
  }
  out.heat_fills = fills.size;
  out.heat_loads = loads.size;
  for (const e of document.body.querySelectorAll('*')) {
    if (!visible(e)) continue;
    const b = box(e);
    if (b.left < -0.5 || b.right > window.innerWidth + 0.5)
      out.outside.push(e.tagName + ' ' + Math.round(b.left) + '..' + Math.round(b.right));
  }
  document.getElementById('kernbench-probe').textContent = 'PROBE ' + JSON.stringify(out) + ' END';
})();
</script>
)";

// Point 3's checks as Chromium lays the page out in a 1400 x 900 window, and a screenshot of
// the whole page to <build>/artifacts/NAME.png.
void expect_reads_in_a_browser(const std::filesystem::path& report) {
  const std::string chromium = chromium::binary();
  ASSERT_FALSE(chromium.empty())
      << "headless Chromium not found: run scripts/install-deps (Debian package chromium) or set "
         "KERNBENCH_CHROMIUM";
  const std::string dom = chromium::dump_with_probe(chromium, report, kProbe, "1400,900");
  std::smatch found;
  ASSERT_TRUE(std::regex_search(dom, found, std::regex("PROBE (.*) END")))
      << "the probe did not run; see " << report.string() << " and its _probe files";
  const auto page = nlohmann::json::parse(found[1].str());
  SCOPED_TRACE(page.dump());
  const int viewport_height = page["viewport"][1];
  EXPECT_EQ(page["viewport"][0], 1400);
  EXPECT_GE(page["rows"].get<int>(), 2);
  EXPECT_LE(page["rows"].get<int>(), 24);
  EXPECT_LE(page["height"].get<int>(), 2500);
  EXPECT_GT(page["legend_bottom"].get<double>(), 0);
  EXPECT_LE(page["legend_bottom"].get<double>(), viewport_height);
  const auto names = page["axis_names"].get<std::vector<std::string>>();
  for (const char* bench : {"deploy", "matmul", "softmax", "layernorm", "all_reduce", "vector_add",
                            "matmul_persistent", "attention"})
    EXPECT_NE(std::find(names.begin(), names.end(), bench), names.end()) << bench;
  EXPECT_GE(page["heat_loads"].get<int>(), 3);  // the links' utilisations differ
  EXPECT_GE(page["heat_fills"].get<int>(), std::min(4, page["heat_loads"].get<int>()));
  EXPECT_TRUE(page["outside"].empty());
  EXPECT_TRUE(page["clipped"].empty());
  for (const char* chart : {"timeline", "link-heat-map"}) {
    ASSERT_TRUE(page["series"].contains(chart)) << chart;
    const auto drawn = page["series"][chart];
    EXPECT_GT(drawn[0].get<int>(), 0) << chart;
    EXPECT_EQ(drawn[1], drawn[0]) << chart;  // every series drawn
  }
  const auto png = std::filesystem::path(report).replace_extension(".png");
  std::filesystem::remove(png);
  const int height = std::min(page["height"].get<int>() + 20, 16000);
  ASSERT_EQ(
      chromium::run(chromium, report.parent_path(),
                    fmt::format("--window-size=1400,{} --screenshot={}", height, png.string()),
                    report, report.string() + ".screenshot.log"),
      0);
  ASSERT_TRUE(std::filesystem::exists(png));
  EXPECT_EQ(read_file(png).substr(1, 3), "PNG");
}

void expect_reads_at_128_pes(const std::string& html) {
  const std::string timeline = chart(html, "timeline");
  ASSERT_FALSE(timeline.empty());
  const auto rows = all_of(timeline, "class=\"small\"><title>[^<]*</title>([^<]*)</text>");
  EXPECT_GE(rows.size(), 2u);
  EXPECT_LE(rows.size(), 24u);
  EXPECT_LT(html.find("<p class=\"legend\">"), html.find("<svg data-chart=\"timeline\""));
  const auto names = all_of(timeline, "<text [^>]*text-anchor=\"middle\"><title>([^<]*)</title>");
  for (const char* bench : {"matmul", "softmax", "layernorm", "all_reduce", "attention"})
    EXPECT_NE(std::find(names.begin(), names.end(), bench), names.end()) << bench;
  for (const std::string& width : all_of(html, "<svg data-chart=\"[^\"]+\"[^>]* width=\"(\\d+)\""))
    EXPECT_LE(std::stoi(width), 1352);
  // Visible charts (not the every-PE one, closed by default) leave room for the tables.
  int height = 0;
  for (const char* name : {"timeline", "link-heat-map"})
    height += std::stoi(all_of(chart(html, name), "^<svg[^>]* height=\"(\\d+)\"").at(0));
  EXPECT_LE(height, 1700);
  // The all-reduce's PEs move data and reduce: its stretch of the run is drawn (before, it fell
  // in a grey gap "without PE activity").
  std::smatch span;
  ASSERT_TRUE(
      std::regex_search(timeline, span,
                        std::regex("<line x1=\"([0-9.]+)\" y1=\"[0-9]+\" x2=\"([0-9.]+)\"[^>]*/>"
                                   "<text [^>]*><title>all_reduce</title>")));
  EXPECT_GT(std::stod(span[2].str()) - std::stod(span[1].str()), 100.0);
  for (const char* series : {"dma", "vector", "ipcq"})
    EXPECT_NE(timeline.find(std::string("data-series=\"") + series + "\""), std::string::npos)
        << series;
  // The cubes and links differ in load, and their colours show it.
  const auto colours = all_of(chart(html, "link-heat-map"),
                              "(?:fill|stroke)=\"(#[0-9a-f]{6})\"><title>(?:sip|mesh)");
  const auto loads = all_of(chart(html, "link-heat-map"),
                            "<title>(?:sip|mesh)[^<]* ([0-9]+%)</title>");  // cubes' and links'
  const std::set<std::string> distinct_loads(loads.begin(), loads.end());
  EXPECT_GE(distinct_loads.size(), 3u);
  EXPECT_GE(std::set<std::string>(colours.begin(), colours.end()).size(),
            std::min<std::size_t>(distinct_loads.size(), 4));
}

TEST(ReportPage, DefaultMachineReadsAt128Pes) {
  const auto report = report_of("report-default", "");
  expect_reads_at_128_pes(read_file(report));
  expect_reads_in_a_browser(report);
}

TEST(ReportPage, FourSipsReadAndFitTheWindow) {
  const auto report = report_of("report-4sips", "--topology ahbm_multi_sip");
  const std::string html = read_file(report);
  expect_reads_at_128_pes(html);
  EXPECT_NE(html.find(">SIP 3</text>"), std::string::npos);
  expect_reads_in_a_browser(report);
}

}  // namespace
}  // namespace kernbench::tests
