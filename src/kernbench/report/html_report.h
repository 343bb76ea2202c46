// The pictures of a run (--report FILE.html): one self-contained HTML file (no network, no
// scripts or fonts fetched) with inline SVG charts: a timeline per PE and unit, link utilization
// over each SIP's cube mesh and the SIP links, busbw versus size per collective algorithm, and a
// line chart per parameter sweep. Each chart is <svg data-chart="..."> and each series in it a
// <g data-series="...">, so a test can count what was drawn.
#pragma once

#include <filesystem>
#include <ostream>

#include "kernbench/report/activity_recorder.h"
#include "kernbench/report/run_record.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::report {

/// Writes the HTML report of `run` to `out`. The timeline and heat map need `activity` (what the
/// run did) and `spec` (the machine's shape); either may be null, and the charts needing it are
/// left out. The timeline is drawn in shaded time columns, so a 128-PE run stays a small file.
void write_html_report(std::ostream& out, const RunRecord& run, const ActivityRecorder* activity,
                       const topo::TopologySpec* spec);

/// Writes the HTML report to a new file at `path`; throws base::Error if it cannot be written.
void write_html_report(const std::filesystem::path& path, const RunRecord& run,
                       const ActivityRecorder* activity, const topo::TopologySpec* spec);

}  // namespace kernbench::report
