// The collective-algorithm configuration (ccl.yaml) as typed values: named entries, each an
// algorithm kind plus how it is installed (world size, rank-to-PE mapping, buffer memory, chunk).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kernbench/base/input_file.h"
#include "kernbench/base/units.h"
#include "kernbench/mem/memory_id.h"
#include "kernbench/topo/coord.h"

namespace kernbench::ccl {

/// How ranks pick their PEs: PEs of cube 0 first, then cube 1 (pe_major); one PE per cube first
/// (cube_major); or the entry's explicit list.
enum class RankMapping { pe_major, cube_major, explicit_list };

struct AlgorithmEntry {
  std::string name;
  std::string kind;               // an algorithm registered under this name (ring, tree ...)
  std::optional<int> world_size;  // PEs taking part; absent: every PE of the system
  RankMapping mapping = RankMapping::pe_major;
  std::vector<topo::PeCoord> ranks;  // explicit_list: rank i runs on ranks[i]
  mem::MemoryKind buffer = mem::MemoryKind::tcm;
  base::Bytes chunk_size;
  int fanout = 2;                    // tree
  int mesh_rows = 0, mesh_cols = 0;  // mesh_2d (0: chosen from the world size)
  // Keys an algorithm declares without a field above (EntryKey with no store), by name.
  std::map<std::string, std::vector<int>, std::less<>> values;
  // Text and file keys an algorithm declares, by name (a file's path resolved, see EntryKey).
  std::map<std::string, std::string, std::less<>> texts;
  std::string origin;  // "file:line:col" of the entry, for errors
};

class AlgorithmRegistry;

/// A validated ccl.yaml: its entries in file order.
struct CclConfig {
  std::string source;
  std::vector<AlgorithmEntry> entries;
  /// For the user, one line each: an entry of an added file that replaced a built-in one.
  std::vector<std::string> notes;
  /// The embedded file's `defaults` as read (with the ccl.defaults.* settings): what a collective
  /// built outside the entries may take its buffer and chunk size from.
  AlgorithmEntry defaults{};

  /// The entry named `name`; NotFoundError with the known names (and a guess) otherwise.
  const AlgorithmEntry& find(std::string_view name) const;
  std::vector<std::string> names() const;
};

/// Loads and validates a ccl file: an entry may name a kind of `algorithms` and carry the keys
/// its algorithm declares (CollectiveAlgorithm::keys). Throws base::ConfigError listing every
/// problem (file:line:col, key path, expected, found); one for a file that is not a regular file
/// of at most `max_input_bytes`.
CclConfig load_ccl_file(const std::string& path, const AlgorithmRegistry& algorithms,
                        std::uint64_t max_input_bytes = base::kDefaultMaxInputBytes);
/// The same from text; `source_name` prefixes positions, and a relative file key an algorithm
/// declares is taken from its folder (the file the text came from).
CclConfig load_ccl_text(std::string_view text, std::string_view source_name,
                        const AlgorithmRegistry& algorithms);
/// The embedded default (configs/ccl.yaml).
CclConfig default_ccl_config(const AlgorithmRegistry& algorithms);

/// The same three where entries may name `kinds`, with the keys the built-in algorithms of those
/// kinds declare.
CclConfig load_ccl_file(const std::string& path, std::span<const std::string> kinds,
                        std::uint64_t max_input_bytes = base::kDefaultMaxInputBytes);
CclConfig load_ccl_text(std::string_view text, std::string_view source_name,
                        std::span<const std::string> kinds);
CclConfig default_ccl_config(std::span<const std::string> kinds);
/// The YAML text of the embedded default, exactly as in configs/ccl.yaml.
std::string_view default_ccl_text();

/// Where a run's collective algorithms come from: the command line's --ccl and --set ccl.*.
struct CclInputs {
  std::string file;                   // entries added to the embedded ones; empty: none
  std::vector<std::string> settings;  // "ccl.ENTRY.KEY=VALUE" or "ccl.defaults.KEY=VALUE"
  std::uint64_t max_input_bytes = base::kDefaultMaxInputBytes;
};

/// The embedded entries with those of `inputs.file` added (an entry of the same name replaces
/// the embedded one, and `notes` says so; each file's `defaults` apply to its own entries), then
/// each setting in order, read and checked as if its file had said it (VALUE as in YAML;
/// `defaults` settings apply to both files). ConfigError listing every problem, a setting's at
/// its --set text.
CclConfig load_ccl_config(const CclInputs& inputs, const AlgorithmRegistry& algorithms);
/// True for a --set text that names a ccl.yaml key rather than a topology one: "ccl." first.
bool is_ccl_setting(std::string_view text);

/// "pe_major", "cube_major", "explicit".
std::string_view name(RankMapping mapping);

}  // namespace kernbench::ccl
