#include "kernbench/report/html_report.h"

#include <algorithm>
#include <fstream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "kernbench/base/error.h"
#include "kernbench/report/figures.h"
#include "kernbench/report/html_charts.h"

namespace kernbench::report {
namespace {

using detail::escape_html;

constexpr std::string_view kStyle = R"(body{font-family:sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px}
td.n{text-align:right}th{background:#f3f3f3}svg{display:block;margin:8px 0 20px}
svg text{font-size:11px;fill:#333}svg text.title{font-size:13px;font-weight:bold}
svg text.small{font-size:9px}svg .grid{stroke:#e4e4e4}svg .tick{stroke:#888}
svg .break{fill:#ddd}
.legend{font-size:13px}.note{color:#666;font-size:13px}
)";

std::string fixed(std::optional<double> value, int decimals, double scale = 1.0) {
  if (!value) return "-";
  return fmt::format("{:.{}f}", *value / scale, decimals);
}

void write_bench_table(std::ostream& out, const RunRecord& run) {
  out << "<h2>Benches</h2>\n<table>\n<tr><th>bench</th><th>shape</th><th>PEs</th>"
         "<th>time (us)</th><th>bytes (MiB)</th><th>bandwidth (GB/s)</th><th>FLOP/s (TFLOP/s)</th>"
         "<th>of peak FLOP/s (%)</th><th>bound by</th><th>check</th></tr>\n";
  for (const BenchRecord& b : run.benches) {
    const auto bps = per_second(static_cast<double>(b.bytes), b.time);
    const auto fps = b.flops > 0 ? per_second(b.flops, b.time) : std::nullopt;
    const auto peak = fraction_of(fps, b.peak_flops);
    const auto bound = bound_by(b.busiest);
    fmt::print(
        out,
        "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.3f}</td>"
        "<td class=\"n\">{:.3f}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>\n",
        escape_html(b.name), escape_html(b.shape), b.pes, static_cast<double>(b.time.ps()) / 1e6,
        static_cast<double>(b.bytes) / (1024.0 * 1024.0), fixed(bps, 2, 1e9), fixed(fps, 3, 1e12),
        fixed(peak ? std::optional(*peak * 100) : std::nullopt, 1),
        bound ? escape_html(fmt::format("{} at {}", bound->resource, percent(bound->utilization)))
              : "-",
        !b.check.checked ? "not checked"
        : b.check.pass   ? "pass"
                         : "FAIL");
  }
  out << "</table>\n<p class=\"note\">Times are simulated. A kernel bench's time runs from "
         "its first program's start to its last one's end on the PEs; its launch phase (in the "
         "text and JSON reports) also holds the command's trip from the host to the PEs and the "
         "completion's way back, so it is longer and its FLOP/s lower.</p>\n";
}

void write_collectives(std::ostream& out, const RunRecord& run) {
  detail::LineChart chart;
  chart.chart = "busbw";
  chart.title = "bus bandwidth versus message size";
  chart.x_label = "message size per rank";
  chart.y_label = "busbw (GB/s)";
  chart.log2_x = true;
  for (const CollectiveSweep& sweep : run.collective_sweeps) {
    detail::LineSeries series{
        fmt::format("{} {} ({} ranks)", sweep.algorithm, sweep.op, sweep.world), {}};
    for (const CollectiveRow& row : sweep.rows)
      if (row.bytes > 0) series.points.emplace_back(static_cast<double>(row.bytes), row.busbw_gbps);
    chart.series.push_back(std::move(series));
  }
  out << "<h2>Collectives</h2>\n";
  detail::write_line_chart(out, chart);
}

void write_parameter_sweep(std::ostream& out, const ParameterSweep& sweep) {
  detail::LineChart chart;
  chart.chart = "sweep";
  chart.title = fmt::format("{}: simulated time as {} varies", sweep.bench, sweep.key);
  chart.x_label = sweep.key;
  chart.y_label = "simulated time (us)";
  detail::LineSeries series{"time (us)", {}};
  for (std::size_t i = 0; i < sweep.points.size(); ++i) {
    chart.categories.push_back(sweep.points[i].value);
    series.points.emplace_back(static_cast<double>(i),
                               static_cast<double>(sweep.points[i].result.time.ps()) / 1e6);
  }
  chart.series.push_back(std::move(series));
  fmt::print(out, "<h2>Sweep of {} over {}</h2>\n", escape_html(sweep.key),
             escape_html(sweep.bench));
  detail::write_line_chart(out, chart);
}

void write_provenance(std::ostream& out, const RunRecord& run) {
  std::string command;
  for (const std::string& arg : run.command_line) command += (command.empty() ? "" : " ") + arg;
  fmt::print(out, "<p class=\"note\">{} &middot; <code>{}</code></p>\n", escape_html(run.version),
             escape_html(command));
  if (run.config.empty()) return;
  out << "<details><summary>resolved configuration</summary><table>\n";
  for (const auto& [key, value] : run.config)
    fmt::print(out, "<tr><td>{}</td><td>{}</td></tr>\n", escape_html(key), escape_html(value));
  out << "</table></details>\n";
}

// Each bench's stretch of simulated time: from its first phase's start to its last one's end.
std::vector<detail::TimelineLabel> bench_labels(const RunRecord& run) {
  std::vector<detail::TimelineLabel> labels;
  for (const BenchRecord& b : run.benches) {
    if (b.phases.empty()) continue;
    Interval time{b.phases.front().start, b.phases.front().start};
    for (const PhaseRecord& p : b.phases) {
      time.start = std::min(time.start, p.start);
      time.end = std::max(time.end, p.start + p.duration);
    }
    labels.push_back({b.name, time});
  }
  return labels;
}

}  // namespace

void write_html_report(std::ostream& out, const RunRecord& run, const ActivityRecorder* activity,
                       const topo::TopologySpec* spec) {
  fmt::print(out,
             "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             "<title>KernBench report</title>\n<style>\n{}</style>\n</head>\n<body>\n"
             "<h1>KernBench report</h1>\n",
             kStyle);
  write_provenance(out, run);
  if (!run.benches.empty()) write_bench_table(out, run);
  if (activity != nullptr) {
    out << "<h2>Timeline</h2>\n<p class=\"note\">Busy time of each PE's units (simulated), "
           "benches named above the axis; time is cut into columns, paler where a unit was busy "
           "for only part of one. PEs that behave alike share a row (&times;N: how many; hover "
           "a label for the PEs). Long stretches without PE activity (host transfers) are cut "
           "out, marked by grey bands.</p>\n";
    detail::write_timeline(out, *activity, bench_labels(run));
  }
  if (activity != nullptr && spec != nullptr) {
    out << "<h2>Link utilization</h2>\n<p class=\"note\">Share of the timeline's drawn time "
           "(while PEs were active) each link was busy; cubes are coloured by their busiest HBM "
           "slice.</p>\n";
    detail::write_link_heat_map(out, *activity, *spec);
  }
  if (!run.collective_sweeps.empty()) write_collectives(out, run);
  for (const ParameterSweep& sweep : run.parameter_sweeps) write_parameter_sweep(out, sweep);
  out << "</body>\n</html>\n";
}

void write_html_report(const std::filesystem::path& path, const RunRecord& run,
                       const ActivityRecorder* activity, const topo::TopologySpec* spec) {
  std::ofstream out(path, std::ios::binary);
  if (out) write_html_report(out, run, activity, spec);
  out.flush();
  if (!out) throw base::Error(fmt::format("cannot write the HTML report '{}'", path.string()));
}

}  // namespace kernbench::report
