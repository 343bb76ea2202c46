// The HTML report's link heat map: each SIP's cube mesh with its links coloured by utilization,
// and the SIP links below. The colours span the utilizations observed, so differences show even
// when every link is lightly used; SIP panels wrap into rows so the chart fits kMaxWidth.
#include <algorithm>
#include <array>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "kernbench/report/html_charts.h"
#include "kernbench/topo/coord_index.h"

namespace kernbench::report::detail {
namespace {

constexpr double kCell = 54, kGap = 30, kMargin = 24, kTitle = 40;
constexpr double kSipBox = 150, kSipRow = 26;
constexpr double kMaxWidth = 1300;  // fits a 1400 px window with the page's margins
constexpr std::array<std::string_view, 4> kDirections{"x+", "x-", "y+", "y-"};

// The time the heat map measures over (the active segments) and the colour scale's range.
struct Window {
  const ActivityRecorder& activity;
  std::vector<Interval> segments;
  double low = 0, high = 1;  // the least and most utilization drawn
  std::string colour(double u) const {
    return heat_colour(high > low ? (u - low) / (high - low) : u);
  }
  double utilization(const std::string& track) const {
    std::int64_t busy = 0, total = 0;
    for (const Interval& s : segments) {
      busy += activity.busy_time(track, s.start, s.end).ps();
      total += (s.end - s.start).ps();
    }
    return total > 0 ? static_cast<double>(busy) / static_cast<double>(total) : 0.0;
  }
};

double panel_width(const topo::TopologySpec& spec) {
  return spec.sip.mesh_w * (kCell + kGap) - kGap + 2 * kMargin;
}

double panel_height(const topo::TopologySpec& spec) {
  return kTitle + spec.sip.mesh_h * (kCell + kGap) - kGap + 16;
}

int panels_per_row(const topo::TopologySpec& spec) {
  return std::clamp(static_cast<int>(kMaxWidth / panel_width(spec)), 1, spec.system.sip_count);
}

// A SIP panel's top-left corner.
std::pair<double, double> panel_origin(const topo::TopologySpec& spec, int sip) {
  const int per_row = panels_per_row(spec);
  return {(sip % per_row) * panel_width(spec), (sip / per_row) * panel_height(spec)};
}

// A cube's top-left corner.
std::pair<double, double> cube_origin(const topo::TopologySpec& spec, int sip, int cube) {
  const topo::MeshPos pos = topo::mesh_pos(spec, cube);
  const auto [px, py] = panel_origin(spec, sip);
  return {px + kMargin + pos.x * (kCell + kGap), py + kTitle + pos.y * (kCell + kGap)};
}

double busiest_slice(const topo::TopologySpec& spec, const Window& w, int sip, int cube) {
  double hbm = 0;
  for (int h = 0; h < spec.cube.hbm.slices_per_cube; ++h)
    hbm = std::max(hbm, w.utilization(fmt::format("sip{}/cube{}/hbm{}", sip, cube, h)));
  return hbm;
}

// Which of the four mesh directions leave cube `c` (x+, x-, y+, y-).
std::array<bool, 4> mesh_links_of(const topo::TopologySpec& spec, int c) {
  const topo::MeshPos pos = topo::mesh_pos(spec, c);
  return {pos.x + 1 < spec.sip.mesh_w, pos.x > 0, pos.y + 1 < spec.sip.mesh_h, pos.y > 0};
}

void write_cubes(std::ostream& out, const topo::TopologySpec& spec, const Window& w) {
  out << "<g data-series=\"cubes\" stroke=\"#555\">\n";
  for (int s = 0; s < spec.system.sip_count; ++s)
    for (int c = 0; c < spec.cubes_per_sip(); ++c) {
      const double hbm = busiest_slice(spec, w, s, c);
      const auto [x, y] = cube_origin(spec, s, c);
      fmt::print(
          out,
          "<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"{:.0f}\" height=\"{:.0f}\" fill=\"{}\">"
          "<title>sip {} cube {}: busiest HBM slice {}</title></rect>"
          "<text x=\"{:.0f}\" y=\"{:.0f}\" text-anchor=\"middle\" stroke=\"none\">c{}</text>\n",
          x, y, kCell, kCell, w.colour(hbm), s, c, percent(hbm), x + kCell / 2, y + kCell / 2 + 4,
          c);
    }
  out << "</g>\n";
}

// One line per direction, the two directions of a pair side by side.
void write_mesh_links(std::ostream& out, const topo::TopologySpec& spec, const Window& w) {
  out << "<g data-series=\"mesh links\" stroke-width=\"5\">\n";
  for (int s = 0; s < spec.system.sip_count; ++s)
    for (int c = 0; c < spec.cubes_per_sip(); ++c) {
      const auto [x, y] = cube_origin(spec, s, c);
      const std::array<bool, 4> has = mesh_links_of(spec, c);
      for (std::size_t d = 0; d < 4; ++d) {
        if (!has[d]) continue;
        const std::string track = fmt::format("sip{}/cube{}/mesh.{}", s, c, kDirections[d]);
        const double u = w.utilization(track);
        const double side = d % 2 == 0 ? -8 : 8;  // + directions above / left, - below / right
        const double cx = x + kCell / 2, cy = y + kCell / 2;
        const double sign = d % 2 == 0 ? 1 : -1;
        const bool horizontal = d < 2;
        const double x1 = horizontal ? cx + sign * kCell / 2 : cx + side;
        const double y1 = horizontal ? cy + side : cy + sign * kCell / 2;
        const double x2 = horizontal ? x1 + sign * kGap : x1;
        const double y2 = horizontal ? y1 : y1 + sign * kGap;
        fmt::print(out,
                   "<line x1=\"{:.0f}\" y1=\"{:.0f}\" x2=\"{:.0f}\" y2=\"{:.0f}\" stroke=\"{}\">"
                   "<title>mesh link (sip {}, cube {}, {}) {}</title></line>\n",
                   x1, y1, x2, y2, w.colour(u), s, c, kDirections[d], percent(u));
      }
    }
  out << "</g>\n";
}

// The SIP links this machine has, as (track, label).
std::vector<std::pair<std::string, std::string>> sip_links(const topo::TopologySpec& spec) {
  std::vector<std::pair<std::string, std::string>> links;
  const int n = spec.system.sip_count;
  if (n < 2) return links;
  for (int s = 0; s < n; ++s) {
    auto add = [&](std::string leaf, std::string label) {
      links.emplace_back(fmt::format("sip{}/{}", s, leaf), std::move(label));
    };
    switch (spec.system.interconnect) {
      case topo::SipInterconnect::ring:
        add("ring.next", fmt::format("sip {} -> next", s));
        add("ring.prev", fmt::format("sip {} -> prev", s));
        break;
      case topo::SipInterconnect::fully_connected:
        for (int t = 0; t < n; ++t)
          if (t != s) add(fmt::format("to.sip{}", t), fmt::format("sip {} -> sip {}", s, t));
        break;
      case topo::SipInterconnect::switched:
        add("switch.out", fmt::format("sip {} -> switch", s));
        add("switch.in", fmt::format("switch -> sip {}", s));
        break;
    }
  }
  return links;
}

double write_sip_links(std::ostream& out, const topo::TopologySpec& spec, const Window& w,
                       double top, double width) {
  const auto links = sip_links(spec);
  if (links.empty()) return top;
  const int per_row = std::max(1, static_cast<int>((width - kMargin) / (kSipBox + 8)));
  fmt::print(out, "<text x=\"{:.0f}\" y=\"{:.0f}\" class=\"title\">SIP links</text>\n", kMargin,
             top + 16);
  out << "<g data-series=\"SIP links\" stroke=\"#555\">\n";
  for (std::size_t i = 0; i < links.size(); ++i) {
    const double u = w.utilization(links[i].first);
    const double x = kMargin + static_cast<double>(static_cast<int>(i) % per_row) * (kSipBox + 8);
    const double y = top + 24 + static_cast<double>(static_cast<int>(i) / per_row) * kSipRow;
    fmt::print(out,
               "<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"{:.0f}\" height=\"{:.0f}\" fill=\"{}\"/>"
               "<text x=\"{:.0f}\" y=\"{:.0f}\" stroke=\"none\">{} {}</text>\n",
               x, y, kSipBox, kSipRow - 6, w.colour(u), x + 6, y + 14, escape_html(links[i].second),
               percent(u));
  }
  out << "</g>\n";
  const int rows = (static_cast<int>(links.size()) + per_row - 1) / per_row;
  return top + 24 + rows * kSipRow;
}

constexpr double kScaleNoteHeight = 16;  // the line under the colour scale

double write_scale(std::ostream& out, const Window& w, double top) {
  const bool spread = w.high > w.low;
  for (int i = 0; i <= 10; ++i)
    fmt::print(out, "<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"24\" height=\"10\" fill=\"{}\"/>",
               kMargin + 60 + i * 24, top, heat_colour(i / 10.0));
  fmt::print(out,
             "\n<text x=\"{:.0f}\" y=\"{:.0f}\" text-anchor=\"end\">{}</text><text x=\"{:.0f}\" "
             "y=\"{:.0f}\">{} busy</text>\n",
             kMargin + 54, top + 9, percent(spread ? w.low : 0), kMargin + 60 + 11 * 24 + 6,
             top + 9, percent(spread ? w.high : 1));
  // On a line of its own: beside the scale it would pass the narrowest chart's edge.
  if (spread)
    fmt::print(out,
               "<text x=\"{:.0f}\" y=\"{:.0f}\">the least and most busy drawn; hover for each "
               "value</text>\n",
               kMargin + 60, top + 25);
  return top + 20 + kScaleNoteHeight;
}

// The least and most utilization of everything drawn.
std::pair<double, double> observed_range(const topo::TopologySpec& spec, const Window& w) {
  std::vector<double> seen;
  for (int s = 0; s < spec.system.sip_count; ++s)
    for (int c = 0; c < spec.cubes_per_sip(); ++c) {
      seen.push_back(busiest_slice(spec, w, s, c));
      const std::array<bool, 4> has = mesh_links_of(spec, c);
      for (std::size_t d = 0; d < 4; ++d)
        if (has[d])
          seen.push_back(w.utilization(fmt::format("sip{}/cube{}/mesh.{}", s, c, kDirections[d])));
    }
  for (const auto& [track, label] : sip_links(spec)) seen.push_back(w.utilization(track));
  const auto [low, high] = std::ranges::minmax_element(seen);
  return {*low, *high};
}

}  // namespace

void write_link_heat_map(std::ostream& out, const ActivityRecorder& activity,
                         const topo::TopologySpec& spec) {
  Window w{activity, active_segments(activity)};
  if (w.segments.empty()) {
    out << "<p>No link activity was recorded.</p>\n";
    return;
  }
  std::tie(w.low, w.high) = observed_range(spec, w);
  const int per_row = panels_per_row(spec);
  const double width = std::max(per_row * panel_width(spec), 480.0);
  const int panel_rows = (spec.system.sip_count + per_row - 1) / per_row;
  const double mesh_bottom = panel_rows * panel_height(spec) - 16;
  const auto links = sip_links(spec);
  const int boxes = std::max(1, static_cast<int>((width - kMargin) / (kSipBox + 8)));
  const double sip_height =
      links.empty() ? 0 : 24 + ((static_cast<int>(links.size()) + boxes - 1) / boxes) * kSipRow;
  const double height = mesh_bottom + 16 + sip_height + 30 + kScaleNoteHeight;
  fmt::print(
      out,
      "<svg data-chart=\"link-heat-map\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" "
      "height=\"{:.0f}\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\">\n",
      width, height, width, height);
  for (int s = 0; s < spec.system.sip_count; ++s) {
    const auto [x, y] = panel_origin(spec, s);
    fmt::print(out, "<text x=\"{:.0f}\" y=\"{:.0f}\" class=\"title\">SIP {}</text>\n", x + kMargin,
               y + 24, s);
  }
  write_cubes(out, spec, w);
  write_mesh_links(out, spec, w);
  const double bottom = write_sip_links(out, spec, w, mesh_bottom + 16, width);
  write_scale(out, w, bottom + 8);
  out << "</svg>\n";
}

}  // namespace kernbench::report::detail
