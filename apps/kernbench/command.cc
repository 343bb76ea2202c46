#include "command.h"

#include <fmt/format.h>

#include "benches/cube_all_reduce.h"
#include "config_files.h"
#include "usage_error.h"

#include "kernbench/base/error.h"
#include "kernbench/base/quantity_parser.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/ccl_config.h"
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

std::vector<std::string> topology_overrides(const std::vector<std::string>& overrides) {
  std::vector<std::string> out;
  for (const std::string& o : overrides)
    if (!ccl::is_ccl_setting(o)) out.push_back(o);
  return out;
}

ccl::CclInputs ccl_inputs(const GlobalOptions& options) {
  ccl::CclInputs inputs{options.ccl_file, {}, max_input_bytes(options)};
  for (const std::string& o : options.overrides)
    if (ccl::is_ccl_setting(o)) inputs.settings.push_back(o);
  return inputs;
}

void refuse_ccl_settings(const GlobalOptions& options, std::string_view command) {
  for (const std::string& o : options.overrides)
    if (ccl::is_ccl_setting(o))
      throw base::Error(
          fmt::format("--set {}: {} reads no ccl.yaml entry; ccl.* settings apply "
                      "to kernbench ccl bench, ccl plan, list algorithms and "
                      "validate",
                      o, command));
}

namespace {

topo::TopologySpec load_topology(const GlobalOptions& options, const topo::Overrides& overrides) {
  return options.topology_file.empty()
             ? topo::default_topology(overrides)
             : topo::load_topology_file(topology_path(options.topology_file, "--topology"),
                                        overrides, max_input_bytes(options));
}

}  // namespace

topo::TopologySpec load_machine(const GlobalOptions& options) {
  return load_topology(options, topology_overrides(options.overrides));
}

topo::TopologySpec load_machine(const GlobalOptions& options,
                                const std::vector<std::string>& extra) {
  topo::Overrides overrides = topology_overrides(options.overrides);
  for (const std::string& o : topology_overrides(extra)) overrides.push_back(o);
  return load_topology(options, overrides);
}

namespace {

// A ccl.yaml key the benches read: buffer or chunk_size of the entry the all_reduce bench's ring
// takes them from, or of the defaults it inherits. `setting` is valid (the loader read it);
// `option` is how the user gave it.
void refuse_unread_setting(const std::string& setting, std::string_view option,
                           std::string_view command) {
  const std::size_t entry_end = setting.find_first_of(".=", 4);
  const std::string entry = setting.substr(4, entry_end - 4);
  const std::string key =
      setting.substr(entry_end + 1, setting.find_first_of(".=[", entry_end + 1) - entry_end - 1);
  if ((entry == "defaults" || entry == benches::kAllReduceEntry) &&
      (key == "buffer" || key == "chunk_size"))
    return;
  throw base::ConfigError({fmt::format(
      "{} {}: {} runs benches, which read only the buffer and chunk_size of ccl.{} (the "
      "all_reduce bench's ring takes them; unset there, ccl.defaults'); other ccl.yaml keys "
      "apply to kernbench ccl bench --algo {}",
      option, setting, command, benches::kAllReduceEntry, entry == "defaults" ? "ENTRY" : entry)});
}

}  // namespace

ccl::CclConfig load_swept_ccl(const GlobalOptions& options, const std::vector<std::string>& extra,
                              const ccl::AlgorithmRegistry& algorithms) {
  ccl::CclInputs inputs = ccl_inputs(options);
  const std::size_t first_extra = inputs.settings.size();
  for (const std::string& o : extra)
    if (ccl::is_ccl_setting(o)) inputs.settings.push_back(o);
  try {
    return ccl::load_ccl_config(inputs, algorithms);
  } catch (const base::ConfigError& e) {  // a point's value is named by its --sweep
    std::vector<std::string> problems;
    for (const std::string& text : e.problems()) {
      bool swept = false;
      for (std::size_t i = first_extra; i < inputs.settings.size(); ++i)
        swept = swept || text.starts_with("--set " + inputs.settings[i] + ":");
      problems.push_back(swept ? "--sweep " + text.substr(6) : text);
    }
    throw base::ConfigError(problems);
  }
}

std::optional<ccl::CclConfig> bench_ccl_config(const GlobalOptions& options,
                                               const std::vector<std::string>& extra,
                                               std::string_view command) {
  const std::size_t first_extra = ccl_inputs(options).settings.size();
  std::vector<std::string> settings = ccl_inputs(options).settings;
  for (const std::string& o : extra)
    if (ccl::is_ccl_setting(o)) settings.push_back(o);
  if (options.ccl_file.empty() && settings.empty()) return std::nullopt;
  ccl::CclConfig config = load_swept_ccl(options, extra, ccl::default_algorithm_registry());
  for (std::size_t i = 0; i < settings.size(); ++i)
    refuse_unread_setting(settings[i], i < first_extra ? "--set" : "--sweep", command);
  return config;
}

std::string version_text() { return "kernbench " KERNBENCH_VERSION; }

std::string check_file_name(const std::string& text) {
  return text.empty() ? "expected a file name, found an empty value" : "";
}

std::function<std::string(const std::string&)> check_jobs() {
  return check_integer("a number of threads", 0, kMaxJobs, "0: one per hardware thread");
}

}  // namespace kernbench::apps
