// "Did you mean ...?" for unknown names (config keys, kernels, algorithms): the closest known
// name by edit distance, so every lookup error can answer with the name the user most likely meant.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kernbench::base {

/// Levenshtein distance (insert, delete, substitute one character).
int edit_distance(std::string_view a, std::string_view b);

/// The known name closest to `name` if it is close enough to be a typo (at most a third of the
/// longer name's characters (rounded up) differ, at most 3); ties go to the first in `known`.
std::optional<std::string> closest_name(std::string_view name, std::span<const std::string> known);

/// "unknown <what> 'name' (did you mean 'x'?); known: a, b, c" (the guess only when close).
std::string unknown_name_message(std::string_view what, std::string_view name,
                                 std::span<const std::string> known);

}  // namespace kernbench::base
