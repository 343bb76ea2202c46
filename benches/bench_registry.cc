#include "benches/bench_registry.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

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

void check_params(std::span<const Bench* const> chosen, const BenchParams& given) {
  std::vector<std::string> declared;
  for (const Bench* b : chosen)
    for (const BenchParam& p : b->params)
      if (std::ranges::find(declared, p.name) == declared.end()) declared.push_back(p.name);
  for (const auto& [name, value] : given.given()) {
    if (std::ranges::find(declared, name) != declared.end()) continue;
    std::string benches;
    for (const Bench* b : chosen)
      benches += fmt::format("{}{} ({})", benches.empty() ? "" : "; ", b->name,
                             b->params.empty() ? "none" : param_names(b->params));
    // A name that differs only in case is the likeliest meant ("k" for "K", not "M").
    const auto same_letters = std::ranges::find_if(declared, [&](const std::string& d) {
      return std::ranges::equal(d, name, {}, ::tolower, ::tolower);
    });
    const auto guess =
        same_letters != declared.end() ? *same_letters : base::closest_name(name, declared);
    throw base::ConfigError(
        {fmt::format("--param {}={}: no bench run takes '{}'{}; parameters: {}", name, value, name,
                     guess ? fmt::format(" (did you mean '{}'?)", *guess) : "", benches)});
  }
}

}  // namespace kernbench::benches
