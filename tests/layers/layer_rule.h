// The layer rule of DESIGN.md as code: which layer a file belongs to, which layers it may include,
// and a scan of a source tree that lists every include breaking the rule.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kernbench::tests {

/// The layer a path belongs to: the first of its folders named after a layer; apps, benches,
/// examples and python count as "apps". Empty when none (build files, docs ...).
std::optional<std::string> layer_of_path(const std::filesystem::path& relative);

/// Whether code in `from` may include a header of layer `to` (a layer may include itself).
bool may_include(std::string_view from, std::string_view to);

/// Every include in the tree below `root` (tests and build folders skipped) that breaks the rule,
/// one line each: "src/kernbench/mem/x.h:3: 'mem' may not include 'kernbench/hw/y.h' (layer 'hw')".
std::vector<std::string> layer_violations(const std::filesystem::path& root);

}  // namespace kernbench::tests
