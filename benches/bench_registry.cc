#include "benches/bench_registry.h"

#include <algorithm>

#include "kernbench/base/error.h"
#include "kernbench/base/name_suggestion.h"

namespace kernbench::benches {

void BenchRegistry::add(Bench bench) {
  const auto it = std::find_if(benches_.begin(), benches_.end(),
                               [&](const Bench& b) { return b.name == bench.name; });
  if (it != benches_.end())
    *it = std::move(bench);
  else
    benches_.push_back(std::move(bench));
}

const Bench& BenchRegistry::find(std::string_view name) const {
  for (const Bench& b : benches_)
    if (b.name == name) return b;
  throw base::NotFoundError(base::unknown_name_message("bench", name, names()));
}

std::vector<std::string> BenchRegistry::names() const {
  std::vector<std::string> out;
  out.reserve(benches_.size());
  for (const Bench& b : benches_) out.push_back(b.name);
  return out;
}

}  // namespace kernbench::benches
