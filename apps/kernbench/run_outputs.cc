#include "run_outputs.h"

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <system_error>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "resolved_config.h"

#include "kernbench/base/error.h"
#include "kernbench/base/quantity_parser.h"
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

void check_output_file(const std::string& path, std::string_view option) {
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  std::error_code error;
  if (!folder.empty() && !std::filesystem::is_directory(folder, error))
    throw base::Error(fmt::format("{} {}: no such folder '{}'", option, path, folder.string()));
  // Opened for writing as the writer will, but neither truncated nor left behind: a file that was
  // not there is removed again, one that was keeps its bytes until the run writes it.
  const bool existed = std::filesystem::exists(path, error);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0666);
  if (fd < 0)
    throw base::Error(fmt::format("{} {}: cannot write the file: {}", option, path,
                                  std::generic_category().message(errno)));
  ::close(fd);
  if (!existed) std::filesystem::remove(path, error);
}

namespace {

// --trace-join-gap's TIME, or a ConfigError naming the option.
base::SimTime join_gap(const std::string& text) {
  try {
    return base::parse_time(text);
  } catch (const base::ConfigError& e) {
    throw base::ConfigError({fmt::format("--trace-join-gap {}: {}", text, e.problems().front())});
  }
}

}  // namespace

RunOutputs::RunOutputs(const GlobalOptions& options) : options_(options) {
  if (!options.json_file.empty()) check_output_file(options.json_file, "--json");
  if (!options.report_file.empty()) check_output_file(options.report_file, "--report");
  if (!options.trace_file.empty()) check_output_file(options.trace_file, "--trace");
  const report::TraceFilter filter = report::parse_trace_filter(options.trace_filter);
  if (!options.trace_file.empty()) {
    // Every trace option is checked before the file is created, so a bad one leaves no file.
    const std::uint64_t cap = options.trace_max_size.empty()
                                  ? std::numeric_limits<std::uint64_t>::max()
                                  : parse_bytes(options.trace_max_size, "--trace-max-size");
    const bool join = !options.trace_join_gap.empty();
    const base::SimTime gap = join ? join_gap(options.trace_join_gap) : base::SimTime{};
    trace_ = std::make_unique<report::ChromeTraceWriter>(std::filesystem::path(options.trace_file),
                                                         filter);
    trace_->set_max_bytes(cap);
    if (join) trace_->set_join_gap(gap);
  }
  if (!options.report_file.empty()) activity_ = std::make_unique<report::ActivityRecorder>();
}

std::vector<sim::TraceSink*> RunOutputs::sinks() {
  std::vector<sim::TraceSink*> out;
  if (trace_) out.push_back(trace_.get());
  if (activity_) out.push_back(activity_.get());
  return out;
}

void RunOutputs::finish(const report::RunRecord& run, const topo::TopologySpec* spec) {
  if (trace_) {
    trace_->finish();
    if (trace_->events_dropped() > 0)  // on stderr: stdout keeps the results only
      fmt::print(stderr,
                 "kernbench: --trace {}: stopped at the --trace-max-size cap of {}: {} events "
                 "written, {} left out\n",
                 options_.trace_file, base::Bytes(parse_bytes(options_.trace_max_size, "")),
                 trace_->events_written(), trace_->events_dropped());
  }
  if (!options_.json_file.empty()) report::write_json_report(options_.json_file, run);
  if (!options_.report_file.empty())
    report::write_html_report(std::filesystem::path(options_.report_file), run, activity_.get(),
                              spec);
}

}  // namespace kernbench::apps
