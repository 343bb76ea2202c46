// Fuzzes the topology loader and --set: the input is YAML text, then after each NUL byte one
// override ("key.path=value"). Any input may be refused with base::ConfigError; anything else
// escaping (another exception, a crash, a sanitizer report, a hang) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kernbench/base/error.h"
#include "kernbench/topo/topology_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t end = input.find('\0');
  const std::string_view yaml = input.substr(0, end);
  kernbench::topo::Overrides overrides;
  for (std::size_t at = end; at != std::string_view::npos && at < input.size();) {
    const std::size_t next = input.find('\0', at + 1);
    overrides.emplace_back(input.substr(at + 1, next - at - 1));
    at = next;
  }
  try {
    const kernbench::topo::TopologySpec spec =
        kernbench::topo::load_topology_text(yaml, "fuzz.yaml", overrides);
    (void)spec.total_pes();
  } catch (const kernbench::base::ConfigError&) {
  }
  return 0;
}
