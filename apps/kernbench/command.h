// What every subcommand of the kernbench command line shares: the global options, and the one
// function per subcommand that adds it to the CLI11 app.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace kernbench::apps {

/// Options given before or after the subcommand, shared by all of them.
struct GlobalOptions {
  std::string topology_file;           // --topology FILE; empty: the embedded default
  std::vector<std::string> overrides;  // --set key.path=value, in order
  bool quiet = false;                  // --quiet
};

/// Adds `kernbench topo` (topo_command.cc).
void add_topo_command(CLI::App& app, const GlobalOptions& options);

}  // namespace kernbench::apps
