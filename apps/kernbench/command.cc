#include "command.h"

#include <charconv>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/topo/host_memory.h"
#include "kernbench/topo/quantity_parser.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::apps {

std::uint64_t parse_bytes(const std::string& text, std::string_view option) {
  std::string t = text;
  if (!t.empty() && (t.back() == 'K' || t.back() == 'M' || t.back() == 'G')) t += "iB";
  try {
    return topo::parse_size(t, 1).count();
  } catch (const base::ConfigError& e) {
    throw base::ConfigError({fmt::format("{} {}: {}", option, text, e.problems().front())});
  }
}

std::uint64_t max_input_bytes(const GlobalOptions& options) {
  return parse_bytes(options.max_input_size, "--max-input-size");
}

std::uint64_t host_memory_budget(const GlobalOptions& options) {
  return options.max_host_memory.empty()
             ? topo::host_ram_bytes()
             : parse_bytes(options.max_host_memory, "--max-host-memory");
}

topo::TopologySpec load_machine(const GlobalOptions& options) { return load_machine(options, {}); }

topo::TopologySpec load_machine(const GlobalOptions& options,
                                const std::vector<std::string>& extra) {
  topo::Overrides overrides = options.overrides;
  overrides.insert(overrides.end(), extra.begin(), extra.end());
  return options.topology_file.empty()
             ? topo::default_topology(overrides)
             : topo::load_topology_file(options.topology_file, overrides, max_input_bytes(options));
}

ccl::CclConfig load_ccl(const GlobalOptions& options) {
  const std::vector<std::string> kinds = ccl::default_algorithm_registry().kinds();
  return options.ccl_file.empty()
             ? ccl::default_ccl_config(kinds)
             : ccl::load_ccl_file(options.ccl_file, kinds, max_input_bytes(options));
}

std::string version_text() { return "kernbench " KERNBENCH_VERSION; }

std::string check_file_name(const std::string& text) {
  return text.empty() ? "expected a file name, found an empty value" : "";
}

std::function<std::string(const std::string&)> check_jobs(int least) {
  return [least](const std::string& text) -> std::string {
    long long jobs = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), jobs);
    if (error != std::errc() || end != text.data() + text.size() || jobs >= least)
      return "";  // not a number: CLI11's own conversion error names it
    return fmt::format("expected a number of threads of at least {}{}, found {}", least,
                       least == 0 ? " (0: one per hardware thread)" : "", text);
  };
}

}  // namespace kernbench::apps
