// The only file that touches yaml-cpp: YAML text and --set overrides -> RawConfig, guided by the
// parameter table (sections are walked, parameters are taken as leaves, anything else is unknown).
#include "kernbench/topo/topology_loader.h"

#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include "kernbench/base/error.h"
#include "kernbench/base/input_file.h"
#include "kernbench/topo/detail/key_suggestion.h"
#include "kernbench/topo/detail/topology_builder.h"
#include "kernbench/topo/quantity_parser.h"

namespace kernbench::topo {
namespace {

using detail::RawConfig;
using detail::RawItem;
using detail::RawValue;

std::string origin_of(const std::string& source, const YAML::Mark& mark) {
  if (mark.is_null()) return source;
  return fmt::format("{}:{}:{}", source, mark.line + 1, mark.column + 1);
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar: return fmt::format("\"{}\"", node.Scalar());
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    default: return "nothing";
  }
}

// `fixed_origin` empty: positions come from the YAML marks; else every item carries it (--set).
RawValue to_raw(const YAML::Node& node, const std::string& origin, const std::string& source,
                const std::string& fixed_origin) {
  RawValue v;
  v.origin = origin;
  const auto item_origin = [&](const YAML::Node& n) {
    return fixed_origin.empty() ? origin_of(source, n.Mark()) : fixed_origin;
  };
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      v.shape = RawValue::Shape::scalar;
      v.items.push_back({node.Scalar(), origin, true});
      break;
    case YAML::NodeType::Sequence:
      v.shape = RawValue::Shape::sequence;
      for (const YAML::Node& item : node) {
        v.items.push_back(
            {item.IsScalar() ? item.Scalar() : "", item_origin(item), item.IsScalar()});
      }
      break;
    case YAML::NodeType::Map: v.shape = RawValue::Shape::mapping; break;
    default: v.shape = RawValue::Shape::null; break;
  }
  return v;
}

void unknown_key(const std::string& at, const std::string& key, RawConfig& raw) {
  raw.problems.push_back(
      fmt::format("{}: {}: unknown key, {}", at, excerpt(key), detail::suggest_key(key)));
  if (const auto closest = detail::closest_key(key)) raw.suggested.insert(*closest);
}

void walk_section(const YAML::Node& node, const std::string& section, RawConfig& raw) {
  std::set<std::string> seen;
  for (const auto& entry : node) {
    const std::string name = entry.first.IsScalar() ? entry.first.Scalar() : describe(entry.first);
    const std::string key = section.empty() ? name : section + "." + name;
    const std::string at = origin_of(raw.source, entry.first.Mark());
    const YAML::Node& value = entry.second;
    const std::string value_at = value.Mark().is_null() ? at : origin_of(raw.source, value.Mark());
    if (!seen.insert(name).second) {
      raw.problems.push_back(fmt::format("{}: {}: duplicate key", at, key));
    } else if (find_parameter(key) != nullptr) {
      raw.values[key] = to_raw(value, value_at, raw.source, "");
    } else if (detail::is_section(key) && (value.IsMap() || value.IsNull())) {
      raw.sections[key] = at;
      if (value.IsMap()) walk_section(value, key, raw);
    } else if (detail::is_section(key)) {
      raw.broken_sections.insert(key);
      raw.problems.push_back(
          fmt::format("{}: {}: expected a mapping with keys {}, found {}", value_at, key,
                      fmt::join(detail::section_children(key), ", "), describe(value)));
    } else {
      unknown_key(at, key, raw);
    }
  }
}

void read_yaml(std::string_view text, RawConfig& raw) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    raw.problems.push_back(
        fmt::format("{}: invalid YAML: {}", origin_of(raw.source, e.mark), e.msg));
    raw.broken_sections.insert("");
    return;
  }
  if (root.IsMap()) {
    walk_section(root, "", raw);
  } else if (!root.IsNull()) {
    raw.broken_sections.insert("");
    raw.problems.push_back(
        fmt::format("{}: expected a mapping with keys system, sip, cube, found {}",
                    origin_of(raw.source, root.Mark()), describe(root)));
  }
}

void apply_override(const std::string& text, RawConfig& raw) {
  const std::string origin = "--set " + excerpt(text);
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    raw.problems.push_back(fmt::format("{}: expected key.path=value", origin));
    return;
  }
  const std::string key = text.substr(0, eq);
  if (find_parameter(key) == nullptr) {
    if (detail::is_section(key)) {
      raw.problems.push_back(fmt::format("{}: {} is a section, not a parameter; set one of {}",
                                         origin, key,
                                         fmt::join(detail::section_children(key), ", ")));
    } else {
      unknown_key(origin, key, raw);
    }
    return;
  }
  YAML::Node value;
  try {
    value = YAML::Load(text.substr(eq + 1));
  } catch (const YAML::Exception&) {
    value = YAML::Node(text.substr(eq + 1));  // not YAML on its own: take the text as written
  }
  raw.values[key] = to_raw(value, origin, raw.source, origin);
}

}  // namespace

TopologySpec load_topology_text(std::string_view text, std::string_view source_name,
                                const Overrides& overrides) {
  RawConfig raw;
  raw.source = std::string(source_name);
  read_yaml(text, raw);
  for (const std::string& o : overrides) apply_override(o, raw);
  return detail::build_topology(raw);
}

TopologySpec load_topology_file(const std::string& path, const Overrides& overrides,
                                std::uint64_t max_input_bytes) {
  return load_topology_text(base::read_input_file(path, "topology file", max_input_bytes), path,
                            overrides);
}

TopologySpec default_topology(const Overrides& overrides) {
  return load_topology_text(default_topology_text(), kDefaultTopologySource, overrides);
}

}  // namespace kernbench::topo
