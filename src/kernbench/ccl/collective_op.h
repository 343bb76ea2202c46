// Which collective runs: the ops every algorithm offers, their names on the command line, and
// nccl-tests' bus-bandwidth factors.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace kernbench::ccl {

/// All work on each rank's `count` elements, split into p segments (segment i = elements
/// [i*count/p, (i+1)*count/p)). all_reduce: every rank ends with the reduction; reduce_scatter:
/// rank i with the reduced segment i; all_gather: every rank with rank i's segment i, for every i;
/// broadcast: every rank with the root's data; reduce: the root with the reduction; all_to_all:
/// rank j's output segment i is rank i's input segment j (count a multiple of p).
enum class CollectiveOp { all_reduce, reduce_scatter, all_gather, broadcast, reduce, all_to_all };

/// Every op, in declaration order (the order listings and --help give them).
inline constexpr std::array<CollectiveOp, 6> kAllCollectiveOps{
    CollectiveOp::all_reduce, CollectiveOp::reduce_scatter, CollectiveOp::all_gather,
    CollectiveOp::broadcast,  CollectiveOp::reduce,         CollectiveOp::all_to_all};

/// "all_reduce", "reduce_scatter", ...; parse_collective_op is its inverse.
std::string_view name(CollectiveOp op);
std::optional<CollectiveOp> parse_collective_op(std::string_view text);
/// Whether the op combines values (all_reduce, reduce_scatter, reduce).
bool reduces(CollectiveOp op);

/// nccl-tests' bus-bandwidth factor of `op` over `world` ranks: 2(p-1)/p all_reduce, (p-1)/p
/// reduce_scatter, all_gather and all_to_all, 1 broadcast and reduce.
double bus_factor(CollectiveOp op, int world);

}  // namespace kernbench::ccl
