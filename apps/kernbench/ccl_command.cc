// `kernbench ccl plan NAME`: resolves a ccl.yaml entry on the machine and prints what it would
// install — which PE every rank runs on and each rank's IPCQ neighbour table.
#include <memory>
#include <string>

#include <fmt/format.h>

#include "algorithm_commands.h"

#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/ccl_config.h"

namespace kernbench::apps {

ccl::CclConfig load_ccl(const GlobalOptions& options, const ccl::AlgorithmRegistry& algorithms) {
  ccl::CclConfig config = ccl::load_ccl_config(ccl_inputs(options), algorithms);
  for (const std::string& note : config.notes) fmt::print(stderr, "kernbench: {}\n", note);
  return config;
}

void add_ccl_command(CLI::App& app, const GlobalOptions& options,
                     const ccl::AlgorithmRegistry& algorithms) {
  CLI::App* ccl = app.add_subcommand("ccl", "Collective algorithms (see configs/ccl.yaml)");
  ccl->fallthrough();
  ccl->require_subcommand(1);
  CLI::App* plan = ccl->add_subcommand("plan", "Print the install plan of a ccl.yaml entry");
  plan->fallthrough();
  auto name = std::make_shared<std::string>();
  plan->add_option("NAME", *name, "The entry's name, e.g. ring_tcm_8")->required();
  add_ccl_bench_command(*ccl, options, algorithms);
  plan->callback([&options, &algorithms, name] {
    const ccl::CclConfig config = load_ccl(options, algorithms);
    fmt::print("{}", ccl::format_plan(algorithms.plan(config.find(*name), load_machine(options))));
  });
}

}  // namespace kernbench::apps
