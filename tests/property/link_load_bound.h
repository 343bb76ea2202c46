// The link-load bound of a collective, the claim the physics properties rest on: every byte an
// algorithm's textbook schedule sends crosses every channel of its route, so no run can finish
// before the busiest channel has served its bytes. The traffic comes from each algorithm's
// definition (who sends how many bytes to whom, per op), never from what the model logged.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "kernbench/base/units.h"
#include "kernbench/ccl/collective_op.h"
#include "kernbench/ccl/install_plan.h"
#include "kernbench/hw/fabric.h"
#include "kernbench/mem/memory_id.h"
#include "kernbench/topo/coord.h"

namespace kernbench::property {

/// One stream of a textbook schedule: `from` sends `elements` to `to` in step `step`; a reducing
/// send lands in the receiver's receive buffer (then is combined into its data), a copy lands in
/// its data.
struct Send {
  int from = 0;
  int to = 0;
  int step = 0;
  std::uint64_t elements = 0;
  bool reduce = false;
  bool operator==(const Send&) const = default;
};

/// The textbook traffic of `op` over `count` elements per rank by the algorithm of `plan` (its
/// kind and neighbour tables): ring reduce-scatter / all-gather around ring.next; 2-D mesh along
/// the columns' rings over row blocks, then the rows' rings; recursive halving from distance p/2
/// down, recursive doubling from distance 1 up; tree and hierarchical reduce up / broadcast,
/// scatter or gather down their spanning trees; broadcast and reduce along the breadth-first tree
/// of every slot from `root`; all_to_all by pairwise exchange (rank r sends part q to rank q).
std::vector<Send> textbook_traffic(const ccl::InstallPlan& plan, ccl::CollectiveOp op,
                                   std::uint64_t count, int root);

/// Where each rank's bytes sit: sends read `source` (the data, or all_to_all's input), reducing
/// sends land in `receive` (the receive buffer), copies in `data`; `pes` reduce.
struct RankMemories {
  std::vector<mem::MemoryId> source, receive, data;
  std::vector<topo::PeCoord> pes;
};

/// The bytes every channel carries and the bound they give.
struct LinkLoad {
  std::map<const hw::Channel*, std::uint64_t> bytes;
  base::SimTime bound;                   // max over channels of bytes / bandwidth
  const hw::Channel* busiest = nullptr;  // the channel that sets it
  /// The most crossings of one channel in one step (sends, their passes); a send of more than
  /// one message (`message_bytes`) crosses the memory it lands in in the next step too, where
  /// its receiver forwards the first messages while the later ones land.
  int most_crossings = 0;
};

/// Maps `sends` (of `element_bytes` each) onto the fabric's routes between the ranks' memories;
/// every byte counts on every stage it crosses (twice where a route crosses a stage twice). With
/// `reductions`, a reducing send also costs its receiver's reduction: both operands read into the
/// receiver's PE (from its receive buffer and its data) and the result written back to its data.
LinkLoad link_load(const hw::Fabric& fabric, const std::vector<Send>& sends,
                   const RankMemories& memories, std::uint64_t element_bytes,
                   bool reductions = true, std::uint64_t message_bytes = 0);

/// What the routes of `sends` (messages of at most `message_bytes`, the ccl chunk) are like.
struct RouteFigures {
  /// Some message's route is window-limited: its rate is set by a link's input buffer over its
  /// credit round trip rather than by bandwidth, or the message is larger than its DMA window
  /// (`chunks_in_flight` chunks) and the window over a chunk's trip is below the route's rate
  /// (hw::route_rates).
  bool window_limited = false;
  /// The longest trip of one DMA chunk along a message's route: every stage's latency and service.
  base::SimTime longest_trip;
  /// The longest time one DMA chunk takes at the pace of a message's route: its slowest stage's
  /// service, or the chunk's share of a window (link buffer or DMA window) over its round trip.
  base::SimTime slowest_chunk;
};
RouteFigures route_figures(const hw::Fabric& fabric, const std::vector<Send>& sends,
                           const RankMemories& memories, std::uint64_t element_bytes,
                           std::uint64_t message_bytes, base::Bytes dma_chunk,
                           int chunks_in_flight);

}  // namespace kernbench::property
