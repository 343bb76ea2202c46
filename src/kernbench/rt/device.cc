#include "kernbench/rt/device.h"

#include "kernbench/base/error.h"

namespace kernbench::rt {

std::vector<int> Device::sips(const topo::TopologySpec& spec) const {
  check(spec);
  if (!all_sips()) return {sip_};
  std::vector<int> out;
  for (int s = 0; s < spec.system.sip_count; ++s) out.push_back(s);
  return out;
}

void Device::check(const topo::TopologySpec& spec) const {
  if (!all_sips() && sip_ >= spec.system.sip_count)
    throw base::NotFoundError(fmt::format("device sip {}: the machine has {} SIP(s), sip 0..{}",
                                          sip_, spec.system.sip_count, spec.system.sip_count - 1));
}

}  // namespace kernbench::rt
