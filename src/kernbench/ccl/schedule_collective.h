// Runs a Schedule on the machine -- the one executor of every collective: each chunk of a message
// stream is an IPCQ message of hw::Ipcq (the queue from its sender on the op's channel: credit,
// DMA of the data into a receive slot or straight into the receiver's data, descriptor, credit
// back), reductions run on the receiver's vector unit with base::combine_into, reading their
// operands from memory and writing the result back over the fabric. Callback-driven (no process
// per chunk); a chunk leaves as soon as the chunks it depends on have landed, so steps and phases
// pipeline. A schedule made only of rings (the ring algorithm's) runs from its records, each
// chunk made when it leaves, so a 512-rank ring costs memory for the chunks in flight only.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "kernbench/base/combine.h"
#include "kernbench/ccl/install_plan.h"
#include "kernbench/ccl/schedule.h"
#include "kernbench/hw/system.h"

namespace kernbench::ccl {

struct ScheduleArgs {
  base::DType dtype = base::DType::f32;
  base::CombineOp op = base::CombineOp::sum;
  bool timing_only = false;  // move and compute nothing, time everything the same
};

class ScheduleCollective {
 public:
  /// Bytes of receive buffer a rank needs in the plan's buffer memory: one chunk per queue entry
  /// for each neighbour that may send it chunks to reduce.
  static base::Bytes scratch_bytes(const InstallPlan& plan, const topo::TopologySpec& spec);

  /// Runs `schedule` over rank r's `data[r]` (its result, and its source when the schedule is in
  /// place; else `input[r]` is) with receive buffers `scratch[r]` (scratch_bytes each).
  ScheduleCollective(hw::System& system, const InstallPlan& plan, Schedule schedule,
                     std::vector<mem::PhysAddr> data, std::vector<mem::PhysAddr> scratch,
                     ScheduleArgs args, std::vector<mem::PhysAddr> input = {});
  ScheduleCollective(const ScheduleCollective&) = delete;
  ScheduleCollective& operator=(const ScheduleCollective&) = delete;
  ~ScheduleCollective();

  /// Starts now; done(ctx) runs when every message has landed.
  void start(sim::EventFn done, void* ctx);
  /// Starts now and blocks `p` until done.
  void run(sim::Process& p);

  base::SimTime started_at() const { return started_; }
  base::SimTime finished_at() const { return finished_; }
  /// IPCQ messages (chunks) the schedule sends, local copies included.
  std::uint64_t messages() const;

 private:
  struct Queue;
  struct Message;
  struct RingMessage;
  struct Chain;
  struct Reducer;
  // Per rank: the phases it still receives in (phase, messages left, ascending) and the gated
  // messages it holds back until those of earlier phases have landed ((phase, message), ascending).
  struct Gate {
    std::vector<std::pair<int, std::uint64_t>> receiving;
    std::size_t first = 0;
    std::vector<std::pair<int, std::uint32_t>> held;
    std::size_t next = 0;
  };

  std::uint64_t chunks(std::uint64_t elements) const;
  void build_queues();
  bool build_chains();
  void build_messages();
  void build_dependencies();
  void build_gates();
  void open_gate(int rank, int phase);
  void send(Message& m);
  void send_ring(std::uint32_t chain, int member, int step, std::uint64_t chunk);
  void start_rings();
  void processed(Message& m);
  void forward(RingMessage& m);
  static void on_local_dma(void* m);
  static void on_local_data(void* m);
  static void on_message(void* queue, const hw::IpcqMessage& message);
  static void on_operand(void* m);
  static void on_reduced(void* m);
  static void on_written(void* m);
  bool overlap(const Message& a, const Message& b) const;
  void read_operands(Message& m);

  hw::System& system_;
  InstallPlan plan_;  // its tables are installed when the collective starts
  Schedule schedule_;
  std::vector<ScheduleOp> ops_;  // the schedule's ops, unless it runs as chains of rings
  std::vector<mem::PhysAddr> data_, scratch_, input_;
  std::vector<topo::PeCoord> pes_;
  ScheduleArgs args_;
  std::uint64_t esize_ = 0;
  std::uint64_t chunk_elements_ = 0;
  std::vector<std::unique_ptr<Queue>> queues_;
  std::vector<std::uint32_t> op_queue_;  // per op: its queue (local copies: kLocal)
  std::vector<Message> messages_;
  std::vector<std::uint32_t> dependents_;  // CSR: messages waiting on each message
  std::vector<Chain> chains_;              // the rings the schedule runs as, when it does
  std::deque<RingMessage> ring_messages_;  // their chunks in flight, and spare ones
  std::vector<RingMessage*> spare_;
  std::uint64_t total_ = 0;  // messages of the whole schedule
  std::vector<Gate> gates_;
  std::vector<Reducer> reducers_;  // per rank
  std::uint64_t left_ = 0;
  base::SimTime started_, finished_;
  sim::EventFn done_ = nullptr;
  void* done_ctx_ = nullptr;
};

}  // namespace kernbench::ccl
