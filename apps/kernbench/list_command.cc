// `kernbench list`: what can be named on the command line, registry by registry. For now the
// kernel registry, filled with the built-in demo kernels; later issues add their registries here.
#include <algorithm>

#include <fmt/format.h>

#include "command.h"

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

}  // namespace

void add_list_command(CLI::App& app, const GlobalOptions& /*options*/) {
  CLI::App* cmd = app.add_subcommand("list", "List the registered kernels");
  cmd->fallthrough();
  cmd->callback([] {
    rt::KernelRegistry kernels;
    rt::register_demo_kernels(kernels);
    print_kernels(kernels);
  });
}

}  // namespace kernbench::apps
