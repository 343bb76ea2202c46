// The ccl.yaml files a program reads: a file, a text or the embedded configs/ccl.yaml, with the
// kinds and keys of an algorithm registry (the reader itself: ccl_config_loader.cc).
#include <algorithm>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/base/input_file.h"
#include "kernbench/base/name_suggestion.h"
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

constexpr std::string_view kSettingPrefix = "ccl.";

// "ccl.SECTION.KEY[.KEY]=VALUE" split; a problem when a part is missing or empty.
std::optional<detail::CclSetting> parse_setting(const std::string& text,
                                                std::vector<std::string>& problems) {
  detail::CclSetting s{{}, {}, {}, "--set " + text};
  const std::size_t eq = text.find('=');
  std::vector<std::string> parts;
  if (eq != std::string::npos)
    for (std::size_t start = kSettingPrefix.size();;) {
      const std::size_t dot = text.find('.', start);
      parts.push_back(text.substr(start, std::min(dot, eq) - start));
      if (dot == std::string::npos || dot > eq) break;
      start = dot + 1;
    }
  if (parts.size() < 2 ||
      std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); })) {
    problems.push_back(s.origin + ": expected ccl.ENTRY.KEY=value or ccl.defaults.KEY=value");
    return std::nullopt;
  }
  s.section = parts.front();
  s.key.assign(parts.begin() + 1, parts.end());
  s.value = text.substr(eq + 1);
  return s;
}

bool has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

bool is_ccl_setting(std::string_view text) { return text.starts_with(kSettingPrefix); }

CclConfig load_ccl_config(const CclInputs& inputs, const AlgorithmRegistry& algorithms) {
  if (inputs.file.empty() && inputs.settings.empty()) return default_ccl_config(algorithms);
  const std::vector<std::string> kinds = algorithms.kinds();
  const auto declared = declared_keys(algorithms);
  std::vector<std::string> problems;
  std::vector<detail::CclSetting> settings;
  for (const std::string& text : inputs.settings)
    if (auto s = parse_setting(text, problems)) settings.push_back(std::move(*s));
  detail::CclRead added;
  if (!inputs.file.empty())
    added = detail::read_ccl(base::read_input_file(inputs.file, "ccl file", inputs.max_input_bytes),
                             inputs.file, kinds, declared, folder_of(inputs.file), settings);
  // An entry the file gives takes its settings; the embedded one it replaces is not read with them.
  std::vector<detail::CclSetting> embedded_settings;
  for (const detail::CclSetting& s : settings)
    if (s.section == "defaults" || !has(added.names, s.section)) embedded_settings.push_back(s);
  detail::CclRead embedded =
      detail::read_ccl(default_ccl_text(), kEmbeddedName, kinds, declared, {}, embedded_settings);
  std::vector<std::string> known = embedded.names;
  for (const std::string& name : added.names)
    if (!has(known, name)) known.push_back(name);
  for (const detail::CclSetting& s : settings)
    if (s.section != "defaults" && !has(known, s.section))
      problems.push_back(fmt::format("{}: ccl.{}: {}", s.origin, s.section,
                                     base::unknown_name_message("ccl entry", s.section, known)));
  for (auto* read : {&added, &embedded})
    for (std::string& p : read->problems)
      if (!has(problems, p)) problems.push_back(std::move(p));  // a defaults setting's, once
  if (!problems.empty()) throw base::ConfigError(std::move(problems));
  CclConfig config = std::move(embedded.config);
  if (inputs.file.empty()) return config;
  config.source = fmt::format("{} + {}", kEmbeddedName, inputs.file);
  for (AlgorithmEntry& entry : added.config.entries) {
    const auto same = std::find_if(config.entries.begin(), config.entries.end(),
                                   [&](const AlgorithmEntry& e) { return e.name == entry.name; });
    if (same == config.entries.end()) {
      config.entries.push_back(std::move(entry));
      continue;
    }
    config.notes.push_back(fmt::format("{}: entry {} replaces the built-in entry of that name",
                                       entry.origin, entry.name));
    *same = std::move(entry);
  }
  return config;
}

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
