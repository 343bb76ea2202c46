#include "kernbench/topo/detail/key_suggestion.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kernbench/base/name_suggestion.h"
#include "kernbench/topo/parameter_table.h"

namespace kernbench::topo::detail {
namespace {

// Every parameter key and every section prefix, in table order without repeats.
std::vector<std::string> all_keys() {
  std::vector<std::string> keys;
  for (const Parameter& p : topology_parameters()) {
    const std::string key(p.key);
    for (std::size_t dot = key.find('.'); dot != std::string::npos; dot = key.find('.', dot + 1)) {
      if (std::find(keys.begin(), keys.end(), key.substr(0, dot)) == keys.end()) {
        keys.push_back(key.substr(0, dot));
      }
    }
    keys.push_back(key);
  }
  return keys;
}

std::string_view parent_of(std::string_view key) {
  const std::size_t dot = key.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : key.substr(0, dot);
}

}  // namespace

bool is_section(std::string_view key) {
  for (const Parameter& p : topology_parameters()) {
    if (p.key.size() > key.size() && p.key.starts_with(key) && p.key[key.size()] == '.') {
      return true;
    }
  }
  return key.empty();
}

std::vector<std::string> section_children(std::string_view section) {
  std::vector<std::string> children;
  const std::size_t skip = section.empty() ? 0 : section.size() + 1;
  for (const Parameter& p : topology_parameters()) {
    if (!section.empty() && !(p.key.starts_with(section) && p.key.size() > section.size() &&
                              p.key[section.size()] == '.')) {
      continue;
    }
    const std::string_view rest = p.key.substr(skip);
    const std::string child(rest.substr(0, rest.find('.')));
    if (std::find(children.begin(), children.end(), child) == children.end()) {
      children.push_back(child);
    }
  }
  return children;
}

std::optional<std::string> closest_key(std::string_view unknown_key) {
  // A suggestion must be near: a typo or two, not a different word.
  const std::size_t threshold = std::max<std::size_t>(2, unknown_key.size() / 8);
  std::string best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const std::string& key : all_keys()) {
    // The distance is at least the difference in length: a key that cannot be near is skipped, so
    // a long hostile key costs no quadratic comparison with every key.
    const std::size_t longer = std::max(unknown_key.size(), key.size());
    if (longer - std::min(unknown_key.size(), key.size()) > threshold) continue;
    const auto d = static_cast<std::size_t>(base::edit_distance(unknown_key, key));
    if (d < best_distance) {
      best = key;
      best_distance = d;
    }
  }
  if (best_distance <= threshold) return best;
  return std::nullopt;
}

std::string suggest_key(std::string_view unknown_key) {
  if (const auto closest = closest_key(unknown_key))
    return fmt::format("did you mean {}?", *closest);
  std::string_view section = parent_of(unknown_key);
  while (!is_section(section)) section = parent_of(section);
  return fmt::format("valid keys under {}: {}", section.empty() ? "the top level" : section,
                     fmt::join(section_children(section), ", "));
}

}  // namespace kernbench::topo::detail
