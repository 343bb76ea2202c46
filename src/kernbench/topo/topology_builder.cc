// RawConfig -> TopologySpec through the parameter table: each value typed by its kind, checked
// against its range, then stored; every problem is kept so that one error lists them all.
#include "kernbench/topo/detail/topology_builder.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kernbench/base/assert.h"
#include "kernbench/base/enum_names.h"
#include "kernbench/base/error.h"
#include "kernbench/base/name_suggestion.h"
#include "kernbench/topo/quantity_parser.h"

namespace kernbench::topo::detail {
namespace {

using Shape = RawValue::Shape;

// A problem with one value: where, which key, what was expected and found.
struct ValueError {
  std::string origin;
  std::string message;
};

// The named value of `choices` that `text` names ("expected one of ... (did you mean ...?)"
// otherwise).
template <class E, std::size_t N>
E parse_choice(const std::string& text, const std::array<E, N>& choices) {
  for (E e : choices) {
    if (name(e) == text) return e;
  }
  const std::vector<std::string> names = base::names_of(choices);
  const auto guess = base::closest_name(text, names);
  throw base::ConfigError(
      {fmt::format("expected one of {}{}, found \"{}\"", fmt::join(names, ", "),
                   guess ? fmt::format(" (did you mean {}?)", *guess) : "", excerpt(text))});
}

std::string found(const RawValue& raw) {
  switch (raw.shape) {
    case Shape::scalar: return fmt::format("\"{}\"", raw.items.front().text);
    case Shape::sequence: return "a list";
    case Shape::mapping: return "a mapping";
    case Shape::null: return "nothing";
  }
  return "?";
}

std::string range_text(const Parameter& p) {
  if (p.max == std::numeric_limits<int>::max() ||
      p.max == std::numeric_limits<std::int64_t>::max()) {
    return p.min == 1 ? "a positive integer" : fmt::format("an integer >= {}", p.min);
  }
  return fmt::format("an integer in {}..{}", p.min, p.max);
}

// Throws ValueError; the scalar's quantity parsers throw ConfigError with "expected ... found".
ParameterValue parse_scalar(const Parameter& p, const std::string& text) {
  switch (p.kind) {
    case ParameterKind::count: {
      const std::int64_t v = parse_integer(text);
      if (v < p.min || v > p.max) {
        throw base::ConfigError({fmt::format("expected {}, found {}", range_text(p), v)});
      }
      return v;
    }
    case ParameterKind::size: {
      const std::uint64_t unit = p.plain_unit == "GiB"     ? std::uint64_t{1} << 30
                                 : p.plain_unit == "MiB"   ? std::uint64_t{1} << 20
                                 : p.plain_unit == "bytes" ? 1
                                                           : 0;
      const Bytes v = parse_size(text, unit);
      if (p.min > 0 && v.count() == 0) {
        throw base::ConfigError(
            {fmt::format("expected a positive size, found \"{}\"", excerpt(text))});
      }
      return v;
    }
    case ParameterKind::bandwidth: {
      const Bandwidth v = parse_bandwidth(text);
      if (v.bytes_per_second() == 0) {
        throw base::ConfigError(
            {fmt::format("expected a positive bandwidth, found \"{}\"", excerpt(text))});
      }
      return v;
    }
    case ParameterKind::time: return parse_time(text);
    case ParameterKind::frequency: {
      const Frequency v = parse_frequency(text);
      if (v.hertz() == 0) {
        throw base::ConfigError(
            {fmt::format("expected a positive frequency, found \"{}\"", excerpt(text))});
      }
      return v;
    }
    case ParameterKind::interconnect: return parse_choice(text, kAllSipInterconnects);
    case ParameterKind::fabric_model: return parse_choice(text, kAllFabricModels);
    case ParameterKind::corners: {
      const std::int64_t n = parse_integer(text);  // a count of corners, in the default order
      if (n < 1 || n > 4) {
        throw base::ConfigError(
            {fmt::format("expected a list of corners or a count in 1..4, found {}", n)});
      }
      return std::vector<Corner>(kAllCorners.begin(), kAllCorners.begin() + n);
    }
  }
  KB_ASSERT(false, "unknown parameter kind");
}

// A list of corner names; every bad item is its own problem.
std::optional<ParameterValue> parse_corner_list(const Parameter& p, const RawValue& raw,
                                                std::vector<std::string>& problems) {
  std::vector<Corner> corners;
  bool ok = !raw.items.empty();
  if (!ok)
    problems.push_back(fmt::format("{}: {}: expected at least one corner, found an empty list",
                                   raw.origin, p.key));
  for (const RawItem& item : raw.items) {
    std::optional<Corner> corner;
    for (Corner c : kAllCorners) {
      if (item.is_scalar && name(c) == item.text) corner = c;
    }
    const std::string shown = item.is_scalar ? fmt::format("\"{}\"", item.text) : "a nested value";
    if (!corner) {
      problems.push_back(fmt::format("{}: {}: unknown corner: expected one of {}, found {}",
                                     item.origin, p.key, base::joined_names(kAllCorners), shown));
      ok = false;
    } else if (std::find(corners.begin(), corners.end(), *corner) != corners.end()) {
      problems.push_back(
          fmt::format("{}: {}: duplicate corner: expected each corner at most once, found {} twice",
                      item.origin, p.key, shown));
      ok = false;
    } else {
      corners.push_back(*corner);
    }
  }
  if (!ok) return std::nullopt;
  return corners;
}

std::optional<ParameterValue> parse_value(const Parameter& p, const RawValue& raw,
                                          std::vector<std::string>& problems) {
  if (raw.shape == Shape::sequence && p.kind == ParameterKind::corners) {
    return parse_corner_list(p, raw, problems);
  }
  if (raw.shape != Shape::scalar) {
    const char* expected =
        p.kind == ParameterKind::corners ? "a list of corners or a count" : "a value";
    problems.push_back(fmt::format(
        "{}: {}: expected {}{}, found {}", raw.origin, p.key, expected,
        p.kind == ParameterKind::corners ? "" : fmt::format(" ({})", name(p.kind)), found(raw)));
    return std::nullopt;
  }
  try {
    return parse_scalar(p, raw.items.front().text);
  } catch (const base::ConfigError& e) {
    problems.push_back(fmt::format("{}: {}: {}", raw.origin, p.key, e.problems().front()));
    return std::nullopt;
  }
}

// Where to point when a required key is missing: its deepest section that was written.
std::string missing_origin(const RawConfig& raw, std::string_view key) {
  for (std::size_t dot = key.rfind('.'); dot != std::string_view::npos;
       dot = key.rfind('.', dot - 1)) {
    const auto it = raw.sections.find(std::string(key.substr(0, dot)));
    if (it != raw.sections.end()) return it->second;
    if (dot == 0) break;
  }
  return raw.source;
}

// Problems read in file order: those at a position of the file by (line, column), then the others
// (--set overrides, defaults) in the order found.
void sort_by_position(const std::string& source, std::vector<std::string>& problems) {
  const auto position = [&](const std::string& p) {
    int line = std::numeric_limits<int>::max();
    int column = 0;
    if (p.starts_with(source + ":") &&
        std::sscanf(p.c_str() + source.size(), ":%d:%d:", &line, &column) != 2) {
      line = std::numeric_limits<int>::max();
    }
    return std::pair(line, column);
  };
  std::stable_sort(problems.begin(), problems.end(),
                   [&](const auto& a, const auto& b) { return position(a) < position(b); });
}

// Whether `key` lies in a section already reported as unreadable.
bool in_broken_section(const RawConfig& raw, std::string_view key) {
  for (const std::string& section : raw.broken_sections) {
    if (section.empty() || (key.starts_with(section) && key[section.size()] == '.')) return true;
  }
  return false;
}

}  // namespace

TopologySpec build_topology(const RawConfig& raw) {
  TopologySpec spec;
  spec.source = raw.source;
  TypedConfig typed;
  std::vector<std::string> problems = raw.problems;
  for (const Parameter& p : topology_parameters()) {
    const auto it = raw.values.find(std::string(p.key));
    std::optional<ParameterValue> value;
    if (it != raw.values.end()) {
      value = parse_value(p, it->second, problems);
      typed.origins[std::string(p.key)] = it->second.origin;
    } else if (p.required() &&
               (in_broken_section(raw, p.key) || raw.suggested.contains(std::string(p.key)))) {
      continue;  // the section's own problem, or the misspelt key's, says it all
    } else if (p.required()) {
      problems.push_back(fmt::format("{}: {}: missing required value (expected {}: {})",
                                     missing_origin(raw, p.key), p.key, name(p.kind), p.help));
    } else {
      RawValue fallback{
          Shape::scalar, {{std::string(p.default_text), raw.source, true}}, raw.source};
      value = parse_value(p, fallback, problems);
      KB_ASSERT(value.has_value(), "a parameter's default does not parse");
      typed.origins[std::string(p.key)] = fmt::format("{} (default)", raw.source);
    }
    if (value) {
      p.store(spec, *value);
      typed.values.emplace(std::string(p.key), *value);
    }
  }
  check_consistency(spec, typed, problems);
  sort_by_position(raw.source, problems);
  if (!problems.empty()) throw base::ConfigError(std::move(problems));
  return spec;
}

}  // namespace kernbench::topo::detail
