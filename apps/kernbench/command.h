// What every subcommand of the kernbench command line shares: the global options, and the one
// function per subcommand that adds it to the CLI11 app.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "kernbench/topo/topology_spec.h"

namespace kernbench::apps {

/// Options given before or after the subcommand, shared by all of them.
struct GlobalOptions {
  std::string topology_file;           // --topology FILE; empty: the embedded default
  std::vector<std::string> overrides;  // --set key.path=value, in order
  std::string ccl_file;                // --ccl FILE; empty: the embedded configs/ccl.yaml
  bool quiet = false;                  // --quiet
};

/// The machine the options name: --topology FILE or the embedded default, with --set overrides.
topo::TopologySpec load_machine(const GlobalOptions& options);

/// Adds `kernbench topo` (topo_command.cc).
void add_topo_command(CLI::App& app, const GlobalOptions& options);
/// Adds `kernbench ccl plan NAME` and `kernbench ccl bench` (ccl_command.cc).
void add_ccl_command(CLI::App& app, const GlobalOptions& options);
/// Adds `bench` under `kernbench ccl` (ccl_bench_command.cc).
void add_ccl_bench_command(CLI::App& ccl, const GlobalOptions& options);
/// Adds `kernbench list` (list_command.cc).
void add_list_command(CLI::App& app, const GlobalOptions& options);
/// Adds `kernbench run [BENCH...]` (run_command.cc).
void add_run_command(CLI::App& app, const GlobalOptions& options);

}  // namespace kernbench::apps
