// The names of an enum's values, read from its one name table (`name(value)`) over the array of
// all its values, so that parsing, printing and the lists in error messages and --help agree.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace kernbench::base {

/// `name(v)` for every v of `all`, in order (name found by argument-dependent lookup).
template <typename Enum, std::size_t N>
std::vector<std::string> names_of(const std::array<Enum, N>& all) {
  std::vector<std::string> names;
  names.reserve(N);
  for (Enum value : all) names.emplace_back(name(value));
  return names;
}

/// "a, b, c": the names of `all`, comma-separated.
template <typename Enum, std::size_t N>
std::string joined_names(const std::array<Enum, N>& all) {
  std::string text;
  for (Enum value : all) {
    if (!text.empty()) text += ", ";
    text += name(value);
  }
  return text;
}

}  // namespace kernbench::base
