#include "kernbench/topo/host_memory.h"

#include <algorithm>
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

// Per (PE, part) map: the page-table entry (~110 B) and the activity records of its command
// (~105 B in a bench's machine), measured at 128 and 288 PEs.
constexpr std::uint64_t kBytesPerPeMap = 224;
// Per map command in flight (a request to one cube, a process whose stack holds a page or two while
// it waits for the host link): 6.2-6.5 KiB measured at 128 and 288 PEs.
constexpr std::uint64_t kBytesPerCommand = std::uint64_t{6} << 10;
// Per PE running a launch's programs: its process's stack and tiles, 23 KiB (vector_add) to
// 117 KiB (softmax) at 288 PEs.
constexpr std::uint64_t kBytesPerLaunchedPe = std::uint64_t{64} << 10;

std::uint64_t saturating_sum(std::uint64_t a, std::uint64_t b) {
  return a > std::numeric_limits<std::uint64_t>::max() - b
             ? std::numeric_limits<std::uint64_t>::max()
             : a + b;
}

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
  return saturating_sum(kFixedBytes, saturating_product(pe_count(spec), kBytesPerPe));
}

std::uint64_t program_host_bytes() { return kFixedBytes; }

HostMemoryEstimate::HostMemoryEstimate(const TopologySpec& spec)
    : kept_(machine_host_bytes(spec)) {}

HostMemoryEstimate HostMemoryEstimate::with(std::uint64_t kept, std::uint64_t burst) const {
  HostMemoryEstimate next = *this;
  next.kept_ = saturating_sum(kept_, kept);
  next.burst_ = std::max(burst_, burst);
  return next;
}

HostMemoryEstimate HostMemoryEstimate::with_maps(std::uint64_t pe_maps,
                                                 std::uint64_t commands) const {
  return with(saturating_product(pe_maps, kBytesPerPeMap),
              saturating_product(commands, kBytesPerCommand));
}

HostMemoryEstimate HostMemoryEstimate::with_write(std::uint64_t bytes) const {
  return with(bytes, bytes);
}

HostMemoryEstimate HostMemoryEstimate::with_launch(std::uint64_t pes) const {
  return with(0, saturating_product(pes, kBytesPerLaunchedPe));
}

std::uint64_t HostMemoryEstimate::bytes() const { return saturating_sum(kept_, burst_); }

void check_host_memory(std::string_view what, std::uint64_t estimate_bytes,
                       std::uint64_t budget_bytes) {
  if (budget_bytes == 0 || estimate_bytes <= budget_bytes) return;
  throw base::HostMemoryLimitError(
      fmt::format("{} needs about {} of host memory, more than the {} budget", what,
                  base::Bytes(estimate_bytes), base::Bytes(budget_bytes)));
}

}  // namespace kernbench::topo
