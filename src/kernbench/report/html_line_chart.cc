// The HTML report's small SVG helpers and its line chart (busbw versus size, parameter sweeps).
#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "kernbench/base/units.h"
#include "kernbench/report/html_charts.h"

namespace kernbench::report::detail {
namespace {

constexpr std::array<std::string_view, 8> kPalette{"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                                   "#ff7f0e", "#17becf", "#8c564b", "#e377c2"};

// Plot area inside the SVG, in pixels.
constexpr double kWidth = 760, kHeight = 340;
constexpr double kLeft = 70, kRight = 190, kTop = 34, kBottom = 56;

struct Axis {
  double min = 0, max = 1;
  double at(double v, double from, double to) const {
    return from + (v - min) / (max - min) * (to - from);
  }
};

double x_value(const LineChart& chart, double x) { return chart.log2_x ? std::log2(x) : x; }

Axis x_axis(const LineChart& chart) {
  if (!chart.categories.empty()) return {-0.5, static_cast<double>(chart.categories.size()) - 0.5};
  Axis axis{1e300, -1e300};
  for (const LineSeries& s : chart.series)
    for (const auto& [x, y] : s.points) {
      axis.min = std::min(axis.min, x_value(chart, x));
      axis.max = std::max(axis.max, x_value(chart, x));
    }
  if (axis.min > axis.max) return {0, 1};
  if (axis.min == axis.max) return {axis.min - 1, axis.max + 1};
  return axis;
}

void write_x_ticks(std::ostream& out, const LineChart& chart, const Axis& axis, double plot_right) {
  const double y = kHeight - kBottom;
  auto tick = [&](double v, std::string_view label) {
    const double x = axis.at(v, kLeft, plot_right);
    fmt::print(out,
               "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" class=\"tick\"/>"
               "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4}</text>\n",
               x, y, y + 5, y + 18, escape_html(label));
  };
  if (!chart.categories.empty()) {
    for (std::size_t i = 0; i < chart.categories.size(); ++i)
      tick(static_cast<double>(i), chart.categories[i]);
    return;
  }
  if (chart.log2_x) {
    const int first = static_cast<int>(std::ceil(axis.min)), last = static_cast<int>(axis.max);
    const int step = std::max(1, (last - first + 7) / 8);
    for (int k = first; k <= last; k += step)
      tick(k, base::to_string(base::Bytes(std::uint64_t{1} << std::clamp(k, 0, 62))));
    return;
  }
  for (double v : nice_ticks(axis.max, 6))
    if (v >= axis.min) tick(v, fmt::format("{:g}", v));
}

void write_series(std::ostream& out, const LineChart& chart, const LineSeries& s,
                  std::string_view colour, const Axis& x_axis, const Axis& y_axis,
                  double plot_right) {
  fmt::print(out, "<g data-series=\"{}\" stroke=\"{}\" fill=\"{}\">\n", escape_html(s.name), colour,
             colour);
  std::string points, dots;
  for (const auto& [x, y] : s.points) {
    const double px = x_axis.at(x_value(chart, x), kLeft, plot_right);
    const double py = y_axis.at(y, kHeight - kBottom, kTop);
    points += fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", px, py);
    dots += fmt::format(
        "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\"><title>{}: {:g}</title></circle>\n", px, py,
        escape_html(s.name), y);
  }
  fmt::print(out, "<polyline points=\"{}\" fill=\"none\" stroke-width=\"2\"/>\n{}</g>\n", points,
             dots);
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&#39;"; break;
      default: escaped += c;
    }
  }
  return escaped;
}

std::string heat_colour(double fraction) {
  // Pale blue-grey -> yellow -> red, linear in RGB between the stops.
  constexpr std::array<std::array<double, 3>, 3> kStops{
      {{230, 236, 242}, {253, 216, 53}, {211, 47, 47}}};
  const double f = std::clamp(fraction, 0.0, 1.0) * 2;
  const std::size_t i = f >= 1 ? 1 : 0;
  const double t = f - static_cast<double>(i);
  std::array<int, 3> rgb{};
  for (std::size_t k = 0; k < 3; ++k)
    rgb[k] = static_cast<int>(std::lround(kStops[i][k] + (kStops[i + 1][k] - kStops[i][k]) * t));
  return fmt::format("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2]);
}

std::vector<double> nice_ticks(double max, int count) {
  if (!(max > 0)) return {0, 1};
  const double raw = max / std::max(count, 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude * 10;
  for (double m : {1.0, 2.0, 5.0})
    if (raw <= m * magnitude) {
      step = m * magnitude;
      break;
    }
  std::vector<double> ticks;
  for (int i = 0;; ++i) {
    ticks.push_back(step * i);
    if (step * i >= max) return ticks;
  }
}

void write_line_chart(std::ostream& out, const LineChart& chart) {
  const double plot_right = kWidth - kRight;
  double y_max = 0;
  for (const LineSeries& s : chart.series)
    for (const auto& [x, y] : s.points) y_max = std::max(y_max, y);
  const std::vector<double> y_ticks = nice_ticks(y_max, 5);
  const Axis y_axis{0, y_ticks.back()};
  const Axis x = x_axis(chart);
  fmt::print(
      out,
      "<svg data-chart=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
      "viewBox=\"0 0 {} {}\" role=\"img\">\n<text x=\"{}\" y=\"20\" class=\"title\">{}</text>\n",
      escape_html(chart.chart), kWidth, kHeight, kWidth, kHeight, kLeft, escape_html(chart.title));
  for (double v : y_ticks) {
    const double py = y_axis.at(v, kHeight - kBottom, kTop);
    fmt::print(out,
               "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" class=\"grid\"/>"
               "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{:g}</text>\n",
               kLeft, py, plot_right, py, kLeft - 6, py + 4, v);
  }
  write_x_ticks(out, chart, x, plot_right);
  fmt::print(out, "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n",
             (kLeft + plot_right) / 2, kHeight - 12, escape_html(chart.x_label));
  fmt::print(
      out,
      "<text transform=\"translate(16 {:.1f}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
      (kTop + kHeight - kBottom) / 2, escape_html(chart.y_label));
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const std::string_view colour = kPalette[i % kPalette.size()];
    write_series(out, chart, chart.series[i], colour, x, y_axis, plot_right);
    const double ly = kTop + 18.0 * static_cast<double>(i);
    fmt::print(out,
               "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"12\" height=\"12\" fill=\"{}\"/>"
               "<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n",
               plot_right + 16, ly, colour, plot_right + 34, ly + 10,
               escape_html(chart.series[i].name));
  }
  out << "</svg>\n";
}

}  // namespace kernbench::report::detail
