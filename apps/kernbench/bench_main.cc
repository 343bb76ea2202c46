// The only place that turns exceptions into messages and exit codes.
#include "kernbench/bench_main.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <new>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "algorithm_commands.h"
#include "benches/suite_kernels.h"
#include "command.h"
#include "usage_error.h"

#include "kernbench/base/error.h"
#include "kernbench/base/limit_error.h"
#include "kernbench/rt/demo_kernels.h"

namespace kernbench {
namespace {

void add_global_options(CLI::App& app, apps::GlobalOptions& options) {
  app.add_option("--topology", options.topology_file,
                 "Topology YAML file, or a shipped one by name, e.g. ahbm_small (kernbench list "
                 "configs; default: the embedded AHBM configuration)")
      ->type_name("FILE|NAME")
      ->check(apps::check_file_name);
  app.add_option("--set", options.overrides,
                 "Override a topology value: key.path=value (repeatable; kernbench topo --explain)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  app.add_option("--ccl", options.ccl_file,
                 "Collective algorithms file (default: the embedded configs/ccl.yaml)")
      ->type_name("FILE")
      ->check(apps::check_file_name);
  app.add_option("--trace", options.trace_file,
                 "Write the Chrome/Perfetto trace of the run to FILE (open in ui.perfetto.dev)")
      ->type_name("FILE")
      ->check(apps::check_file_name);
  app.add_option("--trace-filter", options.trace_filter,
                 "Keep part of the trace: sip=0,cube=1-3,pe=0|2,unit=dma|hbm,from=1us,to=5us")
      ->type_name("ITEMS");
  app.add_option("--json", options.json_file, "Write the results as JSON to FILE (docs/report.md)")
      ->type_name("FILE")
      ->check(apps::check_file_name);
  app.add_option("--report", options.report_file,
                 "Write a self-contained HTML report with charts to FILE.html")
      ->type_name("FILE")
      ->check(apps::check_file_name);
  app.add_flag("--timing-only", options.timing_only,
               "Move no data and check nothing: the same simulated times, faster");
  app.add_flag("-q,--quiet", options.quiet, "Print only results (no wall clock, no progress bar)");
  app.add_flag("-v,--verbose", options.verbose,
               "Print an error's whole report (e.g. every process a stopped simulation left)");
  app.add_option("--max-input-size", options.max_input_size,
                 "Largest topology or ccl file read (default 16M)")
      ->type_name("SIZE");
  app.add_option("--max-host-memory", options.max_host_memory,
                 "Refuse a run whose estimated host memory passes SIZE (default: the host's RAM)")
      ->type_name("SIZE");
  app.add_option("--trace-max-size", options.trace_max_size,
                 "Stop writing the --trace file at SIZE bytes and say so (default: no cap)")
      ->type_name("SIZE");
  app.add_option("--trace-join-gap", options.trace_join_gap,
                 "Draw a busy track's idle gaps shorter than TIME as busy, so the --trace file "
                 "holds fewer spans (default: none, every gap shown)")
      ->type_name("TIME");
}

// A configuration error in one line: its only problem, or the first and how many more
// (`kernbench validate` prints them all).
std::string one_line(const base::ConfigError& e) {
  const auto& problems = e.problems();
  if (problems.size() <= 1) return e.what();
  return fmt::format("{} (and {} more problem{}; kernbench validate lists every one)",
                     problems.front(), problems.size() - 1, problems.size() == 2 ? "" : "s");
}

// A report of several lines (a stopped simulation's processes) in one line, unless --verbose.
std::string first_line(const std::string& message, bool verbose) {
  const std::size_t end = message.find('\n');
  if (verbose || end == std::string::npos) return message;
  const auto more = static_cast<std::size_t>(std::count(message.begin(), message.end(), '\n'));
  return fmt::format("{} ({} more line{}; --verbose prints them)", message.substr(0, end), more,
                     more == 1 ? "" : "s");
}

std::string program_name(int argc, char** argv) {
  if (argc < 1 || argv[0] == nullptr) return "kernbench";
  return std::filesystem::path(argv[0]).filename().string();
}

}  // namespace

rt::KernelRegistry Registries::built_in_kernels() {
  rt::KernelRegistry kernels;
  rt::register_demo_kernels(kernels);
  benches::register_suite_kernels(kernels);
  return kernels;
}

int bench_main(int argc, char** argv, const benches::BenchRegistry& registry) {
  Registries registries;
  registries.benches = registry;
  return bench_main(argc, argv, registries);
}

int bench_main(int argc, char** argv, const Registries& registries) {
  const std::string program = program_name(argc, argv);
  apps::GlobalOptions options;
  try {
    CLI::App app{"KernBench: write and benchmark kernels and collectives on the AHBM accelerator",
                 program};
    app.set_version_flag("--version", apps::version_text());
    app.require_subcommand(1);
    options.command_line.assign(argv, argv + argc);
    if (!options.command_line.empty()) options.command_line[0] = program;  // not where it lives
    add_global_options(app, options);
    apps::add_run_command(app, options, registries.benches);
    apps::add_list_command(app, options, registries);
    apps::add_topo_command(app, options);
    apps::add_validate_command(app, options);
    apps::add_sweep_command(app, options, registries.benches);
    apps::add_ccl_command(app, options, registries.algorithms);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
      fmt::print(stderr, "{}: error: {}\nRun with --help for more information.\n", program,
                 apps::usage_message(app, e));
      return 2;
    }
  } catch (const base::InputSizeLimitError& e) {
    fmt::print(stderr, "{}: error: {} ({})\n", program, e.what(), apps::kRaiseInputSize);
    return 1;
  } catch (const base::HostMemoryLimitError& e) {
    fmt::print(stderr, "{}: error: {} ({})\n", program, e.what(), apps::kRaiseHostMemory);
    return 1;
  } catch (const base::ConfigError& e) {
    fmt::print(stderr, "{}: error: {}\n", program, one_line(e));
    return 1;
  } catch (const base::Error& e) {
    fmt::print(stderr, "{}: error: {}\n", program, first_line(e.what(), options.verbose));
    return 1;
  } catch (const std::bad_alloc&) {
    // Not our bug but an input too large for this host (a YAML list of millions of items, a
    // machine or data set past what the estimates catch): the user's to shrink.
    fmt::print(stderr,
               "{}: error: the host ran out of memory: an input or a simulation too large for it\n",
               program);
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: internal error: {}\n", program, e.what());
    return 3;
  }
  return 0;
}

}  // namespace kernbench
