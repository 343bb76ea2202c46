// The one declaration of every topology parameter: key path, kind, unit, default and help. It
// drives the loader (what keys exist and how to read them), the defaults, the range checks and
// `kernbench topo --explain` (STYLE.md rule 6).
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kernbench/topo/topology_spec.h"

namespace kernbench::topo {

/// How a parameter's value is written and read.
enum class ParameterKind {
  count,
  size,
  bandwidth,
  time,
  frequency,
  interconnect,
  fabric_model,
  corners
};

/// A parsed value, before it is stored in the spec.
using ParameterValue = std::variant<std::int64_t, Bytes, Bandwidth, SimTime, Frequency,
                                    SipInterconnect, FabricModel, std::vector<Corner>>;

/// One row of the table.
struct Parameter {
  std::string_view key;  // dotted YAML key path
  ParameterKind kind;
  std::string_view plain_unit;    // what a plain number means ("MiB", "bytes"); "" = unit required
  std::string_view default_text;  // written as in YAML; "" = required
  std::string_view help;
  std::int64_t min = 1;  // inclusive range of counts (and of sizes in bytes)
  std::int64_t max = std::numeric_limits<int>::max();
  void (*store)(TopologySpec&, const ParameterValue&) = nullptr;
  ParameterValue (*read)(const TopologySpec&) = nullptr;  // the value a spec holds

  bool required() const { return default_text.empty(); }
};

/// Every parameter, in the order of configs/ahbm_default.yaml.
std::span<const Parameter> topology_parameters();
/// The parameter with this key path, or nullptr.
const Parameter* find_parameter(std::string_view key);
/// A value written so that `--set key=value` (and a topology file) gives it back: "256 GB/s",
/// "[nw, ne]", "ring", "64".
std::string parameter_text(const ParameterValue& value);
/// "count", "size", "bandwidth", ... as --explain prints them.
std::string_view name(ParameterKind kind);
/// The units (or names) a value of this kind is written with, e.g. "ps, ns, us, ms, s".
std::string accepted_units(ParameterKind kind);

}  // namespace kernbench::topo
