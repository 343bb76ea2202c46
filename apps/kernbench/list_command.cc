// `kernbench list`: what can be named on the command line, registry by registry: kernels,
// collective algorithm kinds and the ccl.yaml entries that use them, and the built-in benches.
#include <algorithm>

#include <fmt/format.h>

#include "benches/default_benches.h"
#include "command.h"

#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/ccl_config.h"
#include "kernbench/rt/demo_kernels.h"
#include "kernbench/rt/kernel_registry.h"

namespace kernbench::apps {
namespace {

void print_kernels(const rt::KernelRegistry& kernels) {
  fmt::print("Kernels ({})\n", kernels.size());
  std::size_t width = 0;
  for (const std::string& name : kernels.names()) width = std::max(width, name.size());
  for (const std::string& name : kernels.names())
    fmt::print("  {:<{}}  {}\n", name, width, kernels.help(name));
}

void print_algorithms(const GlobalOptions& options) {
  const ccl::AlgorithmRegistry registry = ccl::default_algorithm_registry();
  fmt::print("\nCollective algorithm kinds ({})\n", registry.algorithms().size());
  for (const auto& a : registry.algorithms()) fmt::print("  {}\n", a->summary());
  const std::vector<std::string> kinds = registry.kinds();
  const ccl::CclConfig config = options.ccl_file.empty()
                                    ? ccl::default_ccl_config(kinds)
                                    : ccl::load_ccl_file(options.ccl_file, kinds);
  fmt::print("\nCollective algorithms of {} ({})\n", config.source, config.entries.size());
  std::size_t width = 0;
  for (const auto& e : config.entries) width = std::max(width, e.name.size());
  for (const auto& e : config.entries) {
    const std::string world = e.world_size ? std::to_string(*e.world_size) : "all PEs";
    fmt::print("  {:<{}}  {}, world size {}, buffer {}, chunk {}\n", e.name, width, e.kind, world,
               mem::name(e.buffer), e.chunk_size);
  }
}

void print_benches() {
  benches::BenchRegistry registry;
  benches::register_default_benches(registry);
  fmt::print("\nBenches ({}), for kernbench run\n", registry.size());
  std::size_t width = 0;
  for (const std::string& name : registry.names()) width = std::max(width, name.size());
  for (const std::string& name : registry.names())
    fmt::print("  {:<{}}  {}\n", name, width, registry.find(name).help);
}

}  // namespace

void add_list_command(CLI::App& app, const GlobalOptions& options) {
  CLI::App* cmd =
      app.add_subcommand("list", "List the registered kernels and collective algorithms");
  cmd->fallthrough();
  cmd->callback([&options] {
    rt::KernelRegistry kernels;
    rt::register_demo_kernels(kernels);
    print_kernels(kernels);
    print_algorithms(options);
    print_benches();
  });
}

}  // namespace kernbench::apps
