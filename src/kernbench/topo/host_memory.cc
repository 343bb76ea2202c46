#include "kernbench/topo/host_memory.h"

#include <limits>

#include <fmt/format.h>
#include <unistd.h>

#include "kernbench/base/error.h"
#include "kernbench/base/limit_error.h"
#include "kernbench/base/units.h"

namespace kernbench::topo {
namespace {

// Peak RSS of `kernbench ccl bench --algo ring_tcm_8 -b 8 -e 8` on machines of 32 to 2048 PEs fits
// 6 MiB + 35 KiB per PE within 10%; the constants round both up.
constexpr std::uint64_t kFixedBytes = std::uint64_t{8} << 20;
constexpr std::uint64_t kBytesPerPe = std::uint64_t{40} << 10;

std::uint64_t saturating_product(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a)
    return std::numeric_limits<std::uint64_t>::max();
  return a * b;
}

}  // namespace

std::uint64_t host_ram_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return 0;
  return saturating_product(static_cast<std::uint64_t>(pages),
                            static_cast<std::uint64_t>(page_size));
}

std::uint64_t pe_count(const TopologySpec& spec) {
  const auto positive = [](int n) { return static_cast<std::uint64_t>(n > 0 ? n : 0); };
  return saturating_product(
      saturating_product(positive(spec.system.sip_count),
                         saturating_product(positive(spec.sip.mesh_w), positive(spec.sip.mesh_h))),
      positive(spec.cube.pes_per_cube()));
}

std::uint64_t machine_host_bytes(const TopologySpec& spec) {
  const std::uint64_t per_pe = saturating_product(pe_count(spec), kBytesPerPe);
  return per_pe > std::numeric_limits<std::uint64_t>::max() - kFixedBytes
             ? std::numeric_limits<std::uint64_t>::max()
             : kFixedBytes + per_pe;
}

void check_host_memory(std::string_view what, std::uint64_t estimate_bytes,
                       std::uint64_t budget_bytes) {
  if (budget_bytes == 0 || estimate_bytes <= budget_bytes) return;
  throw base::HostMemoryLimitError(
      fmt::format("{} needs about {} of host memory, more than the {} budget", what,
                  base::Bytes(estimate_bytes), base::Bytes(budget_bytes)));
}

}  // namespace kernbench::topo
