// What a bench rank sees: its rank and the world size, its runtime session (current device,
// tensors, launches), its process, and the torch.distributed-style calls -- process groups and
// collectives on rt tensors. The launcher (rank_launcher.h) makes one per rank.
#pragma once

#include <string_view>
#include <vector>

#include "kernbench/ccl/process_group.h"
#include "kernbench/ccl/reduce_op.h"
#include "kernbench/rt/session.h"
#include "kernbench/sim/process.h"
#include "kernbench/topo/coord.h"

namespace kernbench::ccl {

class World;

class RankContext {
 public:
  RankContext(World& world, int rank, sim::Process& process, rt::Session& session);
  RankContext(const RankContext&) = delete;
  RankContext& operator=(const RankContext&) = delete;

  /// This rank (dist.get_rank()).
  int rank() const { return rank_; }
  /// Ranks the launcher runs (dist.get_world_size()).
  int world_size() const;
  /// The PE this rank's collectives run on: its tensors must sit there (docs/collectives.md).
  topo::PeCoord pe() const;
  sim::Process& process() const { return process_; }
  rt::Session& session() const { return session_; }
  /// The rank's own device (current when the bench starts): its SIP, cube or PE, as the rank map
  /// says.
  rt::Device device() const;
  /// Makes rank `index`'s device this rank's current device (torch.ahbm.set_device(rank)).
  void set_device(int index) { session_.set_device(index); }
  void set_device(rt::Device device) { session_.set_device(device); }

  /// Joins the group of every rank (dist.init_process_group); `entry` names the ccl.yaml entry
  /// whose algorithm, buffer memory and chunk size it uses (empty: ring_default_ws).
  ProcessGroup& init_process_group(std::string_view entry = {});
  /// Joins the group of `ranks` (each member calls it with the same list, in the same order
  /// relative to its other groups).
  ProcessGroup& new_group(std::vector<int> ranks, std::string_view entry = {});
  /// The group init_process_group made; ConfigError if it was not called.
  ProcessGroup& world_group() const;

  /// Collectives on the world group (see ProcessGroup).
  void all_reduce(rt::Tensor& tensor, ReduceOp op = ReduceOp::sum) {
    world_group().all_reduce(*this, tensor, op);
  }
  void reduce_scatter(rt::Tensor& tensor, ReduceOp op = ReduceOp::sum) {
    world_group().reduce_scatter(*this, tensor, op);
  }
  void all_gather(rt::Tensor& tensor) { world_group().all_gather(*this, tensor); }
  void broadcast(rt::Tensor& tensor, int root) { world_group().broadcast(*this, tensor, root); }
  void reduce(rt::Tensor& tensor, int root, ReduceOp op = ReduceOp::sum) {
    world_group().reduce(*this, tensor, root, op);
  }
  void all_to_all(rt::Tensor& output, const rt::Tensor& input) {
    world_group().all_to_all(*this, output, input);
  }
  void barrier() { world_group().barrier(*this); }

 private:
  World& world_;
  int rank_;
  sim::Process& process_;
  rt::Session& session_;
  ProcessGroup* world_group_ = nullptr;
};

}  // namespace kernbench::ccl
