#include "config_files.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <optional>
#include <system_error>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include "kernbench/base/error.h"
#include "kernbench/base/name_suggestion.h"

namespace kernbench::apps {
namespace {

namespace fs = std::filesystem;

// The running program's own file (Linux: /proc/self/exe), or empty.
fs::path program_file() {
  std::array<char, 4096> buffer{};
  const ssize_t n = ::readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  return n > 0 ? fs::path(std::string(buffer.data(), static_cast<std::size_t>(n))) : fs::path();
}

bool is_folder(const fs::path& path) {
  std::error_code error;
  return fs::is_directory(path, error);
}

// `text` is taken as it is, not as a shipped name: empty, something by that name (a file, or a
// folder or device the loader names as such) or a path with a folder.
bool taken_as_given(const std::string& text) {
  const fs::path given(text);
  std::error_code error;
  return text.empty() || fs::exists(given, error) || given.has_parent_path();
}

}  // namespace

fs::path configs_dir() {
  const fs::path program = program_file();
  if (!program.empty() && program.parent_path().filename() == KERNBENCH_INSTALL_BINDIR) {
    const fs::path installed =
        program.parent_path().parent_path() / KERNBENCH_INSTALL_DATADIR / "kernbench" / "configs";
    if (is_folder(installed)) return installed;
  }
  if (is_folder(KERNBENCH_SOURCE_CONFIGS_DIR)) return KERNBENCH_SOURCE_CONFIGS_DIR;
  return KERNBENCH_INSTALLED_CONFIGS_DIR;
}

std::vector<ConfigFile> config_files() {
  std::vector<ConfigFile> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(configs_dir(), error)) {
    if (entry.path().extension() != ".yaml") continue;
    std::ifstream in(entry.path());
    bool collective = false;
    for (std::string line; !collective && std::getline(in, line);)
      collective = line.starts_with("algorithms:");
    files.push_back({entry.path().stem().string(), entry.path(), collective});
  }
  std::sort(files.begin(), files.end(),
            [](const ConfigFile& a, const ConfigFile& b) { return a.name < b.name; });
  return files;
}

std::optional<std::string> shipped_path(const std::string& text, bool topologies_only) {
  if (taken_as_given(text)) return std::nullopt;
  const fs::path given(text);
  const std::string name = given.extension() == ".yaml" ? given.stem().string() : text;
  for (const ConfigFile& file : config_files())
    if (file.name == name && !(topologies_only && file.collective)) return file.path.string();
  return std::nullopt;
}

std::string topology_path(const std::string& text, std::string_view option) {
  if (const auto shipped = shipped_path(text, true)) return *shipped;
  if (taken_as_given(text)) return text;
  std::vector<std::string> known;
  for (const ConfigFile& file : config_files())
    if (!file.collective) known.push_back(file.name);
  const auto guess = base::closest_name(fs::path(text).stem().string(), known);
  throw base::NotFoundError(fmt::format(
      "{} {}: no such file, nor a shipped topology of that name{}; shipped: {}", option, text,
      guess ? fmt::format(" (did you mean {}?)", *guess) : "", fmt::join(known, ", ")));
}

}  // namespace kernbench::apps
