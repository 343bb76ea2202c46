// A user's own collective algorithm, plugged into the kernbench command line without touching
// KernBench: a "bidirectional ring" all_reduce that sends half of each rank's data round the
// ring one way and the other half the other way, so every ring link carries traffic both ways.
// ccl.yaml entries name it by its kind (bidirectional_ring.yaml); `list algorithms` shows it;
// `ccl bench --check` runs it against the host reference. Built against the installed package.
#include <memory>
#include <numeric>
#include <vector>

#include "kernbench/bench_main.h"
#include "kernbench/ccl/collective_algorithm.h"

using namespace kernbench;

namespace {

class BidirectionalRing final : public ccl::CollectiveAlgorithm {
 public:
  std::string_view kind() const override { return "bidirectional_ring"; }
  std::string_view summary() const override {
    return "bidirectional_ring: half the data round the ring each way (all_reduce; a user's)";
  }
  // Rank r's neighbours: "ring.next" is r + 1, "ring.prev" r - 1 (both the other rank when p = 2).
  std::vector<std::vector<ccl::NeighborSlot>> neighbor_tables(
      const ccl::AlgorithmEntry&, const topo::TopologySpec&,
      const std::vector<topo::PeCoord>& ranks) const override {
    const int p = static_cast<int>(ranks.size());
    std::vector<std::vector<ccl::NeighborSlot>> tables(ranks.size());
    if (p < 2) return tables;
    for (int r = 0; r < p; ++r)
      tables[static_cast<std::size_t>(r)] = {{"ring.next", (r + 1) % p},
                                             {"ring.prev", (r + p - 1) % p}};
    return tables;
  }
  // all_reduce: a ring reduce-scatter and all-gather of the first half along "ring.next", and of
  // the second half along "ring.prev". The other ops keep the defaults every algorithm has
  // (broadcast, reduce, all_to_all) or are refused by name (reduce_scatter, all_gather).
  ccl::Schedule schedule(const ccl::InstallPlan& plan, ccl::CollectiveOp op, std::uint64_t count,
                         int root) const override {
    if (op != ccl::CollectiveOp::all_reduce)
      return CollectiveAlgorithm::schedule(plan, op, count, root);
    const int p = plan.world_size();
    std::vector<int> forward(static_cast<std::size_t>(p));
    std::iota(forward.begin(), forward.end(), 0);
    std::vector<int> backward{0};  // 0, p-1, ..., 1
    for (int r = p - 1; r > 0; --r) backward.push_back(r);
    const ccl::Range halves[] = {{0, count / 2}, {count / 2, count - count / 2}};
    std::vector<ccl::Range> parts[2];
    for (int h = 0; h < 2; ++h)
      for (int i = 0; i < p; ++i) parts[h].push_back(halves[h].part(i, p));
    // No lockstep: a chunk waits only for the chunks of its own elements, so the two directions
    // run at once.
    ccl::ScheduleBuilder b(p);
    b.ring_reduce_scatter(forward, parts[0]);
    b.ring_reduce_scatter(backward, parts[1]);
    b.ring_all_gather(forward, parts[0]);
    b.ring_all_gather(backward, parts[1]);
    return b.take();
  }
};

}  // namespace

int main(int argc, char** argv) {
  Registries registries;  // the built-in kernels and algorithms, and no bench of our own
  registries.algorithms.add(std::make_unique<BidirectionalRing>());
  return bench_main(argc, argv, registries);
}
