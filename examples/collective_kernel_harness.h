// What the collective-kernel examples share: run a ccl.yaml entry's built-in collective from one
// rank per PE of cube 0, then the same collective written as a kernel over the same plan (whose
// IPCQ tables the built-in's process group installed) on the same data, one program per PE; check
// both against the host's reference and compare their simulated times.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "kernbench/ccl/rank_context.h"
#include "kernbench/ccl/rank_launcher.h"
#include "kernbench/hw/system.h"
#include "kernbench/rt/runtime.h"
#include "kernbench/tl/tl.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::examples {

struct CollectiveCase {
  std::string entry;  // the ccl.yaml entry: its plan, buffer memory and chunk size
  int ranks = 0;      // one per PE of cube 0
  std::vector<std::vector<float>> data;    // per rank, before
  std::vector<std::vector<float>> expect;  // per rank, after
  std::function<void(ccl::RankContext&, rt::Tensor&)> builtin;
  std::function<void(tl::Program&)> kernel;  // one program per rank's PE, over its row
};

/// Runs both on the default machine with `overrides` ("key=value", as `--set` takes them), prints
/// their times and wrong elements; 0 when both are right and the kernel's time is within 1% of
/// the built-in's.
inline int compare(const std::string& name, const CollectiveCase& c,
                   const topo::Overrides& overrides = {}) {
  sim::Engine engine;
  hw::System system(engine, topo::default_topology(overrides));
  rt::Runtime runtime(system);
  const auto count = static_cast<std::int64_t>(c.data.front().size());
  std::int64_t wrong_builtin = 0, wrong_kernel = 0;
  std::vector<base::SimTime> start(static_cast<std::size_t>(c.ranks)), end(start);
  const auto span = [&] {  // from the first rank's start to the last rank's end
    return *std::max_element(end.begin(), end.end()) -
           *std::min_element(start.begin(), start.end());
  };
  ccl::LaunchOptions options;
  options.ranks = ccl::RankMap::per_pe(rt::Device::cube({0, 0}));
  ccl::run_ranks(
      runtime, c.ranks,
      [&](ccl::RankContext& ctx) {
        const auto r = static_cast<std::size_t>(ctx.rank());
        ctx.init_process_group(c.entry);
        rt::Tensor t = ctx.session().from_host(rt::HostTensor::from(c.data[r], {count}), {}, "x");
        ctx.barrier();
        start[r] = ctx.process().now();
        c.builtin(ctx, t);
        end[r] = ctx.process().now();
        const std::vector<float> got = t.to_host().values<float>();
        for (std::int64_t i = 0; i < count; ++i) wrong_builtin += got[i] != c.expect[r][i];
      },
      options);
  const base::SimTime builtin = span();

  std::vector<float> all;
  for (const auto& d : c.data) all.insert(all.end(), d.begin(), d.end());
  rt::Session& s = runtime.host();
  const rt::Placement rows{rt::LevelPlacement::at(0), rt::LevelPlacement::at(0),
                           rt::LevelPlacement::rows(c.ranks)};
  rt::Tensor x = s.from_host(rt::HostTensor::from(all, {c.ranks, count}), rows, "x");
  s.launch(tl::kernel([&](tl::Program& p) {
             const auto r = static_cast<std::size_t>(p.context().pe().ipcq().rank());
             start[r] = p.context().process().now();
             c.kernel(p);
             end[r] = p.context().process().now();
           }),
           rt::Grid{1}, x);
  const base::SimTime kernel = span();
  const std::vector<float> got = x.to_host().values<float>();
  for (std::size_t r = 0; r < c.expect.size(); ++r)
    for (std::int64_t i = 0; i < count; ++i)
      wrong_kernel += got[r * static_cast<std::size_t>(count) + static_cast<std::size_t>(i)] !=
                      c.expect[r][static_cast<std::size_t>(i)];

  const double ratio = static_cast<double>(kernel.ps()) / static_cast<double>(builtin.ps());
  fmt::print("{} over '{}', {} ranks x {} f32\n", name, c.entry, c.ranks, count);
  fmt::print("  built-in: {} ({} wrong)\n  kernel:   {} ({} wrong), {:.4f} x the built-in\n",
             builtin, wrong_builtin, kernel, wrong_kernel, ratio);
  const bool ok = wrong_builtin == 0 && wrong_kernel == 0 && ratio > 0.99 && ratio < 1.01;
  fmt::print("{}: {}\n", name, ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}

}  // namespace kernbench::examples
