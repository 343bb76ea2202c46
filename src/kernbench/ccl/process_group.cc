#include "kernbench/ccl/process_group.h"

#include <algorithm>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/ccl/rank_context.h"
#include "kernbench/hw/unit_costs.h"
#include "kernbench/sim/process.h"

namespace kernbench::ccl {
ProcessGroup::ProcessGroup(hw::System& system, std::string name, std::vector<int> ranks,
                           InstallPlan plan, bool timing_only)
    : system_(system),
      name_(std::move(name)),
      ranks_(std::move(ranks)),
      plan_(std::move(plan)),
      timing_only_(timing_only),
      next_call_(ranks_.size(), 0) {
  KB_ASSERT(plan_.world_size() == size(), "a group's plan has one rank per member");
  for (const topo::PeCoord& pe : plan_.ranks)
    scratch_.push_back(Collective::allocate_scratch(system_, plan_, pe));
}

ProcessGroup::~ProcessGroup() {
  for (const mem::PhysAddr pa : scratch_) system_.allocator().free(pa);
}

int ProcessGroup::rank_of(int rank) const {
  const auto it = std::find(ranks_.begin(), ranks_.end(), rank);
  return it == ranks_.end() ? -1 : static_cast<int>(it - ranks_.begin());
}

int ProcessGroup::member(const RankContext& rank, std::string_view op) const {
  const int m = rank_of(rank.rank());
  if (m < 0)
    throw base::ConfigError(
        {fmt::format("rank {} called {} on group '{}', which it is not a member of (ranks {})",
                     rank.rank(), op, name_, fmt::join(ranks_, ", "))});
  return m;
}

// The rule of docs/collectives.md: a rank's tensor is one shard on the rank's PE.
CollectiveCall ProcessGroup::tensor_call(const RankContext& rank, std::string op,
                                         const rt::Tensor& tensor, ReduceOp reduce) const {
  const int m = member(rank, op);
  const topo::PeCoord pe = plan_.ranks[static_cast<std::size_t>(m)];
  const auto shards = tensor.shards();
  if (shards.size() != 1 || shards.front().pe != pe)
    throw base::ShapeError(fmt::format(
        "{} on group '{}': rank {}'s tensor '{}' must be one shard on the rank's PE {}; it has {} "
        "shard(s), the first on {}",
        op, name_, rank.rank(), tensor.name(), pe, shards.size(), shards.front().pe));
  return {std::move(op),
          tensor.dtype(),
          static_cast<std::uint64_t>(tensor.numel()),
          reduce,
          tensor.shard_pa(0),
          -1,
          {}};
}

void ProcessGroup::join(RankContext& rank, std::string_view entry) {
  CollectiveCall call;
  call.op = fmt::format("new_group({})", entry.empty() ? "ring_default_ws" : entry);
  const Arrival a = arrive(member(rank, "new_group"), std::move(call));
  if (a.last) {  // the last member installs the tables through the engine, then releases all
    const hw::RequestHandle h =
        rank.session().submit(hw::Request{plan_.to_ipcq_init()}, "ipcq_init", name_);
    rank.session().wait_requests(std::span(&h, 1));
    a.rendezvous->finish();
  }
  rank.process().wait(*a.rendezvous);
  leave(a);
}

void ProcessGroup::all_reduce(RankContext& rank, rt::Tensor& tensor, ReduceOp op) {
  collective(rank, tensor_call(rank, "all_reduce", tensor, op));
}

void ProcessGroup::reduce_scatter(RankContext& rank, rt::Tensor& tensor, ReduceOp op) {
  if (op == ReduceOp::avg)
    throw base::NotFoundError("reduce_scatter takes sum, prod, max or min (avg is all_reduce's)");
  collective(rank, tensor_call(rank, "reduce_scatter", tensor, op));
}

void ProcessGroup::all_gather(RankContext& rank, rt::Tensor& tensor) {
  collective(rank, tensor_call(rank, "all_gather", tensor, ReduceOp::sum));
}

int ProcessGroup::root_member(const RankContext& rank, std::string_view op, int root) const {
  const int m = rank_of(root);
  if (m < 0)
    throw base::ConfigError({fmt::format(
        "rank {} called {} on group '{}' with root {}, which is not a member (ranks {})",
        rank.rank(), op, name_, root, fmt::join(ranks_, ", "))});
  return m;
}

void ProcessGroup::broadcast(RankContext& rank, rt::Tensor& tensor, int root) {
  root_member(rank, "broadcast", root);
  CollectiveCall call = tensor_call(rank, "broadcast", tensor, ReduceOp::sum);
  call.root = root;
  collective(rank, std::move(call));
}

void ProcessGroup::reduce(RankContext& rank, rt::Tensor& tensor, int root, ReduceOp op) {
  if (op == ReduceOp::avg)
    throw base::NotFoundError("reduce takes sum, prod, max or min (avg is all_reduce's)");
  root_member(rank, "reduce", root);
  CollectiveCall call = tensor_call(rank, "reduce", tensor, op);
  call.root = root;
  collective(rank, std::move(call));
}

void ProcessGroup::all_to_all(RankContext& rank, rt::Tensor& output, const rt::Tensor& input) {
  CollectiveCall call = tensor_call(rank, "all_to_all", output, ReduceOp::sum);
  const CollectiveCall in = tensor_call(rank, "all_to_all", input, ReduceOp::sum);
  if (in.dtype != call.dtype || in.count != call.count)
    throw base::ShapeError(fmt::format(
        "all_to_all on group '{}': rank {}'s output '{}' ({} x {}) and input '{}' ({} x {}) differ",
        name_, rank.rank(), output.name(), base::name(call.dtype), call.count, input.name(),
        base::name(in.dtype), in.count));
  if (call.count % static_cast<std::uint64_t>(size()) != 0)
    throw base::ShapeError(fmt::format(
        "all_to_all on group '{}': rank {}'s {} elements do not split into {} equal parts", name_,
        rank.rank(), call.count, size()));
  call.input = in.data;
  collective(rank, std::move(call));
}

void ProcessGroup::barrier(RankContext& rank) {
  const int m = member(rank, "barrier");
  // One byte per member, timing-only, on the receive buffers: the time of a tiny all-reduce.
  collective(rank, {"barrier",
                    base::DType::u8,
                    static_cast<std::uint64_t>(size()),
                    ReduceOp::sum,
                    scratch_[static_cast<std::size_t>(m)],
                    -1,
                    {}});
}

ProcessGroup::Arrival ProcessGroup::arrive(int member, CollectiveCall call) {
  const std::uint64_t seq = next_call_[static_cast<std::size_t>(member)]++;
  auto& slot = calls_[seq];
  if (!slot) slot = std::make_unique<Rendezvous>(name_, ranks_, seq);
  const bool last = slot->arrive(member, std::move(call));
  if (last) slot->check_match();
  return {slot.get(), seq, last};
}

void ProcessGroup::leave(const Arrival& a) {
  if (a.rendezvous->leave()) calls_.erase(a.sequence);
}

void ProcessGroup::collective(RankContext& rank, CollectiveCall call) {
  const int m = member(rank, call.op);
  rank.session().synchronize();  // the data is written before the collective reads it
  const bool avg = call.reduce == ReduceOp::avg;
  const base::DType dtype = call.dtype;
  const std::uint64_t count = call.count;
  const Arrival a = arrive(m, std::move(call));
  if (a.last) start(*a.rendezvous);
  rank.process().wait(*a.rendezvous);
  if (avg) {  // the division, one vector pass on the rank's PE
    const auto& core = system_.spec().cube.pe.core;
    rank.process().wait(base::cycles_to_time(
        hw::vector_cycles(core, dtype, static_cast<std::int64_t>(count)), core.clock));
  }
  leave(a);
}

void ProcessGroup::start(Rendezvous& r) {
  const CollectiveCall& first = *r.calls().front();
  const bool barrier = first.op == "barrier";
  if (first.reduce == ReduceOp::avg && !timing_only_) {
    r.then = [this, &r] {
      const CollectiveCall& c = *r.calls().front();
      std::vector<std::byte> bytes(c.count * base::size_bytes(c.dtype));
      for (const auto& call : r.calls()) {
        system_.bytes().read(call->data, bytes);
        divide_elements(bytes, c.dtype, size());
        system_.bytes().write(call->data, bytes);
      }
    };
  }
  const CollectiveOp op = barrier ? CollectiveOp::all_reduce : *parse_collective_op(first.op);
  if ((size() == 1 && op != CollectiveOp::all_to_all) || first.count == 0) {  // nothing moves
    on_done(&r);
    return;
  }
  std::vector<mem::PhysAddr> data, input;
  for (const auto& call : r.calls()) {
    data.push_back(call->data);
    if (op == CollectiveOp::all_to_all) input.push_back(call->input);
  }
  const int root = first.root < 0 ? 0 : rank_of(first.root);
  r.collective =
      std::make_unique<Collective>(system_, plan_, std::move(data), scratch_,
                                   CollectiveArgs{op, first.dtype, combine_op(first.reduce),
                                                  first.count, root, timing_only_ || barrier},
                                   std::move(input));
  r.collective->start(&ProcessGroup::on_done, &r);
}

void ProcessGroup::on_done(void* rendezvous) {
  auto& r = *static_cast<Rendezvous*>(rendezvous);
  if (r.then) r.then();
  r.finish();
}

}  // namespace kernbench::ccl
