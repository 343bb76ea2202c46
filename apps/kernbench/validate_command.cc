// `kernbench validate [FILE...]`: checks topology and ccl files and prints every problem (file:
// line:col, key path, expected, found), not only the first; exit 1 if any. A ccl file (one with a
// top-level `algorithms:` key) is also planned entry by entry on the machine of the global
// options. With no FILE, checks the machine of the global options (--topology, --set, --ccl).
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "command.h"
#include "config_files.h"

#include "kernbench/base/error.h"
#include "kernbench/base/input_file.h"
#include "kernbench/base/limit_error.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::apps {
namespace {

bool is_ccl_text(const std::string& text) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("algorithms:", 0) == 0) return true;
  return false;
}

// Every problem of a ccl file: its own, then each entry that does not fit the machine (its ranks,
// or its receive buffers in their memory).
std::vector<std::string> ccl_problems(const GlobalOptions& options, const std::string& path,
                                      const std::string& text, std::string& summary) {
  const ccl::AlgorithmRegistry registry = ccl::default_algorithm_registry();
  ccl::CclConfig config;
  try {
    config = ccl::load_ccl_text(text, path, registry.kinds());
  } catch (const base::ConfigError& e) {
    return e.problems();
  }
  const topo::TopologySpec spec = load_machine(options);
  std::vector<std::string> problems;
  for (const ccl::AlgorithmEntry& entry : config.entries) {
    try {
      ccl::check_receive_buffers(entry, registry.plan(entry, spec), spec);
    } catch (const base::ConfigError& e) {
      problems.insert(problems.end(), e.problems().begin(), e.problems().end());
    }
  }
  summary =
      fmt::format("collective algorithms, {} entr{}, each planned on {}", config.entries.size(),
                  config.entries.size() == 1 ? "y" : "ies", spec.source);
  return problems;
}

std::vector<std::string> topology_problems(const GlobalOptions& options, const std::string& path,
                                           const std::string& text, std::string& summary) {
  try {
    const topo::TopologySpec s =
        path.empty() ? load_machine(options)
                     : topo::load_topology_text(text, path, topology_overrides(options.overrides));
    summary = fmt::format("topology, {} SIP(s) x {} cubes x {} PEs", s.system.sip_count,
                          s.cubes_per_sip(), s.pes_per_cube());
  } catch (const base::ConfigError& e) {
    return e.problems();
  }
  return {};
}

// The collective algorithms of --ccl and --set ccl.* (none given: nothing to check, no problem).
std::vector<std::string> option_ccl_problems(const GlobalOptions& options, std::string& summary) {
  const ccl::CclInputs inputs = ccl_inputs(options);
  if (inputs.file.empty() && inputs.settings.empty()) return {};
  try {
    const ccl::CclConfig config = ccl::load_ccl_config(inputs, ccl::default_algorithm_registry());
    summary += fmt::format("; collective algorithms, {} entries", config.entries.size());
  } catch (const base::ConfigError& e) {
    return e.problems();
  }
  return {};
}

// Prints the verdict of one file (a path, or a shipped configuration's name); true if it has no
// problem.
bool validate(const GlobalOptions& options, const std::string& given) {
  const std::string path = shipped_path(given, false).value_or(given);
  std::string summary, text;
  if (!path.empty()) {
    const std::uint64_t limit =
        max_input_bytes(options);  // a bad option is the user's, not the file's
    try {
      text = base::read_input_file(path, "topology or ccl file", limit);
    } catch (const base::InputSizeLimitError& e) {
      fmt::print("{}: 1 problem\n  {} ({})\n", path, e.what(), kRaiseInputSize);
      return false;
    } catch (const base::ConfigError& e) {
      fmt::print("{}: 1 problem\n  {}\n", path, e.problems().front());
      return false;
    }
  }
  const bool ccl = !path.empty() && is_ccl_text(text);
  std::vector<std::string> problems = ccl ? ccl_problems(options, path, text, summary)
                                          : topology_problems(options, path, text, summary);
  if (path.empty())
    for (std::string& p : option_ccl_problems(options, summary)) problems.push_back(std::move(p));
  const std::string name =
      path.empty() ? (options.topology_file.empty() ? std::string(topo::kDefaultTopologySource)
                                                    : options.topology_file)
                   : path;
  if (problems.empty()) {
    fmt::print("{}: ok ({})\n", name, summary);
    return true;
  }
  fmt::print("{}: {} problem{}\n", name, problems.size(), problems.size() == 1 ? "" : "s");
  for (const std::string& p : problems) fmt::print("  {}\n", p);
  return false;
}

}  // namespace

void add_validate_command(CLI::App& app, const GlobalOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "validate", "Check topology or ccl files and print every problem (exit 1 if any)");
  cmd->fallthrough();
  auto files = std::make_shared<std::vector<std::string>>();
  cmd->add_option("file", *files,
                  "Topology or ccl YAML files (default: the machine of --topology / --set)");
  cmd->callback([&options, files] {
    std::size_t bad = 0;
    if (files->empty()) bad += validate(options, "") ? 0 : 1;
    for (const std::string& f : *files) bad += validate(options, f) ? 0 : 1;
    if (bad > 0)
      throw base::Error(fmt::format("{} of {} file(s) have problems", bad,
                                    std::max<std::size_t>(files->size(), 1)));
  });
}

}  // namespace kernbench::apps
