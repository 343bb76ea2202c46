// The HTML report's link heat map: each SIP's cube mesh with its links coloured by utilization,
// and the SIP links below.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "kernbench/report/html_charts.h"
#include "kernbench/topo/coord_index.h"

namespace kernbench::report::detail {
namespace {

constexpr double kCell = 54, kGap = 30, kMargin = 24, kTitle = 40;
constexpr double kSipBox = 150, kSipRow = 26;
constexpr std::array<std::string_view, 4> kDirections{"x+", "x-", "y+", "y-"};

// The time the heat map measures over: the active segments.
struct Window {
  const ActivityRecorder& activity;
  std::vector<Interval> segments;
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

// A cube's top-left corner.
std::pair<double, double> cube_origin(const topo::TopologySpec& spec, int sip, int cube) {
  const topo::MeshPos pos = topo::mesh_pos(spec, cube);
  return {sip * panel_width(spec) + kMargin + pos.x * (kCell + kGap),
          kTitle + pos.y * (kCell + kGap)};
}

void write_cubes(std::ostream& out, const topo::TopologySpec& spec, const Window& w) {
  out << "<g data-series=\"cubes\" stroke=\"#555\">\n";
  for (int s = 0; s < spec.system.sip_count; ++s)
    for (int c = 0; c < spec.cubes_per_sip(); ++c) {
      double hbm = 0;
      for (int h = 0; h < spec.cube.hbm.slices_per_cube; ++h)
        hbm = std::max(hbm, w.utilization(fmt::format("sip{}/cube{}/hbm{}", s, c, h)));
      const auto [x, y] = cube_origin(spec, s, c);
      fmt::print(
          out,
          "<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"{:.0f}\" height=\"{:.0f}\" fill=\"{}\">"
          "<title>sip {} cube {}: busiest HBM slice {}</title></rect>"
          "<text x=\"{:.0f}\" y=\"{:.0f}\" text-anchor=\"middle\" stroke=\"none\">c{}</text>\n",
          x, y, kCell, kCell, heat_colour(hbm), s, c, percent(hbm), x + kCell / 2,
          y + kCell / 2 + 4, c);
    }
  out << "</g>\n";
}

// One line per direction, the two directions of a pair side by side.
void write_mesh_links(std::ostream& out, const topo::TopologySpec& spec, const Window& w) {
  out << "<g data-series=\"mesh links\" stroke-width=\"5\">\n";
  for (int s = 0; s < spec.system.sip_count; ++s)
    for (int c = 0; c < spec.cubes_per_sip(); ++c) {
      const topo::MeshPos pos = topo::mesh_pos(spec, c);
      const auto [x, y] = cube_origin(spec, s, c);
      const std::array<bool, 4> has{pos.x + 1 < spec.sip.mesh_w, pos.x > 0,
                                    pos.y + 1 < spec.sip.mesh_h, pos.y > 0};
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
                   x1, y1, x2, y2, heat_colour(u), s, c, kDirections[d], percent(u));
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
               x, y, kSipBox, kSipRow - 6, heat_colour(u), x + 6, y + 14,
               escape_html(links[i].second), percent(u));
  }
  out << "</g>\n";
  const int rows = (static_cast<int>(links.size()) + per_row - 1) / per_row;
  return top + 24 + rows * kSipRow;
}

double write_scale(std::ostream& out, double top) {
  for (int i = 0; i <= 10; ++i)
    fmt::print(out, "<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"24\" height=\"10\" fill=\"{}\"/>",
               kMargin + 60 + i * 24, top, heat_colour(i / 10.0));
  fmt::print(out,
             "\n<text x=\"{:.0f}\" y=\"{:.0f}\">0%</text><text x=\"{:.0f}\" y=\"{:.0f}\">100% busy"
             "</text>\n",
             kMargin + 34, top + 9, kMargin + 60 + 11 * 24 + 6, top + 9);
  return top + 20;
}

}  // namespace

void write_link_heat_map(std::ostream& out, const ActivityRecorder& activity,
                         const topo::TopologySpec& spec) {
  const Window w{activity, active_segments(activity)};
  if (w.segments.empty()) {
    out << "<p>No link activity was recorded.</p>\n";
    return;
  }
  const double width = std::max(spec.system.sip_count * panel_width(spec), 480.0);
  const double mesh_bottom = kTitle + spec.sip.mesh_h * (kCell + kGap) - kGap;
  const auto links = sip_links(spec);
  const int per_row = std::max(1, static_cast<int>((width - kMargin) / (kSipBox + 8)));
  const double sip_height =
      links.empty() ? 0 : 24 + ((static_cast<int>(links.size()) + per_row - 1) / per_row) * kSipRow;
  const double height = mesh_bottom + 16 + sip_height + 30;
  fmt::print(
      out,
      "<svg data-chart=\"link-heat-map\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" "
      "height=\"{:.0f}\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\">\n",
      width, height, width, height);
  for (int s = 0; s < spec.system.sip_count; ++s)
    fmt::print(out, "<text x=\"{:.0f}\" y=\"24\" class=\"title\">SIP {}</text>\n",
               s * panel_width(spec) + kMargin, s);
  write_cubes(out, spec, w);
  write_mesh_links(out, spec, w);
  const double bottom = write_sip_links(out, spec, w, mesh_bottom + 16, width);
  write_scale(out, bottom + 8);
  out << "</svg>\n";
}

}  // namespace kernbench::report::detail
