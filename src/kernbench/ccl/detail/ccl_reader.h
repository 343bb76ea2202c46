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

/// One `--set ccl.SECTION.KEY=VALUE` split: SECTION is `defaults` or an entry's name, KEY the
/// key path under it ("chunk_size", "mesh.rows"), VALUE as written (read as YAML).
struct CclSetting {
  std::string section;
  std::vector<std::string> key;
  std::string value;
  std::string origin;  // "--set ccl.ring_tcm_8.chunk_size=16K", where its problems point
};

/// What one text gave: its entries, every problem, and the names of the entries it has (also
/// when it has problems).
struct CclRead {
  CclConfig config;
  std::vector<std::string> problems;
  std::vector<std::string> names;
};

/// Reads a ccl.yaml `text` named `source_name` whose entries may be of `kinds`, each kind also
/// carrying the keys `declared` gives it as (kind, key); a relative file key is taken from
/// `folder` (empty: the working directory). `settings` replace (or add) values before the text is
/// read: those for `defaults` always, those for an entry when the text has it.
CclRead read_ccl(std::string_view text, std::string_view source_name,
                 std::span<const std::string> kinds,
                 const std::vector<std::pair<std::string, EntryKey>>& declared,
                 std::string folder = {}, std::span<const CclSetting> settings = {});

/// read_ccl without settings: its config, or ConfigError listing every problem.
CclConfig read_ccl_text(std::string_view text, std::string_view source_name,
                        std::span<const std::string> kinds,
                        const std::vector<std::pair<std::string, EntryKey>>& declared,
                        std::string folder = {});

}  // namespace kernbench::ccl::detail
