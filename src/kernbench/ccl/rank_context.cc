#include "kernbench/ccl/rank_context.h"

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/ccl/world.h"

namespace kernbench::ccl {

RankContext::RankContext(World& world, int rank, sim::Process& process, rt::Session& session)
    : world_(world), rank_(rank), process_(process), session_(session) {}

int RankContext::world_size() const { return world_.size(); }

topo::PeCoord RankContext::pe() const { return world_.pe(rank_); }

rt::Device RankContext::device() const { return world_.device(rank_); }

ProcessGroup& RankContext::init_process_group(std::string_view entry) {
  if (world_group_ != nullptr)
    throw base::ConfigError({fmt::format("rank {} called init_process_group twice", rank_)});
  std::vector<int> all(static_cast<std::size_t>(world_size()));
  for (int r = 0; r < world_size(); ++r) all[static_cast<std::size_t>(r)] = r;
  world_group_ = &new_group(std::move(all), entry);
  return *world_group_;
}

ProcessGroup& RankContext::new_group(std::vector<int> ranks, std::string_view entry) {
  ProcessGroup& group = world_.group(rank_, std::move(ranks), entry);
  world_.joining(rank_, &group, entry);
  group.join(*this, entry);
  world_.joining(rank_, nullptr, entry);
  return group;
}

ProcessGroup& RankContext::world_group() const {
  if (world_group_ == nullptr)
    throw base::ConfigError(
        {fmt::format("rank {} called a collective before init_process_group", rank_)});
  return *world_group_;
}

}  // namespace kernbench::ccl
