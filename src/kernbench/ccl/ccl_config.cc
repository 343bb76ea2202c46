#include "kernbench/ccl/ccl_config.h"

#include "kernbench/base/error.h"
#include "kernbench/base/name_suggestion.h"

namespace kernbench::ccl {

const AlgorithmEntry& CclConfig::find(std::string_view name) const {
  for (const auto& e : entries)
    if (e.name == name) return e;
  throw base::NotFoundError(base::unknown_name_message("ccl algorithm", name, names()) + " (in " +
                            source + ")");
}

std::vector<std::string> CclConfig::names() const {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.name);
  return out;
}

std::string_view name(RankMapping mapping) {
  switch (mapping) {
    case RankMapping::pe_major: return "pe_major";
    case RankMapping::cube_major: return "cube_major";
    case RankMapping::explicit_list: return "explicit";
  }
  return "?";
}

}  // namespace kernbench::ccl
