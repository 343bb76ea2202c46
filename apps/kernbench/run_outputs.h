// What a run writes besides the text report on stdout: the Chrome/Perfetto trace (streamed while
// the benches run), the JSON results and the HTML report, as the global options ask; and the
// record every writer reads, stamped with the version, the command line and the resolved machine.
// Shared by `run`, `sweep` and any subcommand that reports (e.g. `ccl bench`).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "command.h"

#include "kernbench/report/activity_recorder.h"
#include "kernbench/report/chrome_trace_writer.h"
#include "kernbench/report/run_record.h"
#include "kernbench/sim/trace_sink.h"

namespace kernbench::apps {

/// Throws base::Error naming `option` when `path` cannot be written: a folder that does not exist,
/// a directory, a read-only place (/proc). Leaves no file behind and an existing one untouched.
void check_output_file(const std::string& path, std::string_view option);

/// A record with the version, the command line and `spec`'s resolved parameters filled in.
report::RunRecord new_run_record(const GlobalOptions& options, const topo::TopologySpec& spec);

class RunOutputs {
 public:
  /// Opens the trace file (--trace, filtered by --trace-filter) at once and checks that --json
  /// and --report can be written, so a bad path or filter fails before anything runs;
  /// keeps an activity recorder for the HTML timeline (--report).
  explicit RunOutputs(const GlobalOptions& options);
  RunOutputs(const RunOutputs&) = delete;
  RunOutputs& operator=(const RunOutputs&) = delete;

  /// The sinks every bench machine of the run records into (none without --trace / --report).
  std::vector<sim::TraceSink*> sinks();
  /// Closes the trace and writes --json and --report for `run` on `spec` (null: no machine
  /// pictures). Throws base::Error naming a file that cannot be written.
  void finish(const report::RunRecord& run, const topo::TopologySpec* spec);

 private:
  const GlobalOptions& options_;
  std::unique_ptr<report::ChromeTraceWriter> trace_;
  std::unique_ptr<report::ActivityRecorder> activity_;
};

}  // namespace kernbench::apps
