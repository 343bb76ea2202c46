// parse_trace_filter(): the text form of --trace-filter (declared in trace_filter.h).
#include <algorithm>
#include <charconv>
#include <optional>
#include <set>
#include <string>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/report/trace_filter.h"
#include "kernbench/topo/quantity_parser.h"

namespace kernbench::report {
namespace {

constexpr int kMaxNumber = 1'000'000;  // larger than any machine; keeps ranges small

[[noreturn]] void fail(std::string_view item, std::string_view expected) {
  throw base::ConfigError({fmt::format("--trace-filter: '{}': expected {}", item, expected)});
}

// Splits `text` at `separator`, keeping empty pieces (so "a,,b" is an error, not "a,b").
std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  for (std::size_t from = 0;;) {
    const std::size_t at = text.find(separator, from);
    pieces.push_back(text.substr(from, at == std::string_view::npos ? at : at - from));
    if (at == std::string_view::npos) return pieces;
    from = at + 1;
  }
}

std::optional<int> number(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > kMaxNumber)
    return std::nullopt;
  return value;
}

// "0|2|4-7" -> {0, 2, 4, 5, 6, 7}, sorted and without repeats.
std::vector<int> numbers(std::string_view item, std::string_view value) {
  constexpr std::string_view kExpected = "numbers or ranges like 1-3, separated by '|'";
  std::set<int> kept;
  for (std::string_view piece : split(value, '|')) {
    const std::size_t dash = piece.find('-');
    const auto low = number(piece.substr(0, dash));
    const auto high = dash == std::string_view::npos ? low : number(piece.substr(dash + 1));
    if (!low || !high || *high < *low) fail(item, kExpected);
    for (int n = *low; n <= *high; ++n) kept.insert(n);
  }
  return {kept.begin(), kept.end()};
}

std::vector<std::string> unit_names(std::string_view item, std::string_view value) {
  const std::vector<std::string_view> known = known_unit_kinds();
  std::vector<std::string> kinds;
  for (std::string_view piece : split(value, '|')) {
    if (std::ranges::find(known, piece) == known.end())
      fail(item, fmt::format("unit kinds separated by '|', from: {}", fmt::join(known, ", ")));
    kinds.emplace_back(piece);
  }
  return kinds;
}

std::vector<std::string> prefixes(std::string_view item, std::string_view value) {
  std::vector<std::string> kept;
  for (std::string_view piece : split(value, '|')) {
    if (piece.empty()) fail(item, "track prefixes separated by '|', like sip0/cube1|sip1");
    kept.emplace_back(piece);
  }
  return kept;
}

base::SimTime time(std::string_view item, std::string_view value) {
  try {
    return topo::parse_time(value);
  } catch (const base::ConfigError&) {
    fail(item, "a time with a unit (ps, ns, us, ms, s), like 10us");
  }
}

}  // namespace

TraceFilter parse_trace_filter(std::string_view text) {
  TraceFilter filter;
  if (text.empty()) return filter;
  std::set<std::string_view> seen;
  for (std::string_view item : split(text, ',')) {
    const std::size_t eq = item.find('=');
    const std::string_view key = item.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? "" : item.substr(eq + 1);
    if (eq == std::string_view::npos || value.empty())
      fail(item, "key=value with a key from: sip, cube, pe, unit, track, from, to");
    if (!seen.insert(key).second) fail(item, fmt::format("'{}' at most once", key));
    if (key == "sip")
      filter.sips = numbers(item, value);
    else if (key == "cube")
      filter.cubes = numbers(item, value);
    else if (key == "pe")
      filter.pes = numbers(item, value);
    else if (key == "unit")
      filter.unit_kinds = unit_names(item, value);
    else if (key == "track")
      filter.track_prefixes = prefixes(item, value);
    else if (key == "from")
      filter.from = time(item, value);
    else if (key == "to")
      filter.to = time(item, value);
    else
      fail(item, "a key from: sip, cube, pe, unit, track, from, to");
  }
  if (filter.to <= filter.from) fail(text, "'from' before 'to'");
  return filter;
}

}  // namespace kernbench::report
