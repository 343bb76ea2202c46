// The ccl.yaml reader without the algorithm registry (the fuzz target links only this).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kernbench/ccl/ccl_config.h"
#include "kernbench/ccl/collective_algorithm.h"

namespace kernbench::ccl::detail {

/// Reads a ccl.yaml `text` named `source_name` whose entries may be of `kinds`, each kind also
/// carrying the keys `declared` gives it as (kind, key); a relative file key is taken from
/// `folder` (empty: the working directory). ConfigError listing every problem.
CclConfig read_ccl_text(std::string_view text, std::string_view source_name,
                        std::span<const std::string> kinds,
                        const std::vector<std::pair<std::string, EntryKey>>& declared,
                        std::string folder = {});

}  // namespace kernbench::ccl::detail
