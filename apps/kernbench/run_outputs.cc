#include "run_outputs.h"

#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "resolved_config.h"

#include "kernbench/base/error.h"
#include "kernbench/report/html_report.h"
#include "kernbench/report/json_report.h"
#include "kernbench/report/trace_filter.h"

namespace kernbench::apps {

report::RunRecord new_run_record(const GlobalOptions& options, const topo::TopologySpec& spec) {
  report::RunRecord run;
  run.version = version_text();
  run.command_line = options.command_line;
  run.config = resolved_config(spec);
  return run;
}

void check_output_folder(const std::string& path, std::string_view option) {
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  std::error_code error;
  if (!folder.empty() && !std::filesystem::is_directory(folder, error))
    throw base::Error(fmt::format("{} {}: no such folder '{}'", option, path, folder.string()));
}

RunOutputs::RunOutputs(const GlobalOptions& options) : options_(options) {
  if (!options.json_file.empty()) check_output_folder(options.json_file, "--json");
  if (!options.report_file.empty()) check_output_folder(options.report_file, "--report");
  const report::TraceFilter filter = report::parse_trace_filter(options.trace_filter);
  if (!options.trace_file.empty())
    trace_ = std::make_unique<report::ChromeTraceWriter>(std::filesystem::path(options.trace_file),
                                                         filter);
  if (!options.report_file.empty()) activity_ = std::make_unique<report::ActivityRecorder>();
}

std::vector<sim::TraceSink*> RunOutputs::sinks() {
  std::vector<sim::TraceSink*> out;
  if (trace_) out.push_back(trace_.get());
  if (activity_) out.push_back(activity_.get());
  return out;
}

void RunOutputs::finish(const report::RunRecord& run, const topo::TopologySpec* spec) {
  if (trace_) trace_->finish();
  if (!options_.json_file.empty()) report::write_json_report(options_.json_file, run);
  if (!options_.report_file.empty())
    report::write_html_report(std::filesystem::path(options_.report_file), run, activity_.get(),
                              spec);
}

}  // namespace kernbench::apps
