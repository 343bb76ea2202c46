// The ring collectives run on the machine: reduce-scatter, all-gather, and all-reduce (the two in
// a row) around the ring of an install plan, each chunk an IPCQ message of hw::Ipcq (credit, DMA
// of the data, descriptor, credit back), reductions on the receiver's vector unit, which reads its
// operands from memory and writes the result back over the fabric.
// Callback-driven: no process per chunk, so large worlds stay cheap to simulate. See
// docs/collectives.md.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "kernbench/base/combine.h"
#include "kernbench/ccl/install_plan.h"
#include "kernbench/hw/system.h"

namespace kernbench::ccl {

/// Which ring collective. All work in place on each rank's `count` elements, split into p
/// segments (segment i = elements [i*count/p, (i+1)*count/p)): reduce_scatter leaves the reduced
/// segment r on rank r; all_gather spreads each rank's segment r to every rank; all_reduce
/// leaves the whole reduced vector on every rank.
enum class RingKind { all_reduce, reduce_scatter, all_gather };

/// Allocates `size` bytes of `kind` memory near `pe`: its TCM, its cube's SRAM or its home HBM
/// (where a collective's receive buffers live).
mem::PhysAddr allocate_near(hw::System& system, mem::MemoryKind kind, topo::PeCoord pe,
                            base::Bytes size);

/// The bytes of `slots` receive slots of `chunk` bytes each, or the largest base::Bytes when that
/// passes 64 bits (no memory holds it; check_receive_buffers names it).
base::Bytes receive_buffer_bytes(base::Bytes chunk, std::uint64_t slots);

struct RingArgs {
  RingKind kind = RingKind::all_reduce;
  base::DType dtype = base::DType::f32;
  base::CombineOp op = base::CombineOp::sum;
  std::uint64_t count = 0;   // elements per rank
  bool timing_only = false;  // move and compute nothing, time everything the same
};

class RingCollective {
 public:
  /// Bytes of receive buffer each rank needs in the plan's buffer memory: one chunk per queue
  /// entry of its IPCQ.
  static base::Bytes scratch_bytes(const InstallPlan& plan, const topo::TopologySpec& spec);
  /// Allocates one rank's receive buffer (scratch_bytes) in the plan's buffer memory near `pe`:
  /// its TCM, its cube's SRAM or its home HBM.
  static mem::PhysAddr allocate_scratch(hw::System& system, const InstallPlan& plan,
                                        topo::PeCoord pe);

  /// A ring collective over `data[r]` (count elements on rank r's side) with receive buffers
  /// `scratch[r]` (scratch_bytes each, in the plan's buffer memory near rank r). The plan's
  /// tables are installed on the ranks' IPCQs when it starts.
  RingCollective(hw::System& system, const InstallPlan& plan, std::vector<mem::PhysAddr> data,
                 std::vector<mem::PhysAddr> scratch, RingArgs args);
  RingCollective(const RingCollective&) = delete;
  RingCollective& operator=(const RingCollective&) = delete;
  ~RingCollective();

  /// Starts now; done(ctx) runs when every rank holds the result.
  void start(sim::EventFn done, void* ctx);
  /// Starts now and blocks `p` until done.
  void run(sim::Process& p);

  base::SimTime started_at() const { return started_; }
  base::SimTime finished_at() const { return finished_; }
  /// IPCQ messages sent (chunks).
  std::uint64_t messages() const { return messages_; }

 private:
  struct Message;
  struct Rank;

  bool reduces(int step) const { return step < world_ - 1; }
  std::uint64_t segment_begin(int segment) const;
  std::uint64_t chunks_in(int segment) const;
  int sent_segment(int rank, int step) const;
  void send(int rank, int step, std::uint64_t chunk);
  void processed(Message& m);
  static void on_message(void* rank, const hw::IpcqMessage& message);
  static void on_operand(void* m);
  static void on_reduced(void* m);
  static void on_written(void* m);

  hw::System& system_;
  InstallPlan plan_;  // its tables are installed when the collective starts
  std::vector<mem::PhysAddr> scratch_;
  RingArgs args_;
  int world_ = 0;
  int first_step_ = 0;  // global steps [first, end): reduce-scatter steps are 0 .. p-2,
  int end_step_ = 0;    // all-gather steps p-1 .. 2p-3
  std::uint64_t chunk_elements_ = 0;
  std::vector<std::unique_ptr<Rank>> ranks_;
  std::deque<Message> messages_pool_;
  std::vector<Message*> free_;
  int ranks_left_ = 0;
  std::uint64_t messages_ = 0;
  base::SimTime started_, finished_;
  sim::EventFn done_ = nullptr;
  void* done_ctx_ = nullptr;
};

}  // namespace kernbench::ccl
