#include "kernbench/ccl/collective_op.h"

#include <array>
#include <utility>

namespace kernbench::ccl {
namespace {

constexpr std::array<std::pair<std::string_view, CollectiveOp>, 6> kOps{{
    {"all_reduce", CollectiveOp::all_reduce},
    {"reduce_scatter", CollectiveOp::reduce_scatter},
    {"all_gather", CollectiveOp::all_gather},
    {"broadcast", CollectiveOp::broadcast},
    {"reduce", CollectiveOp::reduce},
    {"all_to_all", CollectiveOp::all_to_all},
}};

}  // namespace

std::string_view name(CollectiveOp op) {
  for (const auto& [text, o] : kOps)
    if (o == op) return text;
  return "?";
}

std::optional<CollectiveOp> parse_collective_op(std::string_view text) {
  for (const auto& [t, o] : kOps)
    if (t == text) return o;
  return std::nullopt;
}

bool reduces(CollectiveOp op) {
  return op == CollectiveOp::all_reduce || op == CollectiveOp::reduce_scatter ||
         op == CollectiveOp::reduce;
}

double bus_factor(CollectiveOp op, int world) {
  const double p = world;
  switch (op) {
    case CollectiveOp::all_reduce: return 2 * (p - 1) / p;
    case CollectiveOp::broadcast:
    case CollectiveOp::reduce: return 1;
    case CollectiveOp::reduce_scatter:
    case CollectiveOp::all_gather:
    case CollectiveOp::all_to_all: break;
  }
  return (p - 1) / p;
}

}  // namespace kernbench::ccl
