// Any collective of an install plan on the machine: the plan's algorithm's schedule for the op,
// run by ScheduleCollective, the one executor.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "kernbench/base/combine.h"
#include "kernbench/ccl/collective_op.h"
#include "kernbench/ccl/install_plan.h"
#include "kernbench/ccl/schedule_collective.h"
#include "kernbench/hw/system.h"

namespace kernbench::ccl {

struct CollectiveArgs {
  CollectiveOp op = CollectiveOp::all_reduce;
  base::DType dtype = base::DType::f32;
  base::CombineOp combine = base::CombineOp::sum;
  std::uint64_t count = 0;   // elements per rank
  int root = 0;              // broadcast and reduce: the plan rank that sends / receives
  bool timing_only = false;  // move and compute nothing, time everything the same
};

class Collective {
 public:
  /// Receive-buffer bytes a rank of `plan` needs for any collective.
  static base::Bytes scratch_bytes(const InstallPlan& plan, const topo::TopologySpec& spec);
  /// Allocates one rank's receive buffer (scratch_bytes) in the plan's buffer memory near `pe`:
  /// its TCM, its cube's SRAM or its home HBM.
  static mem::PhysAddr allocate_scratch(hw::System& system, const InstallPlan& plan,
                                        topo::PeCoord pe);

  /// `args.op` over rank r's `data[r]` with receive buffer `scratch[r]`; all_to_all reads
  /// `input[r]` and writes `data[r]`. ShapeError for a root outside the plan or an all_to_all
  /// count that the world size does not divide.
  Collective(hw::System& system, const InstallPlan& plan, std::vector<mem::PhysAddr> data,
             std::vector<mem::PhysAddr> scratch, const CollectiveArgs& args,
             std::vector<mem::PhysAddr> input = {});
  Collective(const Collective&) = delete;
  Collective& operator=(const Collective&) = delete;
  ~Collective();

  /// Starts now; done(ctx) runs when every rank holds its result.
  void start(sim::EventFn done, void* ctx);
  /// Starts now and blocks `p` until done.
  void run(sim::Process& p);
  base::SimTime started_at() const;
  base::SimTime finished_at() const;
  /// IPCQ messages sent (chunks).
  std::uint64_t messages() const;

 private:
  std::unique_ptr<ScheduleCollective> schedule_;
};

}  // namespace kernbench::ccl
