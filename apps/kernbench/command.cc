#include "command.h"

#include <fmt/format.h>

#include "config_files.h"
#include "usage_error.h"

#include "kernbench/base/error.h"
#include "kernbench/base/quantity_parser.h"
#include "kernbench/topo/host_memory.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::apps {

std::uint64_t parse_bytes(const std::string& text, std::string_view option) {
  try {
    return base::parse_size(text, 1).count();
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
             : topo::load_topology_file(topology_path(options.topology_file, "--topology"),
                                        overrides, max_input_bytes(options));
}

std::string version_text() { return "kernbench " KERNBENCH_VERSION; }

std::string check_file_name(const std::string& text) {
  return text.empty() ? "expected a file name, found an empty value" : "";
}

std::function<std::string(const std::string&)> check_jobs() {
  return check_integer("a number of threads", 0, kMaxJobs, "0: one per hardware thread");
}

}  // namespace kernbench::apps
