#include "kernbench/ccl/world.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "kernbench/base/error.h"

namespace kernbench::ccl {

World::World(rt::Runtime& runtime, std::vector<RankPlace> places, const CclConfig& ccl,
             const AlgorithmRegistry& algorithms, bool timing_only)
    : runtime_(runtime),
      places_(std::move(places)),
      ccl_(ccl),
      registry_(algorithms),
      timing_only_(timing_only),
      joining_(places_.size()) {}

void World::joining(int rank, const ProcessGroup* group, std::string_view entry) {
  joining_.at(static_cast<std::size_t>(rank)) = {group, std::string(entry)};
}

InstallPlan World::plan(const std::vector<int>& ranks, std::string_view entry,
                        std::string_view group) const {
  // The entry gives the algorithm, buffer memory and chunk size; the PEs are the members'. An
  // entry made for a world size (world_size: or a ranks: list) takes groups of that size only.
  AlgorithmEntry e = ccl_.find(entry.empty() ? "ring_default_ws" : entry);
  const int members = static_cast<int>(ranks.size());
  const bool listed = e.mapping == RankMapping::explicit_list;
  const std::optional<int> made_for =
      listed ? std::optional<int>(static_cast<int>(e.ranks.size())) : e.world_size;
  if (made_for && *made_for != members)
    throw base::ConfigError({fmt::format(
        "{}: algorithms.{}: made for {} ranks ({}), but group '{}' has {} (ranks {})", e.origin,
        e.name, *made_for, listed ? "a ranks: list" : fmt::format("world_size: {}", *made_for),
        group, members, fmt::join(ranks, ", "))});
  e.world_size = members;
  registry_.find(e.kind).fit_to_group(e);
  e.mapping = RankMapping::explicit_list;
  e.ranks.clear();
  for (const int r : ranks) e.ranks.push_back(pe(r));
  return registry_.plan(e, runtime_.system().spec());
}

ProcessGroup& World::group(int caller, std::vector<int> ranks, std::string_view entry) {
  std::vector<int> sorted = ranks;
  std::sort(sorted.begin(), sorted.end());
  const bool unique = std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end();
  const bool in_range = !sorted.empty() && sorted.front() >= 0 && sorted.back() < size();
  if (!unique || !in_range || !std::binary_search(sorted.begin(), sorted.end(), caller))
    throw base::ConfigError({fmt::format(
        "rank {}: new_group([{}]) needs distinct ranks in 0 .. {} including the caller", caller,
        fmt::join(ranks, ", "), size() - 1)});
  for (const int m : sorted) {  // a member waiting for another group that has the caller: stuck
    const Joining& j = joining_[static_cast<std::size_t>(m)];
    if (m == caller || j.group == nullptr || j.group->ranks() == sorted ||
        j.group->rank_of(caller) < 0)
      continue;
    const auto call = [](const std::vector<int>& r, std::string_view e) {
      return fmt::format("new_group([{}]{}{})", fmt::join(r, ", "), e.empty() ? "" : ", ", e);
    };
    throw CollectiveMismatchError(fmt::format(
        "mismatched group creation: rank {} calls {} while rank {} waits in {}; each waits for "
        "the other",
        caller, call(sorted, entry), m, call(j.group->ranks(), j.entry)));
  }
  const int k = created_[{caller, sorted}]++;
  auto& slot = groups_[{sorted, k}];
  if (!slot) {
    const std::string name = static_cast<int>(sorted.size()) == size()
                                 ? (k == 0 ? std::string("world") : fmt::format("world#{}", k))
                                 : fmt::format("group[{}]", fmt::join(sorted, ", "));
    slot = std::make_unique<ProcessGroup>(runtime_.system(), name, sorted,
                                          plan(sorted, entry, name), timing_only_);
  }
  return *slot;
}

}  // namespace kernbench::ccl
