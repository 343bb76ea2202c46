// What the ranks of one launch share: the runtime, each rank's PE and device, the ccl.yaml entries
// and the algorithm registry, and the process groups (created by their first member, kept until the
// launch ends).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/ccl_config.h"
#include "kernbench/ccl/process_group.h"
#include "kernbench/ccl/rank_map.h"
#include "kernbench/rt/runtime.h"

namespace kernbench::ccl {

class World {
 public:
  /// `places[r]` is rank r's PE and device; `ccl` the entries groups may name, whose kinds are
  /// `algorithms`' (both outlive the world).
  World(rt::Runtime& runtime, std::vector<RankPlace> places, const CclConfig& ccl,
        const AlgorithmRegistry& algorithms, bool timing_only);
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  rt::Runtime& runtime() const { return runtime_; }
  int size() const { return static_cast<int>(places_.size()); }
  topo::PeCoord pe(int rank) const { return places_.at(static_cast<std::size_t>(rank)).pe; }
  rt::Device device(int rank) const { return places_.at(static_cast<std::size_t>(rank)).device; }

  /// The group of `ranks` that `caller` creates for the k-th time (k counted per caller and
  /// rank list), made on first request: ConfigError for a bad rank list or an entry whose world
  /// size is not the group's, NotFoundError for an unknown entry, CollectiveMismatchError when a
  /// member of it waits to create another group that has the caller (neither could ever complete).
  ProcessGroup& group(int caller, std::vector<int> ranks, std::string_view entry);
  /// Records that `rank` waits to join `group` (null: it has joined).
  void joining(int rank, const ProcessGroup* group, std::string_view entry);

 private:
  InstallPlan plan(const std::vector<int>& ranks, std::string_view entry,
                   std::string_view group) const;

  rt::Runtime& runtime_;
  std::vector<RankPlace> places_;
  const CclConfig& ccl_;
  const AlgorithmRegistry& registry_;
  bool timing_only_;
  std::map<std::pair<std::vector<int>, int>, std::unique_ptr<ProcessGroup>> groups_;
  std::map<std::pair<int, std::vector<int>>, int> created_;  // (caller, ranks) -> groups made
  struct Joining {
    const ProcessGroup* group = nullptr;
    std::string entry;
  };
  std::vector<Joining> joining_;  // per rank: the group it waits to join
};

}  // namespace kernbench::ccl
