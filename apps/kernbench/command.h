// What every subcommand of the kernbench command line shares: the global options, and the one
// function per subcommand that adds it to the CLI11 app.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "benches/bench_registry.h"

#include "kernbench/ccl/ccl_config.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::apps {

/// Options given before or after the subcommand, shared by all of them.
struct GlobalOptions {
  std::string topology_file;              // --topology FILE; empty: the embedded default
  std::vector<std::string> overrides;     // --set key.path=value, in order
  std::string ccl_file;                   // --ccl FILE; empty: the embedded configs/ccl.yaml
  std::string trace_file;                 // --trace FILE: Chrome/Perfetto trace of the run
  std::string trace_filter;               // --trace-filter TEXT (report::parse_trace_filter)
  std::string json_file;                  // --json FILE: the run's results, machine-readable
  std::string report_file;                // --report FILE.html: the run's pictures
  bool timing_only = false;               // --timing-only: no data moved or checked
  bool quiet = false;                     // --quiet: results only (no wall clock, no progress)
  bool verbose = false;                   // --verbose: an error's whole report, not one line
  std::string max_input_size = "16M";     // --max-input-size: largest topology / ccl file
  std::string max_host_memory;            // --max-host-memory: empty: the host's RAM
  std::string trace_max_size;             // --trace-max-size: empty: no cap
  std::string trace_join_gap;             // --trace-join-gap: empty: join touching spans only
  std::vector<std::string> command_line;  // argv as given, for the JSON record
};

/// What the CLI adds to an input-size limit error (base::InputSizeLimitError): its option.
inline constexpr std::string_view kRaiseInputSize = "--max-input-size raises it";
/// What the CLI adds to a host-memory limit error (base::HostMemoryLimitError): its option.
inline constexpr std::string_view kRaiseHostMemory = "--max-host-memory raises it";

/// The machine the options name: --topology FILE or the embedded default, with --set overrides.
topo::TopologySpec load_machine(const GlobalOptions& options);
/// The same with `extra` overrides after the options' own (a sweep point; its ccl.* settings are
/// bench_ccl_config's).
topo::TopologySpec load_machine(const GlobalOptions& options,
                                const std::vector<std::string>& extra);
/// The embedded ccl.yaml with --ccl's entries added and the ccl.* settings of --set and then of
/// `extra` (a sweep point's), entries naming kinds of `algorithms`. ConfigError with the loader's
/// problems, each at its --set or, for one of `extra`, its --sweep.
ccl::CclConfig load_swept_ccl(const GlobalOptions& options, const std::vector<std::string>& extra,
                              const ccl::AlgorithmRegistry& algorithms);
/// What the benches of `command` ("kernbench run") read of ccl.yaml: the embedded file, --ccl's
/// entries added, with the ccl.* settings of --set and then of `extra` (a sweep point's);
/// std::nullopt when there are none. ConfigError with the loader's problems, each at its --set
/// or, for one of `extra`, its --sweep; then for a valid setting no bench reads (any key but the
/// buffer and chunk_size of ccl.defaults and of the entry the all_reduce bench's ring takes
/// them from, benches::kAllReduceEntry).
std::optional<ccl::CclConfig> bench_ccl_config(const GlobalOptions& options,
                                               const std::vector<std::string>& extra,
                                               std::string_view command);
/// The --set texts that name topology keys (every one but the ccl.* settings, which load_ccl
/// takes).
std::vector<std::string> topology_overrides(const std::vector<std::string>& overrides);
/// Where the options take the collective algorithms from: --ccl and the ccl.* settings of --set.
ccl::CclInputs ccl_inputs(const GlobalOptions& options);
/// For a command that reads no ccl.yaml (`command`, e.g. "kernbench run"): base::Error naming the
/// first ccl.* setting of --set, so none is silently ignored.
void refuse_ccl_settings(const GlobalOptions& options, std::string_view command);
/// A size as every size is written (base::parse_size): "16K", "16 KiB", "16KiB" or plain bytes;
/// ConfigError naming `option` otherwise.
std::uint64_t parse_bytes(const std::string& text, std::string_view option);
/// --max-input-size in bytes.
std::uint64_t max_input_bytes(const GlobalOptions& options);
/// --max-host-memory in bytes, or the host's RAM when not given (0 when unknown: no budget).
std::uint64_t host_memory_budget(const GlobalOptions& options);
/// "kernbench 0.1.0".
std::string version_text();
/// A CLI11 check for an option naming a file: an empty name is a usage error, not "no file".
std::string check_file_name(const std::string& text);
/// A CLI11 check for -j: a number of threads from 0 (one per hardware thread) to kMaxJobs.
std::function<std::string(const std::string&)> check_jobs();
inline constexpr int kMaxJobs = 1024;

/// Adds `kernbench topo` (topo_command.cc).
void add_topo_command(CLI::App& app, const GlobalOptions& options);
// `kernbench ccl` and `kernbench list` take the program's registries: algorithm_commands.h.
/// Adds `kernbench run [BENCH...]` (run_command.cc).
void add_run_command(CLI::App& app, const GlobalOptions& options,
                     const benches::BenchRegistry& benches);
/// Adds `kernbench sweep BENCH --sweep KEY=v1,v2 ...` (sweep_command.cc).
void add_sweep_command(CLI::App& app, const GlobalOptions& options,
                       const benches::BenchRegistry& benches);
/// Adds `kernbench validate [FILE...]` (validate_command.cc).
void add_validate_command(CLI::App& app, const GlobalOptions& options);

}  // namespace kernbench::apps
