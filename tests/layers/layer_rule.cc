#include "layer_rule.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <regex>
#include <set>

namespace kernbench::tests {
namespace {

namespace fs = std::filesystem;

// DESIGN.md, "Layers": each layer and the layers below it that it may include.
const std::map<std::string, std::set<std::string>, std::less<>>& allowed_table() {
  static const std::map<std::string, std::set<std::string>, std::less<>> table{
      {"base", {}},
      {"sim", {"base"}},
      {"topo", {"base"}},
      {"mem", {"base", "topo"}},
      {"hw", {"base", "sim", "topo", "mem"}},
      {"rt", {"base", "sim", "topo", "mem", "hw"}},
      {"tl", {"base", "sim", "topo", "mem", "hw", "rt"}},
      {"ccl", {"base", "sim", "topo", "mem", "hw", "rt"}},
      {"report", {"base", "sim", "topo", "mem", "hw", "rt", "tl", "ccl"}},
      {"apps", {"base", "sim", "topo", "mem", "hw", "rt", "tl", "ccl", "report"}},
  };
  return table;
}

std::optional<std::string> layer_of_folders(const fs::path& folders) {
  for (const auto& part : folders) {
    const std::string name = part.string();
    if (name == "benches" || name == "examples" || name == "python") return "apps";
    if (allowed_table().contains(name)) return name;
  }
  return std::nullopt;
}

bool is_source(const fs::path& p) {
  static const std::set<std::string> kExtensions{".h",   ".hh",  ".hpp", ".cc",
                                                 ".cpp", ".cxx", ".inl"};
  return kExtensions.contains(p.extension().string());
}

bool skipped_folder(const fs::path& p) {
  const std::string name = p.filename().string();
  return name == "tests" || name == ".git" || name.starts_with("build") || name == "perf";
}

void check_file(const fs::path& root, const fs::path& file, const std::string& own,
                std::vector<std::string>& out) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  std::ifstream in(file);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::smatch m;
    if (!std::regex_search(line, m, kInclude)) continue;
    const fs::path included(m[1].str());
    // Only KernBench's own headers name a layer folder; a bare name is the file's own layer.
    const std::string target = layer_of_folders(included.parent_path()).value_or(own);
    if (!may_include(own, target))
      out.push_back(fs::relative(file, root).string() + ":" + std::to_string(number) + ": '" + own +
                    "' may not include '" + m[1].str() + "' (layer '" + target + "')");
  }
}

}  // namespace

std::optional<std::string> layer_of_path(const fs::path& relative) {
  return layer_of_folders(relative.parent_path());
}

bool may_include(std::string_view from, std::string_view to) {
  if (from == to) return true;
  const auto it = allowed_table().find(from);
  return it != allowed_table().end() && it->second.contains(std::string(to));
}

std::vector<std::string> layer_violations(const fs::path& root) {
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    if (it->is_directory() && skipped_folder(it->path())) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && is_source(it->path())) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());  // deterministic report order
  std::vector<std::string> out;
  for (const auto& file : files)
    if (auto own = layer_of_path(fs::relative(file, root))) check_file(root, file, *own, out);
  return out;
}

}  // namespace kernbench::tests
