#include "kernbench/rt/mapping_plan.h"

#include <map>
#include <set>

namespace kernbench::rt {

std::size_t nearest_copy(std::span<const Shard> shards, int part, topo::PeCoord pe) {
  std::size_t same_cube = npos, same_sip = npos;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const Shard& s = shards[i];
    if (s.part != part || s.pe.sip != pe.sip) continue;
    if (s.pe == pe) return i;
    if (s.pe.cube == pe.cube && same_cube == npos) same_cube = i;
    if (same_sip == npos) same_sip = i;
  }
  return same_cube != npos ? same_cube : same_sip;
}

std::vector<PartMapping> plan_mappings(const topo::TopologySpec& spec,
                                       std::span<const Shard> shards) {
  std::map<int, std::set<int>> parts_of_sip;  // SIP -> the distinct parts it holds
  for (const Shard& s : shards) parts_of_sip[s.pe.sip].insert(s.part);
  std::vector<PartMapping> out;
  for (const auto& [sip, parts] : parts_of_sip) {
    const std::vector<topo::PeCoord> pes = hw::Targets::sip(spec, sip).pes();
    for (const int part : parts) {
      std::map<std::size_t, std::vector<topo::PeCoord>> by_source;
      for (const topo::PeCoord& pe : pes) by_source[nearest_copy(shards, part, pe)].push_back(pe);
      for (auto& [source, targets] : by_source)
        out.push_back(PartMapping{part, source, hw::Targets(std::move(targets))});
    }
  }
  return out;
}

}  // namespace kernbench::rt
