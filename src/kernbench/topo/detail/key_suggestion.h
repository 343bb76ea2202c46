// The "did you mean" of unknown-key errors: the parameter or section closest to a misspelt key
// path by edit distance, else the list of valid keys of its section.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kernbench::topo::detail {

/// Whether `key` names a section (a prefix of some parameter key), e.g. "cube.sram".
bool is_section(std::string_view key);
/// Direct children of a section ("" = top level): {"system", "sip", "cube"} for "".
std::vector<std::string> section_children(std::string_view section);
/// The parameter or section key near enough to `unknown_key` to be what was meant, if any.
std::optional<std::string> closest_key(std::string_view unknown_key);
/// "did you mean <closest>?" or "valid keys under <section>: a, b, c".
std::string suggest_key(std::string_view unknown_key);

}  // namespace kernbench::topo::detail
