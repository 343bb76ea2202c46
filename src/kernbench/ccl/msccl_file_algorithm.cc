// Kind `msccl`: the built-in algorithm whose entries name an MSCCL file (`file: ALGO.xml`). Each
// entry is planned and run by the MSCCL algorithm made from its file (msccl_algorithm.h).
#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/msccl_algorithm.h"

namespace kernbench::ccl {
namespace {

constexpr std::string_view kKind = "msccl";

class MscclFileAlgorithm final : public CollectiveAlgorithm {
 public:
  std::string_view kind() const override { return kKind; }
  std::string_view summary() const override {
    return "msccl: the MSCCL algorithm file an entry names (file: ALGO.xml)";
  }
  std::vector<EntryKey> keys() const override {
    return {EntryKey{"file", EntryKey::Shape::file, nullptr, true}};
  }

  std::shared_ptr<const CollectiveAlgorithm> for_entry(const AlgorithmEntry& e) const override {
    const auto file = e.texts.find("file");
    if (file == e.texts.end())
      throw base::ConfigError(
          {fmt::format("{}: algorithms.{}.file: missing: kind msccl runs the MSCCL file it names",
                       e.origin, e.name)});
    try {
      return make_msccl_algorithm(std::string(kKind), file->second);
    } catch (const base::ConfigError& error) {
      std::vector<std::string> problems;
      for (const std::string& p : error.problems())
        problems.push_back(fmt::format("{}: algorithms.{}.file: {}", e.origin, e.name, p));
      throw base::ConfigError(std::move(problems));
    }
  }

  // Only reached for an entry planned without for_entry (never through the registry).
  std::vector<std::vector<NeighborSlot>> neighbor_tables(
      const AlgorithmEntry& e, const topo::TopologySpec& spec,
      const std::vector<topo::PeCoord>& ranks) const override {
    return for_entry(e)->neighbor_tables(e, spec, ranks);
  }
};

}  // namespace

std::unique_ptr<CollectiveAlgorithm> make_msccl_file_algorithm() {
  return std::make_unique<MscclFileAlgorithm>();
}

}  // namespace kernbench::ccl
