// The HTML report's timeline: a row per PE, a lane per unit kind, busy time as bars.
#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "kernbench/report/html_charts.h"
#include "kernbench/report/trace_filter.h"
#include "kernbench/report/track_path.h"

namespace kernbench::report::detail {
namespace {

constexpr double kLabelWidth = 140, kPlotWidth = 1000, kAxisHeight = 34;
constexpr double kLaneHeight = 4, kRowGap = 3;
// Bars closer than this many pixels are drawn as one, which bounds a track to ~kPlotWidth / 2 bars.
constexpr double kMergeGapPx = 1.0;

// Lane order: the units a reader looks for first, then any other unit by name.
int lane_rank(std::string_view kind) {
  constexpr std::array<std::string_view, 5> kOrder{"core", "dma", "vector", "matrix", "wait"};
  const auto it = std::ranges::find(kOrder, kind);
  return static_cast<int>(it - kOrder.begin());
}

std::string_view lane_colour(std::string_view kind) {
  if (kind == "core") return "#9e9e9e";
  if (kind == "dma") return "#1f77b4";
  if (kind == "vector") return "#2ca02c";
  if (kind == "matrix") return "#d62728";
  if (kind == "wait") return "#f2b701";
  return "#8c564b";
}

struct LaneLess {
  bool operator()(const std::string& a, const std::string& b) const {
    return std::pair(lane_rank(a), std::string_view(a)) <
           std::pair(lane_rank(b), std::string_view(b));
  }
};

struct Layout {
  std::vector<std::string> pes;                // "sip0/cube0/pe0", natural order
  std::map<std::string, int, LaneLess> lanes;  // unit kind -> lane index
  std::vector<std::pair<std::string, std::pair<int, std::string>>> tracks;  // track, (row, kind)
};

Layout layout_of(const ActivityRecorder& activity) {
  Layout layout;
  std::map<std::string, int, NaturalLess> rows;
  for (const std::string& track : activity.tracks()) {
    const TrackCoords at = parse_track_coords(track);
    const std::string_view kind = unit_kind(track);
    if (!at.pe || kind == "port" || kind == "tcm" || kind == "other") continue;
    const std::string pe(track.substr(0, track.size() - at.leaf.size() - 1));
    const auto [row, added] = rows.emplace(pe, static_cast<int>(rows.size()));
    layout.lanes.emplace(std::string(kind), 0);
    layout.tracks.push_back({track, {row->second, std::string(kind)}});
  }
  // Rows were numbered in first-seen order; renumber in natural order.
  std::map<int, int> renumber;
  for (const auto& [pe, first_seen] : rows) {
    renumber[first_seen] = static_cast<int>(layout.pes.size());
    layout.pes.push_back(pe);
  }
  for (auto& [track, where] : layout.tracks) where.first = renumber[where.first];
  int lane = 0;
  for (auto& [kind, index] : layout.lanes) index = lane++;
  return layout;
}

// The bars of one track, gaps under kMergeGapPx closed, appended to `svg`.
void add_bars(std::string& svg, std::span<const Interval> intervals, Interval extent, double y) {
  const double px_per_ps = kPlotWidth / static_cast<double>((extent.end - extent.start).ps());
  auto px = [&](base::SimTime t) {
    return kLabelWidth + static_cast<double>((t - extent.start).ps()) * px_per_ps;
  };
  for (std::size_t i = 0; i < intervals.size();) {
    const double x0 = px(intervals[i].start);
    double x1 = px(intervals[i].end);
    for (++i; i < intervals.size() && px(intervals[i].start) - x1 < kMergeGapPx; ++i)
      x1 = px(intervals[i].end);
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{:.0f}\" width=\"{:.1f}\" height=\"{:.0f}\"/>", x0,
                       y, std::max(x1 - x0, 0.5), kLaneHeight);
  }
}

void write_axis(std::ostream& out, Interval extent, double height) {
  const double span_us = static_cast<double>((extent.end - extent.start).ps()) / 1e6;
  for (double v : nice_ticks(span_us, 8)) {
    if (v > span_us) break;
    const double x = kLabelWidth + v / span_us * kPlotWidth;
    fmt::print(out,
               "<line x1=\"{0:.1f}\" y1=\"{1:.0f}\" x2=\"{0:.1f}\" y2=\"{2:.0f}\" class=\"grid\"/>"
               "<text x=\"{0:.1f}\" y=\"{3:.0f}\" text-anchor=\"middle\">{4:g}</text>\n",
               x, kAxisHeight - 4, height, kAxisHeight - 8, v);
  }
  fmt::print(out, "<text x=\"4\" y=\"{:.0f}\">time from {:.3f} us (us)</text>\n", kAxisHeight - 8,
             static_cast<double>(extent.start.ps()) / 1e6);
}

}  // namespace

void write_timeline(std::ostream& out, const ActivityRecorder& activity) {
  const Layout layout = layout_of(activity);
  const std::optional<Interval> extent = activity.extent();
  if (layout.pes.empty() || !extent) {
    out << "<p>No PE activity was recorded.</p>\n";
    return;
  }
  const double row_height = static_cast<double>(layout.lanes.size()) * kLaneHeight + kRowGap;
  const double height = kAxisHeight + static_cast<double>(layout.pes.size()) * row_height;
  const double width = kLabelWidth + kPlotWidth + 10;
  fmt::print(out,
             "<svg data-chart=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" "
             "height=\"{:.0f}\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\">\n",
             width, height, width, height);
  write_axis(out, *extent, height);
  out << "<g class=\"labels\">";
  for (std::size_t r = 0; r < layout.pes.size(); ++r)
    fmt::print(out, "<text x=\"4\" y=\"{:.0f}\" class=\"small\">{}</text>",
               kAxisHeight + static_cast<double>(r) * row_height + row_height - kRowGap,
               escape_html(layout.pes[r]));
  out << "</g>\n";
  std::map<std::string, std::string, LaneLess> bars;
  for (const auto& [track, where] : layout.tracks) {
    const double y =
        kAxisHeight + where.first * row_height + layout.lanes.at(where.second) * kLaneHeight;
    add_bars(bars[where.second], activity.intervals(track), *extent, y);
  }
  for (const auto& [kind, svg] : bars)
    if (!svg.empty())
      fmt::print(out, "<g data-series=\"{}\" fill=\"{}\">{}</g>\n", escape_html(kind),
                 lane_colour(kind), svg);
  out << "</svg>\n<p class=\"legend\">";
  for (const auto& [kind, lane] : layout.lanes)
    fmt::print(out, "<span style=\"color:{}\">&#9632;</span> {} ", lane_colour(kind),
               escape_html(kind));
  out << "</p>\n";
}

}  // namespace kernbench::report::detail
