// The ccl.yaml files a program reads: a file, a text or the embedded configs/ccl.yaml, with the
// kinds and keys of an algorithm registry (the reader itself: ccl_config_loader.cc).
#include <algorithm>
#include <filesystem>

#include "kernbench/base/input_file.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/ccl_config.h"
#include "kernbench/ccl/detail/ccl_reader.h"

namespace kernbench::ccl {
namespace {

constexpr std::string_view kEmbeddedName = "<embedded configs/ccl.yaml>";

// (kind, key) for every key `algorithms` declare, in registration order.
std::vector<std::pair<std::string, EntryKey>> declared_keys(const AlgorithmRegistry& algorithms) {
  std::vector<std::pair<std::string, EntryKey>> out;
  for (const auto& a : algorithms.algorithms())
    for (EntryKey& k : a->keys()) out.emplace_back(std::string(a->kind()), std::move(k));
  return out;
}

// The keys the built-in algorithms of `kinds` declare.
std::vector<std::pair<std::string, EntryKey>> declared_keys(std::span<const std::string> kinds) {
  std::vector<std::pair<std::string, EntryKey>> declared;
  for (auto& [kind, key] : declared_keys(default_algorithm_registry()))
    if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end())
      declared.emplace_back(std::move(kind), std::move(key));
  return declared;
}

std::string folder_of(const std::string& path) {
  return std::filesystem::path(path).parent_path().string();
}

}  // namespace

CclConfig load_ccl_text(std::string_view text, std::string_view source_name,
                        const AlgorithmRegistry& algorithms) {
  const std::vector<std::string> kinds = algorithms.kinds();
  return detail::read_ccl_text(text, source_name, kinds, declared_keys(algorithms),
                               folder_of(std::string(source_name)));
}

CclConfig load_ccl_text(std::string_view text, std::string_view source_name,
                        std::span<const std::string> kinds) {
  return detail::read_ccl_text(text, source_name, kinds, declared_keys(kinds),
                               folder_of(std::string(source_name)));
}

CclConfig load_ccl_file(const std::string& path, const AlgorithmRegistry& algorithms,
                        std::uint64_t max_input_bytes) {
  return load_ccl_text(base::read_input_file(path, "ccl file", max_input_bytes), path, algorithms);
}

CclConfig load_ccl_file(const std::string& path, std::span<const std::string> kinds,
                        std::uint64_t max_input_bytes) {
  return load_ccl_text(base::read_input_file(path, "ccl file", max_input_bytes), path, kinds);
}

// The embedded file has no folder: a relative file key is taken from the working directory.
CclConfig default_ccl_config(const AlgorithmRegistry& algorithms) {
  const std::vector<std::string> kinds = algorithms.kinds();
  return detail::read_ccl_text(default_ccl_text(), kEmbeddedName, kinds, declared_keys(algorithms));
}

CclConfig default_ccl_config(std::span<const std::string> kinds) {
  return detail::read_ccl_text(default_ccl_text(), kEmbeddedName, kinds, declared_keys(kinds));
}

}  // namespace kernbench::ccl
