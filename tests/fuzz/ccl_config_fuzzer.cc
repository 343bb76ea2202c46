// Fuzzes the ccl.yaml loader: any input may be refused with base::ConfigError; anything else
// escaping (another exception, a crash, a sanitizer report, a hang) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kernbench/base/error.h"
#include "kernbench/ccl/ccl_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The kinds the default algorithm registry declares (the loader takes them as a list).
  static const std::vector<std::string> kinds{"ring", "tree", "mesh_2d", "halving_doubling",
                                              "hierarchical"};
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const kernbench::ccl::CclConfig config =
        kernbench::ccl::load_ccl_text(text, "fuzz.yaml", kinds);
    for (const auto& entry : config.entries) (void)config.find(entry.name);
  } catch (const kernbench::base::ConfigError&) {
  }
  return 0;
}
