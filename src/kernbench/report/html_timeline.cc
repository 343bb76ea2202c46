// The HTML report's timeline: a row per PE, a lane per unit kind, busy time as bars.
#include <algorithm>
#include <array>
#include <cmath>
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
// The plot is cut into columns (buckets) and each track drawn as runs of columns of equal
// shade: the file grows with tracks x columns at worst, never with the number of spans. The column
// count shrinks for many tracks so the worst case stays near kMaxBars rectangles.
constexpr int kMaxBars = 120'000;
constexpr int kMinColumns = 100, kMaxColumns = 1000;
constexpr int kShades = 4;                // a column busy for any time is at least 1/4 opaque
constexpr double kBreakPx = 14;           // the width of a cut-out idle gap
constexpr double kMinSegmentPx = 4;       // the narrowest a drawn stretch of time gets
constexpr std::int64_t kGapDivisor = 50;  // idle gaps longer than 1/50 of the run are cut out

// Lane order: the units a reader looks for first, then any other unit by name.
int lane_rank(std::string_view kind) {
  constexpr std::array<std::string_view, 7> kOrder{"core",   "dma",  "mmu", "vector",
                                                   "matrix", "wait", "ipcq"};
  const auto it = std::ranges::find(kOrder, kind);
  return static_cast<int>(it - kOrder.begin());
}

std::string_view lane_colour(std::string_view kind) {
  if (kind == "core") return "#9e9e9e";
  if (kind == "dma") return "#1f77b4";
  if (kind == "mmu") return "#9467bd";
  if (kind == "vector") return "#2ca02c";
  if (kind == "matrix") return "#d62728";
  if (kind == "wait") return "#f2b701";
  if (kind == "ipcq") return "#17becf";
  return "#8c564b";
}

struct LaneLess {
  bool operator()(const std::string& a, const std::string& b) const {
    return std::pair(lane_rank(a), std::string_view(a)) <
           std::pair(lane_rank(b), std::string_view(b));
  }
};

// Whether `track` is drawn in the timeline (a PE's unit, not its port or TCM).
bool is_pe_unit(std::string_view track) {
  const std::string_view kind = unit_kind(track);
  return parse_track_coords(track).pe && kind != "port" && kind != "tcm" && kind != "other";
}

// One drawn stretch of time and where it goes.
struct Segment {
  Interval time;
  double x = 0, width = 0;
  int columns = 1;
};

std::vector<Segment> place(const std::vector<Interval>& active, int columns) {
  std::vector<Segment> segments;
  double total = 0;
  for (const Interval& iv : active) total += static_cast<double>((iv.end - iv.start).ps());
  const double room = kPlotWidth - kBreakPx * static_cast<double>(active.size() - 1);
  double sum = 0;
  for (const Interval& iv : active) {
    const double share = static_cast<double>((iv.end - iv.start).ps()) / total;
    segments.push_back(Segment{iv, 0, std::max(kMinSegmentPx, room * share), 1});
    sum += segments.back().width;
  }
  double x = kLabelWidth;
  for (Segment& s : segments) {
    s.width *= room / sum;
    s.x = x;
    s.columns = std::max(1, static_cast<int>(std::lround(columns * s.width / kPlotWidth)));
    x += s.width + kBreakPx;
  }
  return segments;
}

struct Layout {
  std::vector<std::string> pes;                // "sip0/cube0/pe0", natural order
  std::map<std::string, int, LaneLess> lanes;  // unit kind -> lane index
  std::vector<std::pair<std::string, std::pair<int, std::string>>> tracks;  // track, (row, kind)
};

Layout layout_of(const ActivityRecorder& activity) {
  Layout layout;
  std::map<std::string, int, NaturalLess> rows;
  for (const std::string& track : activity.tracks()) {
    if (!is_pe_unit(track)) continue;
    const TrackCoords at = parse_track_coords(track);
    const std::string_view kind = unit_kind(track);
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

int column_count(std::size_t tracks) {
  const auto per_track = static_cast<int>(kMaxBars / std::max<std::size_t>(tracks, 1));
  return std::clamp(per_track, kMinColumns, kMaxColumns);
}

// Busy fraction of each of `columns` equal slices of `extent`.
std::vector<double> column_fractions(std::span<const Interval> intervals, Interval extent,
                                     int columns) {
  const auto length = static_cast<long double>((extent.end - extent.start).ps());
  std::vector<base::SimTime> edge(static_cast<std::size_t>(columns) + 1);
  for (int k = 0; k <= columns; ++k)
    edge[static_cast<std::size_t>(k)] =
        extent.start + base::SimTime::from_ps(static_cast<std::int64_t>(length * k / columns));
  std::vector<double> fraction(static_cast<std::size_t>(columns), 0.0);
  for (const Interval& iv : intervals) {
    auto k = static_cast<std::size_t>(std::ranges::upper_bound(edge, iv.start) - edge.begin());
    for (k = k == 0 ? 0 : k - 1; k < fraction.size() && edge[k] < iv.end; ++k) {
      const base::SimTime busy = std::min(iv.end, edge[k + 1]) - std::max(iv.start, edge[k]);
      const base::SimTime width = edge[k + 1] - edge[k];
      if (width.ps() > 0)
        fraction[k] += static_cast<double>(busy.ps()) / static_cast<double>(width.ps());
    }
  }
  return fraction;
}

// A unit kind's bars as one SVG path per shade (a path per shade keeps the file about a third of
// the size of one <rect> per bar).
using ShadePaths = std::array<std::string, kShades + 1>;  // index = shade, 0 unused

// The bars of one track in `segment`: runs of columns of the same shade, added to `paths`.
void add_bars(ShadePaths& paths, std::span<const Interval> intervals, const Segment& segment,
              double y) {
  const std::vector<double> fraction = column_fractions(intervals, segment.time, segment.columns);
  auto shade = [&](std::size_t k) {
    if (fraction[k] <= 0) return 0;
    return std::clamp(static_cast<int>(std::ceil(fraction[k] * kShades - 1e-9)), 1, kShades);
  };
  const double column_px = segment.width / segment.columns;
  for (std::size_t k = 0; k < fraction.size();) {
    const int s = shade(k);
    std::size_t end = k + 1;
    while (end < fraction.size() && shade(end) == s) ++end;
    if (s > 0) {
      const double w = static_cast<double>(end - k) * column_px;
      paths[static_cast<std::size_t>(s)] +=
          fmt::format("M{:.1f} {:.0f}h{:.1f}v{:.0f}h-{:.1f}z",
                      segment.x + static_cast<double>(k) * column_px, y, w, kLaneHeight, w);
    }
    k = end;
  }
}

// Ticks inside each drawn stretch, labelled with the simulated time in us; a grey band with a
// tooltip where idle time was cut out.
void write_axis(std::ostream& out, const std::vector<Segment>& segments, double height) {
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& s = segments[i];
    const double start_us = static_cast<double>(s.time.start.ps()) / 1e6;
    const double span_us = static_cast<double>((s.time.end - s.time.start).ps()) / 1e6;
    const int wanted = static_cast<int>(s.width / 110);
    const std::vector<double> ticks =
        wanted == 0 ? std::vector<double>{0} : nice_ticks(span_us, wanted);
    for (double v : ticks) {
      if (v > span_us) break;
      const double x = s.x + (span_us > 0 ? v / span_us * s.width : 0);
      fmt::print(
          out,
          "<line x1=\"{0:.1f}\" y1=\"{1:.0f}\" x2=\"{0:.1f}\" y2=\"{2:.0f}\" class=\"grid\"/>"
          "<text x=\"{0:.1f}\" y=\"{3:.0f}\" text-anchor=\"{4}\">{5:.6g}</text>\n",
          x, kAxisHeight - 4, height, kAxisHeight - 8, v == 0 ? "start" : "middle", start_us + v);
    }
    if (i + 1 < segments.size()) {
      const double idle_us =
          static_cast<double>((segments[i + 1].time.start - s.time.end).ps()) / 1e6;
      fmt::print(
          out,
          "<rect class=\"break\" x=\"{:.1f}\" y=\"{:.0f}\" width=\"{:.0f}\" "
          "height=\"{:.0f}\"><title>{:.6g} us without PE activity, not drawn</title></rect>\n",
          s.x + s.width + 3, kAxisHeight, kBreakPx - 6, height - kAxisHeight, idle_us);
    }
  }
  fmt::print(out, "<text x=\"4\" y=\"{:.0f}\">simulated time (us)</text>\n", kAxisHeight - 8);
}

}  // namespace

std::vector<Interval> active_segments(const ActivityRecorder& activity) {
  std::vector<std::string> tracks = activity.tracks();
  if (std::ranges::any_of(tracks, is_pe_unit))
    std::erase_if(tracks, [](const std::string& t) { return !is_pe_unit(t); });
  std::vector<Interval> all;
  for (const std::string& track : tracks) {
    const auto list = activity.intervals(track);
    all.insert(all.end(), list.begin(), list.end());
  }
  if (all.empty()) return {};
  std::ranges::sort(all, {}, &Interval::start);
  base::SimTime last = all.front().end;
  for (const Interval& iv : all) last = std::max(last, iv.end);
  const base::SimTime gap = base::SimTime::from_ps((last - all.front().start).ps() / kGapDivisor);
  std::vector<Interval> active{all.front()};
  for (const Interval& iv : all) {
    if (iv.start - active.back().end > gap)
      active.push_back(iv);
    else
      active.back().end = std::max(active.back().end, iv.end);
  }
  return active;
}

void write_timeline(std::ostream& out, const ActivityRecorder& activity) {
  const Layout layout = layout_of(activity);
  const std::vector<Interval> active = active_segments(activity);
  if (layout.pes.empty() || active.empty()) {
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
  const std::vector<Segment> segments = place(active, column_count(layout.tracks.size()));
  write_axis(out, segments, height);
  out << "<g class=\"labels\">";
  for (std::size_t r = 0; r < layout.pes.size(); ++r)
    fmt::print(out, "<text x=\"4\" y=\"{:.0f}\" class=\"small\">{}</text>",
               kAxisHeight + static_cast<double>(r) * row_height + row_height - kRowGap,
               escape_html(layout.pes[r]));
  out << "</g>\n";
  std::map<std::string, ShadePaths, LaneLess> bars;
  for (const auto& [track, where] : layout.tracks) {
    const double y =
        kAxisHeight + where.first * row_height + layout.lanes.at(where.second) * kLaneHeight;
    for (const Segment& segment : segments)
      add_bars(bars[where.second], activity.intervals(track), segment, y);
  }
  for (const auto& [kind, paths] : bars) {
    if (std::ranges::all_of(paths, &std::string::empty)) continue;
    fmt::print(out, "<g data-series=\"{}\" fill=\"{}\">\n", escape_html(kind), lane_colour(kind));
    for (int shade = 1; shade <= kShades; ++shade)
      if (const std::string& d = paths[static_cast<std::size_t>(shade)]; !d.empty())
        fmt::print(out, "<path fill-opacity=\"{:.2f}\" d=\"{}\"/>\n",
                   static_cast<double>(shade) / kShades, d);
    out << "</g>\n";
  }
  out << "</svg>\n<p class=\"legend\">";
  for (const auto& [kind, lane] : layout.lanes)
    fmt::print(out, "<span style=\"color:{}\">&#9632;</span> {} ", lane_colour(kind),
               escape_html(kind));
  out << "</p>\n";
}

}  // namespace kernbench::report::detail
