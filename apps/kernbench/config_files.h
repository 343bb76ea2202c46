// The configurations shipped with KernBench (configs/) and how `--topology NAME` finds one from any
// folder: installed, they live in the share folder of the install prefix; in the build tree, in
// the source tree's configs/.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kernbench::apps {

/// The folder of the shipped configurations: PREFIX/share/kernbench/configs when the running
/// program is PREFIX/bin/NAME and that folder exists; else the source tree's configs/ when it
/// exists (a program of the build tree); else the share folder of the configured install prefix.
std::filesystem::path configs_dir();
/// A shipped configuration: a topology, or collective algorithms (a file with a top-level
/// `algorithms:` key, for --ccl).
struct ConfigFile {
  std::string name;  // "ahbm_small" for ahbm_small.yaml
  std::filesystem::path path;
  bool collective = false;
};
/// The shipped configurations, sorted by name.
std::vector<ConfigFile> config_files();
/// The shipped configuration `text` names (NAME or NAME.yaml; only topologies when
/// `topologies_only`), when nothing exists by that name and it has no folder; else nullopt.
std::optional<std::string> shipped_path(const std::string& text, bool topologies_only);
/// The topology file --topology TEXT names: TEXT itself when something exists by that name or it is
/// a path with a folder;
/// else the shipped topology TEXT (or TEXT without its .yaml). NotFoundError naming `option` and
/// the shipped topologies when there is none.
std::string topology_path(const std::string& text, std::string_view option);

}  // namespace kernbench::apps
