#include "benches/bench_params.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "kernbench/base/error.h"

namespace kernbench::benches {

void BenchParams::parse(std::string_view argument) {
  const std::size_t eq = argument.find('=');
  const std::string_view name = argument.substr(0, eq);
  if (eq == std::string_view::npos || name.empty())
    throw base::ConfigError({fmt::format(
        "--param {}: expected NAME=VALUE, e.g. --param M=4096 (docs/benches.md lists each "
        "bench's parameters)",
        argument)});
  const std::string_view text = argument.substr(eq + 1);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1)
    throw base::ConfigError(
        {fmt::format("--param {}: expected a whole number of at least 1 for {}, found \"{}\"",
                     argument, name, text)});
  set(std::string(name), value);
}

std::int64_t BenchParams::get(std::string_view name, std::int64_t fallback) const {
  const auto it = given_.find(name);
  return it == given_.end() ? fallback : it->second;
}

BenchParams BenchParams::only(std::span<const BenchParam> declared) const {
  BenchParams kept;
  for (const auto& [name, value] : given_)
    if (std::ranges::any_of(declared, [&](const BenchParam& p) { return p.name == name; }))
      kept.set(name, value);
  return kept;
}

std::string param_names(std::span<const BenchParam> declared) {
  std::string text;
  for (const BenchParam& p : declared) text += (text.empty() ? "" : ", ") + p.name;
  return text;
}

}  // namespace kernbench::benches
