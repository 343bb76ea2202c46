// Fuzzes the ccl.yaml reader: any input may be refused with base::ConfigError; anything else
// escaping (another exception, a crash, a sanitizer report, a hang) is a finding. The reader runs
// without the algorithm registry (which needs the whole machine model): the harness names the
// built-in kinds and the keys they declare, as their algorithm files do.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kernbench/base/error.h"
#include "kernbench/ccl/detail/ccl_reader.h"

namespace {
using kernbench::ccl::AlgorithmEntry;
using kernbench::ccl::EntryKey;

const std::vector<std::pair<std::string, EntryKey>>& declared() {
  static const std::vector<std::pair<std::string, EntryKey>> keys{
      {"tree",
       {"fanout", EntryKey::Shape::count,
        [](AlgorithmEntry& e, const std::vector<int>& v) { e.fanout = v[0]; }}},
      {"mesh_2d",
       {"mesh", EntryKey::Shape::rows_cols,
        [](AlgorithmEntry& e, const std::vector<int>& v) {
          e.mesh_rows = v[0];
          e.mesh_cols = v[1];
        }}},
      {"msccl", {"file", EntryKey::Shape::file, nullptr, true}}};
  return keys;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<std::string> kinds{"ring",         "tree", "mesh_2d", "halving_doubling",
                                              "hierarchical", "msccl"};
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const kernbench::ccl::CclConfig config =
        kernbench::ccl::detail::read_ccl_text(text, "fuzz.yaml", kinds, declared());
    for (const auto& entry : config.entries) (void)config.find(entry.name);
  } catch (const kernbench::base::ConfigError&) {
  }
  return 0;
}
