// The kernbench command line: the only place that turns exceptions into messages and exit codes.
// Exit codes: 0 success, 1 a user error (one clear message), 2 a usage error, 3 an internal error.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "command.h"

#include "kernbench/base/error.h"

int main(int argc, char** argv) {
  using namespace kernbench;
  CLI::App app{"KernBench: write and benchmark kernels and collectives on the AHBM accelerator"};
  app.set_version_flag("--version", "kernbench 0.1.0");
  app.require_subcommand(1);
  apps::GlobalOptions options;
  app.add_option("--topology", options.topology_file,
                 "Topology YAML file (default: the embedded AHBM configuration)")
      ->check(CLI::ExistingFile);
  app.add_option("--set", options.overrides,
                 "Override a topology value: key.path=value (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--ccl", options.ccl_file,
                 "Collective algorithms file (default: the embedded configs/ccl.yaml)")
      ->check(CLI::ExistingFile);
  app.add_flag("-q,--quiet", options.quiet, "Print only results");
  apps::add_topo_command(app, options);
  apps::add_ccl_command(app, options);
  apps::add_list_command(app, options);
  apps::add_run_command(app, options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const base::Error& e) {
    fmt::print(stderr, "kernbench: error: {}\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "kernbench: internal error: {}\n", e.what());
    return 3;
  }
  return 0;
}
