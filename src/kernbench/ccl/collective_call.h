// One rendezvous of a process group: what each member asked for (a collective, or the group's
// creation), waited on by every member until the last one has arrived and the work is done. Its
// description is what a deadlock report prints for a rank blocked in a collective.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kernbench/base/dtype.h"
#include "kernbench/base/error.h"
#include "kernbench/ccl/collective.h"
#include "kernbench/ccl/reduce_op.h"
#include "kernbench/mem/phys_addr.h"
#include "kernbench/sim/waitable.h"

namespace kernbench::ccl {

/// Members of a group called different collectives (op, dtype, size or reduction) at the same
/// point of their sequences; the message names every rank and its call.
class CollectiveMismatchError : public base::Error {
 public:
  using base::Error::Error;
};

/// What one rank asked for. Calls match when everything but the data addresses is equal.
struct CollectiveCall {
  std::string op;  // a CollectiveOp's name, "barrier" or "new_group(entry)"
  base::DType dtype = base::DType::u8;
  std::uint64_t count = 0;  // elements
  ReduceOp reduce = ReduceOp::sum;
  mem::PhysAddr data;
  int root = -1;        // broadcast and reduce: the bench rank at the root
  mem::PhysAddr input;  // all_to_all: the tensor it reads (data is the one it writes)

  /// "all_reduce(i32 x 1024, sum)", "broadcast(f32 x 8, root 2)", "barrier",
  /// "new_group(ring_default_ws)".
  std::string describe() const;
  bool matches(const CollectiveCall& other) const {
    return op == other.op && dtype == other.dtype && count == other.count &&
           reduce == other.reduce && root == other.root;
  }
};

/// The k-th rendezvous of a group: ready once the last member arrived and the work finished.
class Rendezvous final : public sim::Waitable {
 public:
  /// `group` names the group in reports; `ranks` are its bench ranks (group rank i = ranks[i]).
  Rendezvous(std::string group, std::vector<int> ranks, std::uint64_t sequence);

  /// Records group rank `member`'s call; true when it was the last to arrive.
  bool arrive(int member, CollectiveCall call);
  /// CollectiveMismatchError naming every rank and its call if the calls differ.
  void check_match() const;
  /// The calls by group rank (all present once complete).
  const std::vector<std::optional<CollectiveCall>>& calls() const { return calls_; }
  /// Marks the work done and wakes every member.
  void finish();
  /// Counts a member leaving; true for the last one (the record may then go).
  bool leave() { return ++left_ == static_cast<int>(ranks_.size()); }

  /// The running collective, kept alive until every member has left.
  std::unique_ptr<Collective> collective;
  /// Runs when the collective is done, before the members wake (avg divides there).
  std::function<void()> then;

  bool ready() const override { return done_; }
  /// "collective #2 of group 'world': rank 0 all_reduce(...), rank 2 all_reduce(...) arrived;
  /// rank 1, rank 3 did not".
  std::string describe() const override;

 private:
  std::string group_;
  std::vector<int> ranks_;
  std::uint64_t sequence_;
  std::vector<std::optional<CollectiveCall>> calls_;
  int arrived_ = 0;
  int left_ = 0;
  bool done_ = false;
};

}  // namespace kernbench::ccl
