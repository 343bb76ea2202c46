#include "mpi_points.h"

#include <algorithm>
#include <numeric>

#include "bench_runner.h"
#include "mpi_codec.h"

namespace kernbench::apps {
std::vector<int> assign_points(std::span<const std::uint64_t> costs, int processes) {
  std::vector<std::size_t> order(costs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return costs[a] > costs[b]; });
  std::vector<std::uint64_t> load(static_cast<std::size_t>(std::max(processes, 1)), 0);
  std::vector<int> owners(costs.size(), 0);
  for (std::size_t i : order) {
    const auto least = std::min_element(load.begin(), load.end());  // first of equals
    owners[i] = static_cast<int>(least - load.begin());
    *least += std::max<std::uint64_t>(costs[i], 1);
  }
  return owners;
}

std::vector<std::string> run_points_spread(const MpiWorld& world, const std::vector<int>& owners,
                                           int jobs,
                                           const std::function<std::string(std::size_t)>& run) {
  std::vector<std::size_t> mine;
  for (std::size_t i = 0; i < owners.size(); ++i)
    if (owners[i] == world.rank()) mine.push_back(i);
  std::vector<std::string> outcomes(mine.size());
  parallel_for(mine.size(), jobs, [&](std::size_t k) {
    try {
      outcomes[k] = encode_result(run(mine[k]));
    } catch (...) {
      outcomes[k] = encode_error(std::current_exception());
    }
  });
  const std::vector<std::string> parts = world.gather(encode_points(mine, outcomes));
  if (!world.root()) return {};
  std::vector<std::string> by_point(owners.size());
  for (const std::string& part : parts) decode_points(part, by_point);
  for (std::string& outcome : by_point) outcome = std::string(result_or_throw(outcome));
  return by_point;
}

}  // namespace kernbench::apps
