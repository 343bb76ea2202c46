#include "kernbench/ccl/collective_call.h"

#include <iterator>

#include <fmt/format.h>

namespace kernbench::ccl {

std::string CollectiveCall::describe() const {
  if (op.starts_with("new_group") || op == "barrier") return op;
  if (op == "reduce")
    return fmt::format("{}({} x {}, {}, root {})", op, base::name(dtype), count, name(reduce),
                       root);
  if (op == "broadcast")
    return fmt::format("{}({} x {}, root {})", op, base::name(dtype), count, root);
  if (op == "all_reduce" || op == "reduce_scatter")
    return fmt::format("{}({} x {}, {})", op, base::name(dtype), count, name(reduce));
  return fmt::format("{}({} x {})", op, base::name(dtype), count);
}

Rendezvous::Rendezvous(std::string group, std::vector<int> ranks, std::uint64_t sequence)
    : group_(std::move(group)),
      ranks_(std::move(ranks)),
      sequence_(sequence),
      calls_(ranks_.size()) {}

bool Rendezvous::arrive(int member, CollectiveCall call) {
  calls_.at(static_cast<std::size_t>(member)) = std::move(call);
  return ++arrived_ == static_cast<int>(ranks_.size());
}

void Rendezvous::check_match() const {
  bool same = true;
  for (const auto& c : calls_) same = same && c->matches(*calls_.front());
  if (same) return;
  std::string who;
  for (std::size_t i = 0; i < calls_.size(); ++i)
    who += fmt::format("{}rank {} {}", i == 0 ? "" : ", ", ranks_[i], calls_[i]->describe());
  throw CollectiveMismatchError(
      fmt::format("mismatched collectives at call #{} of group '{}': {}", sequence_, group_, who));
}

void Rendezvous::finish() {
  done_ = true;
  notify_all();
}

std::string Rendezvous::describe() const {
  std::string arrived, missing;
  for (std::size_t i = 0; i < calls_.size(); ++i) {
    std::string& out = calls_[i] ? arrived : missing;
    if (!out.empty()) out += ", ";
    out += fmt::format("rank {}", ranks_[i]);
    if (calls_[i]) fmt::format_to(std::back_inserter(out), " {}", calls_[i]->describe());
  }
  if (missing.empty())
    return fmt::format("call #{} of group '{}' ({}), running", sequence_, group_, arrived);
  return fmt::format("call #{} of group '{}': arrived {}; not arrived: {}", sequence_, group_,
                     arrived, missing);
}

}  // namespace kernbench::ccl
