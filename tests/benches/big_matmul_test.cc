// The tiled matmul against the MMU's page size. At full size, 8192 x 2048 x 2048 f16 over the
// 128 PEs of the default SIP (tiles 64 x 128 x 64, timing only), against its roofline for several
// page sizes: the figures of docs/benches.md "Page size and the MMU". Disabled (a minute or more of
// wall time per point); run with `build/tests/benches/benches_tests --gtest_also_run_disabled_tests
// --gtest_filter='BigMatmul.*'`. KERNBENCH_PAGE_SIZES (default "4096,65536,2097152") and
// KERNBENCH_PAGE_WALKERS (default: the spec's) choose the points.
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "benches/bench_machine.h"
#include "benches/matmul.h"
#include "benches/matmul_roofline.h"

#include "kernbench/report/figures.h"
#include "kernbench/report/resource_name.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::benches {
namespace {

std::vector<std::string> page_sizes() {
  const char* env = std::getenv("KERNBENCH_PAGE_SIZES");
  std::stringstream list(env != nullptr ? env : "4096,65536,2097152");
  std::vector<std::string> sizes;
  for (std::string size; std::getline(list, size, ',');) sizes.push_back(size);
  return sizes;
}

TEST(BigMatmul, DISABLED_PageSizesAgainstTheRoofline) {
  constexpr MatmulShape kShape{8192, 2048, 2048};
  constexpr MatmulTiles kTiles{64, 128, 64};
  for (const std::string& page : page_sizes()) {
    topo::Overrides overrides{"cube.pe_template.components.pe_mmu.attrs.page_size=" + page};
    if (const char* walkers = std::getenv("KERNBENCH_PAGE_WALKERS"))
      overrides.push_back(std::string("cube.pe_template.components.pe_mmu.attrs.page_walkers=") +
                          walkers);
    BenchContext context{topo::default_topology(overrides), DataMode::timing_only, {}, {}};
    BenchMachine machine(context);
    const BenchResult r =
        run_matmul(machine.session(), kShape, Spread::sip, kTiles, DataMode::timing_only);
    const report::BenchRecord record = machine.record(r);
    ASSERT_TRUE(r.roofline.has_value());
    std::string mmu;
    for (const report::PhaseRecord& p : record.phases)
      if (p.translation)
        mmu = fmt::format("{} lookups, {} misses", p.translation->tlb_lookups,
                          p.translation->tlb_misses);
    const auto bound = report::bound_by(record.busiest);
    fmt::print(
        "page {:>8} walkers {}: {:.3f} us, {:.1f} TFLOP/s, {:.1f}% of peak, {:.1f}% of the "
        "{}-bound roofline ({:.1f} TFLOP/s); bound by {} at {}; {}\n",
        page, machine.spec().cube.pe.mmu.page_walkers, static_cast<double>(r.time.ps()) / 1e6,
        r.flops_per_second() / 1e12, 100 * r.flops_per_second() / r.peak_flops,
        100 * r.flops_per_second() / r.roofline->bound_flops(), r.roofline->bound_name(),
        r.roofline->bound_flops() / 1e12, bound ? bound->resource : "-",
        bound ? report::percent(bound->utilization) : "-", mmu);
    EXPECT_LE(r.flops_per_second(), r.roofline->bound_flops());
  }
}

// The default suite's matmul shape on one cube (8 PEs): with 4 KiB pages its tiles' pages
// outrun the TLB and the one walker, so "bound by" names an MMU, whose busy time is exactly its
// PE's TLB misses times the walk latency (one walker: walks never overlap); with 2 MiB pages every
// operand sits in a page or two and translation no longer bounds it.
TEST(MatmulPageSize, SmallPagesBindTheTiledMatmulToItsMmu) {
  const auto run = [](const std::string& page) {
    const topo::Overrides overrides{"cube.pe_template.components.pe_mmu.attrs.page_size=" + page};
    BenchMachine machine(
        BenchContext{topo::default_topology(overrides), DataMode::timing_only, {}, {}});
    const int pes = pes_of(machine.spec(), Spread::cube);
    const BenchResult r = run_matmul(machine.session(), {pes * 64, 128, 256}, Spread::cube,
                                     {64, 128, 64}, DataMode::timing_only);
    const report::BenchRecord record = machine.record(r);
    std::int64_t misses = -1;
    for (const rt::PhaseRecord& p : machine.runtime().records())
      if (p.launch) misses = p.launch->pe({0, 0, 0}).total.tlb_misses;
    const auto extent = machine.activity().extent();
    EXPECT_TRUE(extent.has_value());
    const base::SimTime walking =
        machine.activity().busy_time("sip0/cube0/pe0/mmu", extent->start, extent->end);
    EXPECT_EQ(walking, misses * machine.spec().cube.pe.mmu.tlb_miss_latency) << page;
    return report::bound_by(record.busiest).value_or(report::Busiest{}).resource;
  };
  EXPECT_EQ(run("4096"), "MMU (sip 0, cube 0, pe 0)");
  EXPECT_FALSE(run("2097152").starts_with("MMU")) << run("2097152");
}

}  // namespace
}  // namespace kernbench::benches
