// The HTML report of real runs of the default machine and of four SIPs reads at 128 PEs (issue
// 17): the timeline folds alike PEs into at most 24 rows, its legend comes first, the benches are
// named over its time axis, every chart fits a 1400 px window, the heat map shows differences,
// and the all-reduce is drawn with PE activity instead of a grey gap.
#include <algorithm>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "command_runner.h"

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

std::string report_of(const std::string& name, const std::string& options) {
  const auto dir = scratch_dir(name);
  const std::string html = (dir / "report.html").string();
  const auto run =
      run_kernbench_split(options + " run --timing-only --quiet --report '" + html + "'");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return read_file(html);
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
  expect_reads_at_128_pes(report_of("report-page-default", ""));
}

TEST(ReportPage, FourSipsReadAndFitTheWindow) {
  const std::string html = report_of("report-page-4sips", "--topology ahbm_multi_sip");
  expect_reads_at_128_pes(html);
  EXPECT_NE(html.find(">SIP 3</text>"), std::string::npos);
}

}  // namespace
}  // namespace kernbench::tests
