// The HTML report's timeline: a lane per unit kind, busy time as bars; PEs that behave alike
// folded into one row with a count, every PE's own row in an expandable copy below.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "kernbench/report/html_charts.h"
#include "kernbench/report/html_timeline_rows.h"
#include "kernbench/report/trace_filter.h"

namespace kernbench::report::detail {
namespace {

constexpr double kLabelWidth = 170, kPlotWidth = 1100, kAxisHeight = 60;
constexpr double kLaneHeight = 4, kRowGap = 4;
constexpr double kNameRow = 13;         // the height of one row of bench names above the ticks
constexpr std::size_t kMaxRows = 16;    // folded rows at most (the rest join the nearest)
constexpr std::size_t kAlikeShare = 8;  // alike: off by at most 1/8 of the busy shades (fold)
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

// Whether a track is drawn in the timeline (a PE's unit, not its port or TCM).
bool is_pe_unit(const sim::TrackFacts& facts) {
  const std::string_view kind = unit_kind(facts);
  return facts.pe != sim::TrackFacts::kNone && kind != "port" && kind != "tcm" && kind != "other";
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
  std::vector<PeAt> pe_at;                     // their coordinates
  std::map<std::string, int, LaneLess> lanes;  // unit kind -> lane index
  std::vector<std::pair<sim::TrackId, std::pair<int, std::string>>> tracks;  // (row, kind)
};

Layout layout_of(const ActivityRecorder& activity) {
  Layout layout;
  std::map<std::string, std::pair<int, PeAt>, NaturalLess> rows;
  for (const sim::TrackId track : activity.track_ids()) {
    const sim::TrackFacts& at = activity.info(track).facts;
    if (!is_pe_unit(at)) continue;
    const std::string_view kind = unit_kind(at);
    const PeAt pe{at.sip, at.cube, at.pe};
    const auto [row, added] = rows.emplace(fmt::format("sip{}/cube{}/pe{}", pe.sip, pe.cube, pe.pe),
                                           std::pair(static_cast<int>(rows.size()), pe));
    layout.lanes.emplace(std::string(kind), 0);
    layout.tracks.push_back({track, {row->second.first, std::string(kind)}});
  }
  // Rows were numbered in first-seen order; renumber in natural order.
  std::map<int, int> renumber;
  for (const auto& [pe, first_seen] : rows) {
    renumber[first_seen.first] = static_cast<int>(layout.pes.size());
    layout.pes.push_back(pe);
    layout.pe_at.push_back(first_seen.second);
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

// A track as drawn (Cells): the shade (0 idle .. kShades) of every column of every segment.
Cells cells_of(std::span<const Interval> intervals, const std::vector<Segment>& segments) {
  Cells cells;
  for (const Segment& segment : segments)
    for (double f : column_fractions(intervals, segment.time, segment.columns))
      cells.push_back(f <= 0 ? 0
                             : static_cast<std::uint8_t>(std::clamp(
                                   static_cast<int>(std::ceil(f * kShades - 1e-9)), 1, kShades)));
  return cells;
}

// Every track's cells, in Layout::tracks order.
std::vector<Cells> cells_of(const ActivityRecorder& activity, const Layout& layout,
                            const std::vector<Segment>& segments) {
  std::vector<Cells> cells;
  for (const auto& [track, where] : layout.tracks)
    cells.push_back(cells_of(activity.intervals(track), segments));
  return cells;
}

// Each PE's cells, lane after lane (a lane it lacks stays idle).
std::vector<Cells> pe_cells(const Layout& layout, const std::vector<Cells>& track_cells,
                            std::size_t columns) {
  std::vector<Cells> pes(layout.pes.size(), Cells(layout.lanes.size() * columns, 0));
  for (std::size_t t = 0; t < layout.tracks.size(); ++t) {
    const auto& [row, kind] = layout.tracks[t].second;
    const auto lane = static_cast<std::size_t>(layout.lanes.at(kind));
    std::ranges::copy(track_cells[t], pes[static_cast<std::size_t>(row)].begin() +
                                          static_cast<std::ptrdiff_t>(lane * columns));
  }
  return pes;
}

// The x of simulated time `t`: inside its segment, or the nearest segment edge.
double x_of(const std::vector<Segment>& segments, base::SimTime t) {
  for (const Segment& s : segments) {
    if (t < s.time.start) return s.x;
    if (t <= s.time.end) {
      const auto span = static_cast<double>((s.time.end - s.time.start).ps());
      return s.x + (span > 0 ? static_cast<double>((t - s.time.start).ps()) / span * s.width : 0);
    }
  }
  return segments.back().x + segments.back().width;
}

// Each bench's name over the stretch of the axis it spans, on two alternating rows so
// neighbours do not collide; a name that does not fit is cut (its whole text in a tooltip).
void write_bench_names(std::ostream& out, const std::vector<Segment>& segments,
                       std::span<const TimelineLabel> labels) {
  out << "<g class=\"benches\">";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double x1 = x_of(segments, labels[i].time.start);
    const double x2 = std::max(x_of(segments, labels[i].time.end), x1 + 2);
    const double y = 12 + static_cast<double>(i % 2) * kNameRow;
    const auto fits = static_cast<std::size_t>(std::max(0.0, (x2 - x1 + 30) / 6.2));
    std::string text = labels[i].name;
    if (text.size() > fits) text = fits >= 3 ? text.substr(0, fits - 1) + "\u2026" : "";
    fmt::print(out,
               "<line x1=\"{0:.1f}\" y1=\"{1:.0f}\" x2=\"{2:.1f}\" y2=\"{1:.0f}\" class=\"tick\"/>"
               "<text x=\"{3:.1f}\" y=\"{4:.0f}\" text-anchor=\"middle\"><title>{5}</title>{6}"
               "</text>",
               x1, y + 2, x2, (x1 + x2) / 2, y, escape_html(labels[i].name), escape_html(text));
  }
  out << "</g>\n";
}

// Ticks inside each drawn stretch wide enough for them, labelled with the simulated time in us;
// a grey band with a tooltip where idle time was cut out.
void write_axis(std::ostream& out, const std::vector<Segment>& segments, double height) {
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& s = segments[i];
    const double start_us = static_cast<double>(s.time.start.ps()) / 1e6;
    const double span_us = static_cast<double>((s.time.end - s.time.start).ps()) / 1e6;
    const int wanted = static_cast<int>(s.width / 110);
    const std::vector<double> ticks =
        wanted == 0 ? std::vector<double>{} : nice_ticks(span_us, wanted);
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

// A unit kind's bars as one SVG path per shade (a path per shade keeps the file about a third of
// the size of one <rect> per bar).
using ShadePaths = std::array<std::string, kShades + 1>;  // index = shade, 0 unused

// The bars of one track's `cells`: runs of columns of the same shade, added to `paths`.
void add_bars(ShadePaths& paths, const Cells& cells, const std::vector<Segment>& segments,
              double y) {
  std::size_t at = 0;
  for (const Segment& segment : segments) {
    const double column_px = segment.width / segment.columns;
    const auto n = static_cast<std::size_t>(segment.columns);
    for (std::size_t k = 0; k < n;) {
      const std::uint8_t s = cells[at + k];
      std::size_t end = k + 1;
      while (end < n && cells[at + end] == s) ++end;
      if (s > 0) {
        const double w = static_cast<double>(end - k) * column_px;
        paths[s] +=
            fmt::format("M{:.1f} {:.0f}h{:.1f}v{:.0f}h-{:.1f}z",
                        segment.x + static_cast<double>(k) * column_px, y, w, kLaneHeight, w);
      }
      k = end;
    }
    at += n;
  }
}

void write_legend(std::ostream& out, const Layout& layout) {
  out << "<p class=\"legend\">";
  for (const auto& [kind, lane] : layout.lanes)
    fmt::print(out, "<span style=\"color:{}\">&#9632;</span> {} ", lane_colour(kind),
               escape_html(kind));
  out << "</p>\n";
}

// One chart of `rows`, each drawn as its first PE's tracks.
void write_rows(std::ostream& out, std::string_view chart, const Layout& layout,
                const std::vector<TimelineRow>& rows, const std::vector<Cells>& track_cells,
                const std::vector<Segment>& segments, std::span<const TimelineLabel> labels) {
  const double row_height = static_cast<double>(layout.lanes.size()) * kLaneHeight + kRowGap;
  const double height = kAxisHeight + static_cast<double>(rows.size()) * row_height;
  const double width = kLabelWidth + kPlotWidth + 10;
  fmt::print(out,
             "<svg data-chart=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" "
             "height=\"{:.0f}\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\">\n",
             chart, width, height, width, height);
  write_bench_names(out, segments, labels);
  write_axis(out, segments, height);
  std::vector<int> row_of(layout.pes.size(), -1);
  out << "<g class=\"labels\">";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    row_of[rows[r].pes.front()] = static_cast<int>(r);
    const auto [label, tooltip] = row_label(layout.pes, layout.pe_at, rows[r]);
    fmt::print(out, "<text x=\"4\" y=\"{:.0f}\" class=\"small\"><title>{}</title>{}</text>",
               kAxisHeight + static_cast<double>(r) * row_height + row_height - kRowGap,
               escape_html(tooltip), escape_html(label));
  }
  out << "</g>\n";
  std::map<std::string, ShadePaths, LaneLess> bars;
  for (std::size_t t = 0; t < layout.tracks.size(); ++t) {
    const auto& [pe, kind] = layout.tracks[t].second;
    const int r = row_of[static_cast<std::size_t>(pe)];
    if (r < 0) continue;
    const double y = kAxisHeight + r * row_height + layout.lanes.at(kind) * kLaneHeight;
    add_bars(bars[kind], track_cells[t], segments, y);
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
  out << "</svg>\n";
}

}  // namespace

std::vector<Interval> active_segments(const ActivityRecorder& activity) {
  const auto pe_unit = [&](sim::TrackId t) { return is_pe_unit(activity.info(t).facts); };
  std::vector<sim::TrackId> tracks(activity.track_ids().begin(), activity.track_ids().end());
  if (std::ranges::any_of(tracks, pe_unit))
    std::erase_if(tracks, [&](sim::TrackId t) { return !pe_unit(t); });
  std::vector<Interval> all;
  for (const sim::TrackId track : tracks) {
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

void write_timeline(std::ostream& out, const ActivityRecorder& activity,
                    std::span<const TimelineLabel> labels) {
  const Layout layout = layout_of(activity);
  const std::vector<Interval> active = active_segments(activity);
  if (layout.pes.empty() || active.empty()) {
    out << "<p>No PE activity was recorded.</p>\n";
    return;
  }
  // The folded chart has few rows, so it gets finer columns than the one of every PE.
  const std::size_t drawn = std::min(layout.pes.size(), kMaxTimelineRows) * layout.lanes.size();
  const std::vector<Segment> segments = place(active, column_count(drawn));
  const std::vector<Cells> track_cells = cells_of(activity, layout, segments);
  const std::vector<TimelineRow> rows =
      fold(pe_cells(layout, track_cells, track_cells.front().size()));
  write_legend(out, layout);
  write_rows(out, "timeline", layout, rows, track_cells, segments, labels);
  if (rows.size() == layout.pes.size()) return;
  fmt::print(out, "<details><summary>Every PE in its own row ({} rows)</summary>\n",
             layout.pes.size());
  std::vector<TimelineRow> every;
  for (std::size_t p = 0; p < layout.pes.size(); ++p) every.push_back(TimelineRow{{p}, false});
  const std::vector<Segment> coarse = place(active, column_count(layout.tracks.size()));
  write_rows(out, "timeline-every-pe", layout, every, cells_of(activity, layout, coarse), coarse,
             labels);
  out << "</details>\n";
}

}  // namespace kernbench::report::detail
