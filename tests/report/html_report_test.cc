// The HTML report's structure, without a browser: one self-contained file, the charts it should
// have with the series each should hold, a bounded size for a busy 128-PE run, and the same bytes
// on every run. html_render_test.cc checks the same file as Chromium draws it.
#include "kernbench/report/html_report.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sample_activity.h"
#include "sample_run.h"

#include "kernbench/base/error.h"
#include "kernbench/report/html_timeline_rows.h"

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
      {"timeline", 5}, {"timeline-every-pe", 5}, {"link-heat-map", 3}, {"busbw", 2}, {"sweep", 1}};
  EXPECT_EQ(series_per_chart(html), expected);
  for (const char* series : {"core", "dma", "vector", "matrix", "wait", "cubes", "mesh links",
                             "SIP links", "ring all_reduce (16 ranks)", "time (us)"})
    EXPECT_NE(html.find(fmt::format("data-series=\"{}\"", series)), std::string::npos) << series;
  // The table shows the bound resource; the heat map names every mesh link of both SIPs.
  EXPECT_NE(html.find("HBM slice (sip 0, cube 5, slice 3) at 97%"), std::string::npos);
  EXPECT_NE(html.find("mesh link (sip 1, cube 15, y-) 0%"), std::string::npos);
  EXPECT_NE(html.find("mesh link (sip 0, cube 2, x+) 12%"), std::string::npos);  // 12 of 100 us
  EXPECT_NE(html.find("sip 0 -&gt; next 50%"), std::string::npos);
  EXPECT_NE(html.find("its launch phase (in the text and JSON reports) also holds the command's "
                      "trip from the host to the PEs"),
            std::string::npos);
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
  activity.span(testing::track(activity, "sip0/cube0/pe0/core"), "k1", 0_us, 10_us);
  activity.span(testing::track(activity, "sip0/cube0/pe0/core"), "k2", 1000_us, 1010_us);
  activity.span(testing::track(activity, "sip0/host.in"), "busy", 10_us, 1000_us);
  activity.span(testing::track(activity, "sip0/cube0/mesh.x+"), "busy", 1000_us, 1005_us);
  const std::string html = html_of(RunRecord{}, &activity, &spec);
  std::size_t breaks = 0;
  for (std::size_t at = html.find("class=\"break\""); at != std::string::npos;
       at = html.find("class=\"break\"", at + 1))
    ++breaks;
  EXPECT_EQ(breaks, 1u);
  EXPECT_NE(html.find("990 us without PE activity"), std::string::npos);
  EXPECT_NE(html.find("mesh link (sip 0, cube 0, x+) 25%"), std::string::npos);
}

// The body of the first <svg data-chart="NAME">, or empty.
std::string chart_body(const std::string& html, std::string_view name) {
  const std::size_t from = html.find(fmt::format("<svg data-chart=\"{}\"", name));
  if (from == std::string::npos) return {};
  return html.substr(from, html.find("</svg>", from) - from);
}

std::vector<std::string> all_of(const std::string& text, const std::string& pattern) {
  std::vector<std::string> found;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it)
    found.push_back((*it)[1]);
  return found;
}

// 128 PEs that behave alike but for a skew of 10 ns each fold into few rows, each labelled with
// its count; every PE keeps its own row in the expandable chart below.
TEST(HtmlReport, TimelineFoldsPesThatBehaveAlike) {
  const auto spec = testing::two_sip_spec();
  ActivityRecorder activity;
  testing::fill_sample_activity(activity, spec);
  const std::string html = html_of(testing::sample_run(), &activity, &spec);
  const std::string folded = chart_body(html, "timeline");
  const auto labels = all_of(folded, "class=\"small\"><title>[^<]*</title>([^<]*)</text>");
  ASSERT_FALSE(labels.empty());
  EXPECT_LE(labels.size(), 16u);
  int pes = 0;
  for (const std::string& label : labels) {
    const std::size_t times = label.find("\u00d7");
    pes += times == std::string::npos ? 1 : std::stoi(label.substr(times + 2));
  }
  EXPECT_EQ(pes, 128);
  EXPECT_EQ(labels.front(), "sip0/cube0-15/pe0-7 \u00d7128") << "alike within 1/8: one row";
  const std::string every = chart_body(html, "timeline-every-pe");
  EXPECT_EQ(all_of(every, "class=\"small\"><title>[^<]*</title>([^<]*)</text>").size(), 128u);
  EXPECT_LT(html.find("<details><summary>Every PE in its own row (128 rows)"),
            html.find("<svg data-chart=\"timeline-every-pe\""));
}

TEST(HtmlTimelineRows, RangesAndLabelsNameTheLevelsARowSpans) {
  EXPECT_EQ(detail::ranges_text({4, 0, 1, 2, 2, 9, 7, 8}), "0-2,4,7-9");
  EXPECT_EQ(detail::ranges_text({3}), "3");
  const std::vector<std::string> pes{"sip0/cube0/pe1", "sip0/cube1/pe1", "sip1/cube0/pe2"};
  const std::vector<detail::PeAt> at{{0, 0, 1}, {0, 1, 1}, {1, 0, 2}};
  const auto [label, tooltip] = detail::row_label(pes, at, {{0, 1, 2}, false});
  EXPECT_EQ(label, "sip0-1/cube0-1/pe1-2 \u00d73");
  EXPECT_EQ(tooltip,
            "3 PEs drawn as sip0/cube0/pe1, alike: sip0/cube0/pe1 sip0/cube1/pe1 sip1/cube0/pe2");
  EXPECT_EQ(detail::row_label(pes, at, {{2}, false}).first, "sip1/cube0/pe2");
}

// PEs that do different work keep rows of their own, at most 16; the rest join the nearest.
TEST(HtmlReport, TimelineRowsAreCappedWhenPesDiffer) {
  const auto spec = topo::default_topology();
  ActivityRecorder activity;
  for (int p = 0; p < 40; ++p)  // 40 PEs, each busy in a stretch of its own
    activity.span(testing::track(activity, fmt::format("sip0/cube{}/pe{}/dma", p / 8, p % 8)),
                  "load", base::SimTime::from_ps(p * 1'000'000),
                  base::SimTime::from_ps(p * 1'000'000 + 900'000));
  const std::string html = html_of(RunRecord{}, &activity, &spec);
  const auto labels =
      all_of(chart_body(html, "timeline"), "class=\"small\"><title>([^<]*)</title>");
  EXPECT_EQ(labels.size(), 16u);
  // The first 16 PEs start the rows; the other 24, alike to none, join the nearest (all are as
  // far: the first), which says so.
  EXPECT_TRUE(labels.front().starts_with("25 PEs drawn as sip0/cube0/pe0 (the nearest of the rows"))
      << labels.front();
  EXPECT_EQ(labels.back(), "sip0/cube1/pe7");
}

// The legend comes before the chart, the benches are named over the axis, and the chart fits a
// 1400 px window (the page has 24 px margins).
TEST(HtmlReport, TimelineLegendFirstBenchNamesOnTheAxisAndWidthBounded) {
  const auto spec = testing::two_sip_spec();
  ActivityRecorder activity;
  testing::fill_sample_activity(activity, spec);
  const std::string html = html_of(testing::sample_run(), &activity, &spec);
  EXPECT_LT(html.find("<p class=\"legend\">"), html.find("<svg data-chart=\"timeline\""));
  const std::string folded = chart_body(html, "timeline");
  const auto names = all_of(folded, "<title>([^<]*)</title>[^<]*</text>");
  EXPECT_NE(std::ranges::find(names, "matmul"), names.end());
  EXPECT_NE(std::ranges::find(names, "vector_add"), names.end());
  for (const std::string& width : all_of(html, "<svg data-chart=\"[^\"]+\"[^>]* width=\"(\\d+)\""))
    EXPECT_LE(std::stoi(width), 1352);
}

// Link utilizations between 0 and 30% still span the whole colour scale: the heat map shows
// differences between cubes with several distinct fills, and its scale names the range.
TEST(HtmlReport, HeatMapColoursSpanTheObservedUtilizations) {
  const auto spec = topo::default_topology();
  ActivityRecorder activity;
  activity.span(testing::track(activity, "sip0/cube0/pe0/dma"), "load", 0_us, 100_us);
  for (int c = 0; c < 16; ++c)
    activity.span(testing::track(activity, fmt::format("sip0/cube{}/hbm0", c)), "busy", 0_us,
                  base::SimTime::from_ps(c * 2'000'000));  // 0 .. 30 us of 100
  const std::string html = html_of(RunRecord{}, &activity, &spec);
  const std::string map = chart_body(html, "link-heat-map");
  const auto fills = all_of(map, "<rect [^>]*fill=\"(#[0-9a-f]{6})\"><title>sip 0 cube");
  ASSERT_EQ(fills.size(), 16u);
  EXPECT_GE(std::set<std::string>(fills.begin(), fills.end()).size(), 8u);
  EXPECT_NE(map.find(">30% busy</text>"), std::string::npos);
  EXPECT_NE(map.find(">the least and most busy drawn; hover for each value</text>"),
            std::string::npos);
}

// Four SIPs of 4 x 4 cubes wrap into rows of panels instead of running off a 1400 px window.
TEST(HtmlReport, HeatMapOfFourSipsFitsTheWindow) {
  const auto spec = topo::default_topology({"system.sips.count=4"});
  ActivityRecorder activity;
  activity.span(testing::track(activity, "sip3/cube15/pe0/dma"), "load", 0_us, 10_us);
  activity.span(testing::track(activity, "sip3/cube15/mesh.y-"), "busy", 0_us, 5_us);
  const std::string html = html_of(RunRecord{}, &activity, &spec);
  const auto widths = all_of(html, "<svg data-chart=\"link-heat-map\"[^>]* width=\"(\\d+)\"");
  ASSERT_EQ(widths.size(), 1u);
  EXPECT_LE(std::stoi(widths.front()), 1352);
  EXPECT_NE(html.find("<title>mesh link (sip 3, cube 15, y-) 50%</title>"), std::string::npos);
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
