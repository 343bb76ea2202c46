// `kernbench list [SECTION [NAME...]]`: what can be named on the command line, registry by
// registry -- benches, kernels, collective algorithms (kinds and ccl.yaml entries), configurations
// -- or only the named entries of one section (an unknown name is answered with the known ones).
#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "algorithm_commands.h"
#include "config_files.h"
#include "usage_error.h"

#include "kernbench/base/error.h"
#include "kernbench/base/name_suggestion.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/ccl_config.h"
#include "kernbench/rt/kernel_registry.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::apps {
namespace {

struct ListOptions {
  std::string section;             // empty: every section
  std::vector<std::string> names;  // empty: every entry of the section
};

// The names to show: all of `known`, or the requested ones (each checked by `find`).
template <typename Find>
std::vector<std::string> selected(const std::vector<std::string>& known,
                                  const std::vector<std::string>& wanted, Find find) {
  for (const std::string& name : wanted) find(name);
  return wanted.empty() ? known : wanted;
}

std::size_t width_of(const std::vector<std::string>& names) {
  std::size_t width = 0;
  for (const std::string& name : names) width = std::max(width, name.size());
  return width;
}

// A named bench also shows its --param shape parameters: name, default and meaning.
void print_bench_params(const benches::Bench& bench) {
  if (bench.params.empty()) {
    fmt::print("    no parameters\n");
    return;
  }
  std::size_t name_width = 0, default_width = 0;
  for (const benches::BenchParam& p : bench.params) {
    name_width = std::max(name_width, p.name.size());
    default_width = std::max(default_width, p.default_text.size());
  }
  fmt::print("    parameters (--param NAME=VALUE, a whole number of at least 1):\n");
  for (const benches::BenchParam& p : bench.params)
    fmt::print("      {:<{}}  default {:<{}}  {}\n", p.name, name_width, p.default_text,
               default_width, p.help);
}

void print_benches(const benches::BenchRegistry& registry, const std::vector<std::string>& wanted) {
  const auto names =
      selected(registry.names(), wanted, [&](const std::string& n) { registry.find(n); });
  fmt::print("Benches ({}), for kernbench run and sweep\n", registry.size());
  for (const std::string& name : names) {
    fmt::print("  {:<{}}  {}\n", name, width_of(names), registry.find(name).help);
    if (!wanted.empty()) print_bench_params(registry.find(name));
  }
}

void print_kernels(const rt::KernelRegistry& kernels, const std::vector<std::string>& wanted) {
  const auto names =
      selected(kernels.names(), wanted, [&](const std::string& n) { kernels.help(n); });
  fmt::print("Kernels ({})\n", kernels.size());
  for (const std::string& name : names)
    fmt::print("  {:<{}}  {}\n", name, width_of(names), kernels.help(name));
}

void print_algorithms(const GlobalOptions& options, const ccl::AlgorithmRegistry& registry,
                      const std::vector<std::string>& wanted) {
  const ccl::CclConfig config = load_ccl(options, registry);
  const auto names =
      selected(config.names(), wanted, [&](const std::string& n) { config.find(n); });
  if (wanted.empty()) {
    fmt::print("Collective algorithm kinds ({})\n", registry.algorithms().size());
    for (const auto& a : registry.algorithms()) fmt::print("  {}\n", a->summary());
    fmt::print("\n");
  }
  fmt::print("Collective algorithms of {} ({})\n", config.source, config.entries.size());
  for (const std::string& name : names) {
    const ccl::AlgorithmEntry& e = config.find(name);
    const std::string world = e.world_size ? std::to_string(*e.world_size) : "all PEs";
    fmt::print("  {:<{}}  {}, world size {}, buffer {}, chunk {}\n", e.name, width_of(names),
               e.kind, world, mem::name(e.buffer), e.chunk_size);
  }
}

std::string machine_summary(const topo::TopologySpec& s) {
  return fmt::format("{} SIP(s) x {} x {} cubes x {} PEs = {} PEs", s.system.sip_count,
                     s.sip.mesh_w, s.sip.mesh_h, s.pes_per_cube(), s.total_pes());
}

// The shipped configurations (config_files.h), each by the name --topology takes.
void print_configs(const std::vector<std::string>& wanted) {
  const std::vector<ConfigFile> files = config_files();
  std::vector<std::string> known;
  for (const ConfigFile& f : files) known.push_back(f.name);
  std::vector<std::string> names = selected(known, wanted, [&](const std::string& n) {
    if (std::find(known.begin(), known.end(), std::filesystem::path(n).stem()) == known.end())
      throw base::NotFoundError(base::unknown_name_message("configuration", n, known));
  });
  for (std::string& n : names) n = std::filesystem::path(n).stem().string();
  const std::string embedded = "(embedded default)";
  const std::size_t width = std::max(width_of(names), embedded.size());
  fmt::print(
      "Configurations (use with --topology NAME from any folder; --ccl FILE for collective "
      "files)\n");
  fmt::print("  {:<{}}  {}\n", embedded, width, machine_summary(topo::default_topology()));
  for (const std::string& name : names) {
    const ConfigFile& f = *std::find_if(files.begin(), files.end(),
                                        [&](const ConfigFile& c) { return c.name == name; });
    fmt::print("  {:<{}}  {}\n", name, width,
               f.collective ? "collective algorithms (--ccl)"
                            : machine_summary(topo::load_topology_file(f.path.string())));
  }
}

void list(const GlobalOptions& options, const Registries& registries, const ListOptions& l) {
  const bool all = l.section.empty();
  if (all || l.section == "benches") print_benches(registries.benches, l.names);
  if (all) fmt::print("\n");
  if (all || l.section == "kernels") print_kernels(registries.kernels, l.names);
  if (all) fmt::print("\n");
  if (all || l.section == "algorithms") print_algorithms(options, registries.algorithms, l.names);
  if (all) fmt::print("\n");
  if (all || l.section == "configs") print_configs(l.names);
}

}  // namespace

void add_list_command(CLI::App& app, const GlobalOptions& options, const Registries& registries) {
  CLI::App* cmd = app.add_subcommand(
      "list", "List the benches, kernels, collective algorithms and configurations");
  cmd->fallthrough();
  auto l = std::make_shared<ListOptions>();
  cmd->add_option("section", l->section, "One section: benches, kernels, algorithms or configs")
      ->check(check_name("section", {"benches", "kernels", "algorithms", "configs"}));
  cmd->add_option("name", l->names, "Only these entries of the section");
  cmd->callback([&options, &registries, l] {
    if (!l->names.empty() && l->section.empty())
      throw CLI::ValidationError("name", "give a section before names");
    list(options, registries, *l);
  });
}

}  // namespace kernbench::apps
