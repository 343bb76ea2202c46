// The HTML report's structure, without a browser: one self-contained file, the charts it should
// have with the series each should hold, a bounded size for a busy 128-PE run, and the same bytes
// on every run. html_render_test.cc checks the same file as Chromium draws it.
#include "kernbench/report/html_report.h"

#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "sample_activity.h"
#include "sample_run.h"

#include "kernbench/base/error.h"

namespace kernbench::report {
namespace {

using namespace base::literals;

std::string html_of(const RunRecord& run, const ActivityRecorder* activity,
                    const topo::TopologySpec* spec) {
  std::ostringstream out;
  write_html_report(out, run, activity, spec);
  return out.str();
}

// data-chart name -> number of data-series groups inside it, in document order of charts.
std::map<std::string, int> series_per_chart(const std::string& html) {
  std::map<std::string, int> counts;
  const std::regex chart("<svg data-chart=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), chart);
       it != std::sregex_iterator(); ++it) {
    const auto from = static_cast<std::size_t>(it->position());
    const std::string body = html.substr(from, html.find("</svg>", from) - from);
    int n = 0;
    for (std::size_t at = body.find("<g data-series="); at != std::string::npos;
         at = body.find("<g data-series=", at + 1))
      ++n;
    counts[(*it)[1]] += n;
  }
  return counts;
}

TEST(HtmlReport, HasEachChartWithItsSeries) {
  const auto spec = testing::two_sip_spec();
  ActivityRecorder activity;
  testing::fill_sample_activity(activity, spec);
  const std::string html = html_of(testing::sample_run(), &activity, &spec);
  const std::map<std::string, int> expected{
      {"timeline", 5}, {"link-heat-map", 3}, {"busbw", 2}, {"sweep", 1}};
  EXPECT_EQ(series_per_chart(html), expected);
  for (const char* series : {"core", "dma", "vector", "matrix", "wait", "cubes", "mesh links",
                             "SIP links", "ring all_reduce (16 ranks)", "time (us)"})
    EXPECT_NE(html.find(fmt::format("data-series=\"{}\"", series)), std::string::npos) << series;
  // The table shows the bound resource; the heat map names every mesh link of both SIPs.
  EXPECT_NE(html.find("HBM slice (sip 0, cube 5, slice 3) at 97%"), std::string::npos);
  EXPECT_NE(html.find("mesh link (sip 1, cube 15, y-) 0%"), std::string::npos);
  EXPECT_NE(html.find("mesh link (sip 0, cube 2, x+) 12%"), std::string::npos);  // 12 of 100 us
  EXPECT_NE(html.find("sip 0 -&gt; next 50%"), std::string::npos);
}

TEST(HtmlReport, IsSelfContained) {
  const auto spec = testing::two_sip_spec();
  ActivityRecorder activity;
  testing::fill_sample_activity(activity, spec);
  const std::string html = html_of(testing::sample_run(), &activity, &spec);
  for (const char* banned : {"src=", "href=", "url(", "@import", "<script", "<link", "@font-face"})
    EXPECT_EQ(html.find(banned), std::string::npos) << banned;
  // The only address is the SVG namespace, which is a name, not something fetched.
  std::string rest = html;
  for (std::size_t at;
       (at = rest.find("xmlns=\"http://www.w3.org/2000/svg\"")) != std::string::npos;)
    rest.erase(at, 10);
  EXPECT_EQ(rest.find("http"), std::string::npos);
}

TEST(HtmlReport, BusyRunOf128PesStaysSmall) {
  const auto spec = testing::two_sip_spec();
  ActivityRecorder activity;
  testing::fill_sample_activity(activity, spec);  // ~100k spans
  const std::string html = html_of(testing::sample_run(), &activity, &spec);
  EXPECT_LT(html.size(), 600'000u) << "the timeline should grow with tracks, not spans";
  RecordProperty("html_bytes", static_cast<int>(html.size()));
}

TEST(HtmlReport, CutsOutLongIdleStretchesAndMeasuresLinksOverTheRest) {
  // Kernels at 0-10 us and 1000-1010 us with host transfers between: the timeline draws the two
  // stretches with one break, and a link busy 5 us of the 20 drawn shows 25%.
  const auto spec = topo::default_topology();
  ActivityRecorder activity;
  activity.span("sip0/cube0/pe0/core", "k1", 0_us, 10_us);
  activity.span("sip0/cube0/pe0/core", "k2", 1000_us, 1010_us);
  activity.span("sip0/host.in", "busy", 10_us, 1000_us);
  activity.span("sip0/cube0/mesh.x+", "busy", 1000_us, 1005_us);
  const std::string html = html_of(RunRecord{}, &activity, &spec);
  std::size_t breaks = 0;
  for (std::size_t at = html.find("class=\"break\""); at != std::string::npos;
       at = html.find("class=\"break\"", at + 1))
    ++breaks;
  EXPECT_EQ(breaks, 1u);
  EXPECT_NE(html.find("990 us without PE activity"), std::string::npos);
  EXPECT_NE(html.find("mesh link (sip 0, cube 0, x+) 25%"), std::string::npos);
}

TEST(HtmlReport, SameInputsSameBytes) {
  const auto spec = testing::two_sip_spec();
  ActivityRecorder a, b;
  testing::fill_sample_activity(a, spec);
  testing::fill_sample_activity(b, spec);
  EXPECT_EQ(html_of(testing::sample_run(), &a, &spec), html_of(testing::sample_run(), &b, &spec));
}

TEST(HtmlReport, LeavesOutChartsWithoutTheirData) {
  RunRecord run;
  run.benches = {testing::sample_matmul()};
  const std::string html = html_of(run, nullptr, nullptr);
  EXPECT_TRUE(series_per_chart(html).empty());
  EXPECT_NE(html.find("<td>matmul</td>"), std::string::npos);
  EXPECT_NE(html.find("</html>"), std::string::npos);
}

TEST(HtmlReport, EscapesText) {
  RunRecord run = testing::sample_run();
  run.benches[0].name = "a<b & \"c\"";
  const std::string html = html_of(run, nullptr, nullptr);
  EXPECT_NE(html.find("a&lt;b &amp; &quot;c&quot;"), std::string::npos);
  EXPECT_EQ(html.find("a<b"), std::string::npos);
}

TEST(HtmlReport, WritesAFileAndRefusesAnUnwritablePath) {
  const auto path = std::filesystem::path(KERNBENCH_BINARY_DIR) / "html_report_test.html";
  write_html_report(path, testing::sample_run(), nullptr, nullptr);
  EXPECT_GT(std::filesystem::file_size(path), 1000u);
  EXPECT_THROW(
      write_html_report("/nonexistent-dir/r.html", testing::sample_run(), nullptr, nullptr),
      base::Error);
}

}  // namespace
}  // namespace kernbench::report
