// Runs a Schedule on the machine -- the one executor of every collective: each chunk of a message
// stream is an IPCQ message of hw::Ipcq (the queue from its sender on the op's channel: credit,
// DMA of the data into a receive slot or straight into the receiver's data, descriptor, credit
// back), reductions run on the receiver's vector unit with base::combine_into, reading their
// operands from memory and writing the result back over the fabric. Callback-driven (no process
// per chunk); a chunk leaves as soon as the chunks it depends on have landed, so steps and phases
// pipeline. Chunks are made as they leave: a schedule made only of rings (the ring algorithm's)
// runs from its ring records, any other from its ops' dependency graph (detail/schedule_graph.h),
// and a queue hands hw::Ipcq no more sends than it has credits, keeping the rest as spans of
// chunks; so memory grows with the ops and the chunks in flight, not with the chunks sent.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <utility>
#include <vector>

#include "kernbench/base/combine.h"
#include "kernbench/ccl/install_plan.h"
#include "kernbench/ccl/schedule.h"
#include "kernbench/hw/system.h"

namespace kernbench::ccl {

namespace detail {
class ChunkCounts;
class ScheduleGraph;
}  // namespace detail

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
  /// The most chunks on their way at once: the executor keeps a record of each, no more.
  std::size_t most_in_flight() const;

 private:
  struct Queue;
  struct Message;
  struct Chain;
  struct Reducer;
  struct Gate;
  // Chunks [first, last) of graph op `op`.
  struct Span {
    std::uint32_t op = 0;
    std::uint64_t first = 0, last = 0;
  };

  std::uint64_t chunks(std::uint64_t elements) const;
  void build_queues();
  bool build_chains();
  void build_gates();
  Message& new_message();
  void release_in_order(std::vector<Span> spans);
  void satisfied(std::uint32_t op, std::uint64_t chunk);
  void inputs_in(std::uint32_t op, std::uint64_t chunk);
  void ready(std::uint32_t op, std::uint64_t chunk);
  void send_chunk(std::uint32_t op, std::uint64_t chunk);
  void open_gate(int rank, int phase);
  void send(Message& m);
  void send_ring(std::uint32_t chain, int member, int step, std::uint64_t chunk);
  void start_rings();
  void processed(Message& m);
  void forward(Message& m);
  static void on_granted(void* m);
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
  std::vector<mem::PhysAddr> data_, scratch_, input_;
  std::vector<topo::PeCoord> pes_;
  std::vector<hw::Pe*> pe_of_;  // per rank: its PE, looked up once
  ScheduleArgs args_;
  std::uint64_t esize_ = 0;
  std::uint64_t chunk_elements_ = 0;
  std::vector<std::unique_ptr<Queue>> queues_;
  std::unique_ptr<detail::ScheduleGraph> graph_;  // unless the schedule runs as chains of rings
  std::vector<std::uint32_t> op_queue_;           // per graph op: its queue (local copies: kLocal)
  std::vector<Chain> chains_;                     // the rings the schedule runs as, when it does
  std::deque<Message> messages_;                  // chunks in flight, and spare ones
  std::vector<Message*> spare_;
  // Per graph op: how many of the chunks each of its chunks waits for are processed (counted
  // for chunks that wait for more than one).
  std::vector<detail::ChunkCounts> counts_;
  std::uint64_t total_ = 0;  // messages of the whole schedule
  std::vector<Gate> gates_;
  std::vector<Reducer> reducers_;  // per rank
  std::uint64_t left_ = 0;
  base::SimTime started_, finished_;
  sim::EventFn done_ = nullptr;
  void* done_ctx_ = nullptr;
};

}  // namespace kernbench::ccl
