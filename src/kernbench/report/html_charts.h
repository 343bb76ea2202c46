// The SVG charts of the HTML report (html_report.h), each written as one inline <svg
// data-chart="..."> whose series are <g data-series="...">. Internal to the report layer.
#pragma once

#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kernbench/report/activity_recorder.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::report::detail {

/// `text` with &, <, >, " and ' escaped for HTML text and attribute values.
std::string escape_html(std::string_view text);

/// A colour from pale (0) through yellow to red (1) for a utilization in [0, 1], "#rrggbb".
std::string heat_colour(double fraction);

/// About `count` round tick values (1, 2 or 5 times a power of ten) from 0 to at least `max`.
std::vector<double> nice_ticks(double max, int count);

/// One line of a line chart: (x, y) points in the chart's units.
struct LineSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;
};

/// A line chart: several series over a shared x axis (log2 or categorical) and a linear y axis.
struct LineChart {
  std::string chart;  // the data-chart value: "busbw", "sweep"
  std::string title;
  std::string x_label;  // "message size (bytes per rank)"
  std::string y_label;  // "busbw (GB/s)"
  bool log2_x = false;  // x values are sizes drawn on a log2 axis (ticks labelled as sizes)
  std::vector<std::string> categories;  // when not empty, x values index these labels
  std::vector<LineSeries> series;
};

/// Writes `chart` as an inline SVG with one <g data-series> per series and a legend.
void write_line_chart(std::ostream& out, const LineChart& chart);

/// The stretches of a run the pictures show: the union of the PE units' busy time (of every
/// track's, when no PE unit was recorded), with idle gaps longer than 1/50 of the whole cut out, so
/// kernels of a few microseconds are not lost between milliseconds of host transfers. Sorted.
std::vector<Interval> active_segments(const ActivityRecorder& activity);

/// A named stretch of simulated time shown over the timeline's axis (a bench).
struct TimelineLabel {
  std::string name;
  Interval time;
};

/// Writes the timeline's legend, then the chart: a lane per unit kind, busy time as bars, one
/// series per unit kind, `labels` over the time axis. PEs whose bars are alike share one row
/// labelled with their count (at most 16 rows); when rows were folded, a closed <details> holds
/// the same chart with every PE in its own row (data-chart "timeline-every-pe"). Time is cut into
/// columns shaded by how busy each was, so the file grows with the number of tracks, not spans.
void write_timeline(std::ostream& out, const ActivityRecorder& activity,
                    std::span<const TimelineLabel> labels = {});

/// Writes the link heat map: each SIP's cube mesh (cubes coloured by their busiest HBM slice, mesh
/// links by their utilization) and the SIP links, utilization being the share of the active
/// segments' time (active_segments()) a link was busy.
void write_link_heat_map(std::ostream& out, const ActivityRecorder& activity,
                         const topo::TopologySpec& spec);

}  // namespace kernbench::report::detail
