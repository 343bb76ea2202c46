// The topology as read from YAML and --set, before typing: each parameter's text with where it
// came from. The YAML reader (topology_loader.cc) fills it; the builder types and checks it, so
// only one file of the layer touches yaml-cpp.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace kernbench::topo::detail {

/// One scalar as written, with its origin ("file:line:col" or "--set key=value").
struct RawItem {
  std::string text;
  std::string origin;
  bool is_scalar = true;  // false: a nested mapping or sequence where a scalar belongs
};

/// A parameter's value: one scalar, a sequence of scalars, or something of the wrong shape.
struct RawValue {
  enum class Shape { scalar, sequence, mapping, null };
  Shape shape = Shape::null;
  std::vector<RawItem> items;  // the scalar, or the sequence's items (non-scalars: text "")
  std::string origin;
};

/// Everything read, plus the problems met while reading (unknown keys, syntax, shapes).
struct RawConfig {
  std::string source;                           // file path or "<embedded ...>"
  std::map<std::string, RawValue> values;       // by parameter key path
  std::map<std::string, std::string> sections;  // section key path -> origin (for missing keys)
  std::vector<std::string> problems;
  // Sections that could not be read ("" = the whole file): their keys are not also "missing".
  std::set<std::string> broken_sections;
  // Keys an unknown key was taken for ("did you mean ..."): not also reported as missing, so a
  // misspelt required key gives one problem, the one with the suggestion.
  std::set<std::string> suggested;
};

}  // namespace kernbench::topo::detail
