// A process group: some bench ranks, the install plan their collectives run on (plan rank i on
// group rank i's PE) with its receive buffers, and the rendezvous that starts a collective once
// every member has called it. Shared by the members; each call names the calling rank's context.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kernbench/ccl/collective.h"
#include "kernbench/ccl/collective_call.h"
#include "kernbench/ccl/install_plan.h"
#include "kernbench/ccl/reduce_op.h"
#include "kernbench/hw/system.h"
#include "kernbench/rt/tensor.h"

namespace kernbench::ccl {

class RankContext;

class ProcessGroup {
 public:
  /// A group of bench `ranks` (ascending; group rank i = ranks[i]) whose collectives run on
  /// `plan` (plan rank i = group rank i); allocates each rank's receive buffer.
  ProcessGroup(hw::System& system, std::string name, std::vector<int> ranks, InstallPlan plan,
               bool timing_only);
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;
  /// Frees the receive buffers.
  ~ProcessGroup();

  const std::string& name() const { return name_; }
  /// The bench ranks, ascending.
  const std::vector<int>& ranks() const { return ranks_; }
  int size() const { return static_cast<int>(ranks_.size()); }
  /// The group rank of bench rank `rank`, or -1 if it is not a member.
  int rank_of(int rank) const;
  /// What the group installed (entry, kind, PEs, neighbour tables).
  const InstallPlan& plan() const { return plan_; }

  /// The caller's part of creating the group: blocks until every member has joined with the
  /// same entry and the IPCQ tables are installed (one IpcqInit request, by the last to join).
  void join(RankContext& rank, std::string_view entry);

  /// In place on the caller's tensor: every member ends with the reduction over members.
  void all_reduce(RankContext& rank, rt::Tensor& tensor, ReduceOp op = ReduceOp::sum);
  /// In place: member i ends with the sum over members of segment i (elements
  /// [i*n/p, (i+1)*n/p)); the rest of its tensor holds partial sums.
  void reduce_scatter(RankContext& rank, rt::Tensor& tensor, ReduceOp op = ReduceOp::sum);
  /// In place: every member ends with member i's segment i, for every i.
  void all_gather(RankContext& rank, rt::Tensor& tensor);
  /// In place: every member ends with bench rank `root`'s tensor (a tree from the root over the
  /// group's neighbour tables).
  void broadcast(RankContext& rank, rt::Tensor& tensor, int root);
  /// In place: bench rank `root` ends with the reduction over members (sum, prod, max, min); the
  /// others hold partial results.
  void reduce(RankContext& rank, rt::Tensor& tensor, int root, ReduceOp op = ReduceOp::sum);
  /// Member j's `output` segment i becomes member i's `input` segment j (both one shard on the
  /// rank's PE, same dtype and size, a multiple of the group size; pairwise exchange).
  void all_to_all(RankContext& rank, rt::Tensor& output, const rt::Tensor& input);
  /// Returns once every member has called it (a small timed all-reduce, no data).
  void barrier(RankContext& rank);

 private:
  int member(const RankContext& rank, std::string_view op) const;
  CollectiveCall tensor_call(const RankContext& rank, std::string op, const rt::Tensor& tensor,
                             ReduceOp reduce) const;
  void collective(RankContext& rank, CollectiveCall call);
  int root_member(const RankContext& rank, std::string_view op, int root) const;
  struct Arrival {
    Rendezvous* rendezvous;
    std::uint64_t sequence;
    bool last;  // the call completed the rendezvous: the caller starts the work
  };
  Arrival arrive(int member, CollectiveCall call);
  void leave(const Arrival& arrival);
  void start(Rendezvous& rendezvous);
  static void on_done(void* rendezvous);

  hw::System& system_;
  std::string name_;
  std::vector<int> ranks_;
  InstallPlan plan_;
  bool timing_only_;
  std::vector<mem::PhysAddr> scratch_;    // per group rank, in the plan's buffer memory
  std::vector<std::uint64_t> next_call_;  // per group rank: its next call's sequence number
  std::map<std::uint64_t, std::unique_ptr<Rendezvous>> calls_;
};

}  // namespace kernbench::ccl
