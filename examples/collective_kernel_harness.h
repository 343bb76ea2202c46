// What the collective-kernel examples share: run a ccl.yaml entry's built-in collective from one
// rank per PE of SIP 0 (cube 0's PEs first), then the same collective written as a kernel over the
// same plan (whose IPCQ tables the built-in's process group installed) on the same data, one
// program per PE; check both against the host's reference and compare their simulated times (and,
// when asked, the host's wall time of each).
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/ccl_config.h"
#include "kernbench/ccl/rank_context.h"
#include "kernbench/ccl/rank_launcher.h"
#include "kernbench/hw/system.h"
#include "kernbench/rt/runtime.h"
#include "kernbench/tl/tl.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::examples {

struct CollectiveCase {
  std::string entry;  // the ccl.yaml entry: its plan, buffer memory and chunk size
  int ranks = 0;      // one per PE of SIP 0 in (cube, pe) order
  std::vector<std::vector<float>> data;    // per rank, before
  std::vector<std::vector<float>> expect;  // per rank, after
  std::function<void(ccl::RankContext&, rt::Tensor&)> builtin;
  std::function<void(tl::Program&)> kernel;  // one program per rank's PE, over its row
};

/// The command line: topology overrides (key=value), and ranks=N / count=N (f32 per rank).
struct Args {
  int ranks = 0;
  std::int64_t count = 0;
  topo::Overrides overrides;
  bool sized = false;  // ranks= or count= given
};

inline Args parse_args(int argc, char** argv, int ranks, std::int64_t count) {
  Args a{ranks, count, {}, false};
  for (const std::string& arg : std::vector<std::string>(argv + 1, argv + argc)) {
    if (arg.starts_with("ranks=")) {
      a.ranks = std::stoi(arg.substr(6));
      a.sized = true;
    } else if (arg.starts_with("count=")) {
      a.count = std::stoll(arg.substr(6));
      a.sized = true;
    } else {
      a.overrides.push_back(arg);
    }
  }
  return a;
}

/// Runs both on the default machine with `a.overrides` ("key=value", as `--set` takes them), prints
/// their times and wrong elements; 0 when both are right and the kernel's time is within 1% of
/// the built-in's. When the command line sized the run, the entry is one of `kind` over its ranks
/// (default keys) and each half's wall time is printed too.
inline int compare(const std::string& name, CollectiveCase c, const Args& a,
                   const std::string& kind) {
  std::optional<ccl::CclConfig> config;
  if (a.sized) {
    c.entry = fmt::format("{}_{}", kind, a.ranks);
    config = ccl::load_ccl_text(
        fmt::format("algorithms: {{{}: {{kind: {}, world_size: {}}}}}", c.entry, kind, a.ranks),
        "the command line", ccl::default_algorithm_registry());
  }
  const topo::Overrides& overrides = a.overrides;
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
  options.ranks = ccl::RankMap::per_pe(rt::Device::sip(0));
  options.ccl = config ? &*config : nullptr;
  const auto wall_start = std::chrono::steady_clock::now();
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
  const auto wall_builtin = std::chrono::steady_clock::now();

  std::vector<float> all;
  for (const auto& d : c.data) all.insert(all.end(), d.begin(), d.end());
  rt::Session& s = runtime.host();
  const int per_cube = system.spec().pes_per_cube();  // rank r: cube r / per_cube, its PE r % ..
  const rt::Placement rows =
      c.ranks <= per_cube
          ? rt::Placement{rt::LevelPlacement::at(0), rt::LevelPlacement::at(0),
                          rt::LevelPlacement::rows(c.ranks)}
          : rt::Placement{rt::LevelPlacement::at(0), rt::LevelPlacement::rows(c.ranks / per_cube),
                          rt::LevelPlacement::rows(per_cube)};
  rt::Tensor x = s.from_host(rt::HostTensor::from(all, {c.ranks, count}), rows, "x");
  s.launch(tl::kernel([&](tl::Program& p) {
             const auto r = static_cast<std::size_t>(p.context().pe().ipcq().rank());
             start[r] = p.context().process().now();
             c.kernel(p);
             end[r] = p.context().process().now();
           }),
           rt::Grid{1}, x);
  const base::SimTime kernel = span();
  const auto wall_kernel = std::chrono::steady_clock::now();
  const std::vector<float> got = x.to_host().values<float>();
  for (std::size_t r = 0; r < c.expect.size(); ++r)
    for (std::int64_t i = 0; i < count; ++i)
      wrong_kernel += got[r * static_cast<std::size_t>(count) + static_cast<std::size_t>(i)] !=
                      c.expect[r][static_cast<std::size_t>(i)];

  const double ratio = static_cast<double>(kernel.ps()) / static_cast<double>(builtin.ps());
  fmt::print("{} over '{}', {} ranks x {} f32\n", name, c.entry, c.ranks, count);
  fmt::print("  built-in: {} ({} wrong)\n  kernel:   {} ({} wrong), {:.4f} x the built-in\n",
             builtin, wrong_builtin, kernel, wrong_kernel, ratio);
  if (a.sized) {
    const auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
    fmt::print("  wall: built-in {:.2f} s, kernel {:.2f} s ({:.2f} x)\n",
               seconds(wall_builtin - wall_start), seconds(wall_kernel - wall_builtin),
               seconds(wall_kernel - wall_builtin) / seconds(wall_builtin - wall_start));
  }
  const bool ok = wrong_builtin == 0 && wrong_kernel == 0 && ratio > 0.99 && ratio < 1.01;
  fmt::print("{}: {}\n", name, ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}

/// The same with the case's own entry, ranks and data.
inline int compare(const std::string& name, const CollectiveCase& c,
                   const topo::Overrides& overrides = {}) {
  return compare(name, c, Args{c.ranks, 0, overrides, false}, "");
}

/// The span of a launch's programs: from the first one's start to the last one's end.
inline base::SimTime timed_launch(rt::Session& s, const std::function<void(tl::Program&)>& kernel,
                                  rt::Tensor& a, rt::Tensor& b, rt::Tensor& c) {
  std::vector<base::SimTime> start, end;
  s.launch(tl::kernel([&](tl::Program& p) {
             start.push_back(p.context().process().now());
             kernel(p);
             end.push_back(p.context().process().now());
           }),
           rt::Grid{1}, a, b, c);
  return *std::max_element(end.begin(), end.end()) - *std::min_element(start.begin(), start.end());
}

/// The fused example: rank r holds A_r (m x k/ranks, row r of A) and B_r (k/ranks x n) on PE r of
/// cube 0; `matmul` writes A_r B_r into C_r, then ring_tcm_8's built-in reduce_scatter sums the
/// products (row block j on rank j); `fused` does both at once, leaving rank r's block in its C_r.
/// Prints the three times; 0 when both results are right and the fused time is at most the
/// longer of the other two plus 20% of the shorter.
inline int compare_fused(const topo::Overrides& overrides, int ranks,
                         std::array<std::int64_t, 3> mkn,
                         const std::function<void(tl::Program&)>& matmul,
                         const std::function<void(tl::Program&)>& fused) {
  const auto [m, k, n] = mkn;
  const std::int64_t kp = k / ranks, rows = m / ranks;
  sim::Engine engine;
  hw::System system(engine, topo::default_topology(overrides));
  rt::Runtime runtime(system);
  std::vector<float> a(static_cast<std::size_t>(ranks * m * kp)),
      b(static_cast<std::size_t>(ranks * kp * n)), sum(static_cast<std::size_t>(m * n), 0.0f);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = float(int(i * 7 % 5) - 2);  // exact in f32
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = float(int(i * 3 % 7) - 3);
  for (std::int64_t r = 0; r < ranks; ++r)
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t x = 0; x < kp; ++x)
        for (std::int64_t j = 0; j < n; ++j)
          sum[i * n + j] += a[(r * m + i) * kp + x] * b[(r * kp + x) * n + j];
  rt::Session& s = runtime.host();
  const rt::Placement per_pe{rt::LevelPlacement::at(0), rt::LevelPlacement::at(0),
                             rt::LevelPlacement::rows(ranks)};
  rt::Tensor ta = s.from_host(rt::HostTensor::from(a, {ranks * m, kp}), per_pe, "a");
  rt::Tensor tb = s.from_host(rt::HostTensor::from(b, {ranks * kp, n}), per_pe, "b");
  rt::Tensor tc =
      s.from_host(rt::HostTensor::from(std::vector<float>(static_cast<std::size_t>(ranks * m * n)),
                                       {ranks * m, n}),
                  per_pe, "c");
  const base::SimTime t_matmul = timed_launch(s, matmul, ta, tb, tc);
  const std::vector<float> products = tc.to_host().values<float>();
  std::int64_t wrong_unfused = 0, wrong_fused = 0;
  const auto wrong_block = [&](const std::vector<float>& got, std::int64_t at, std::int64_t r) {
    std::int64_t w = 0;  // rank r's row block r of the sum, from got[at]
    for (std::int64_t i = 0; i < rows * n; ++i) w += got[at + i] != sum[r * rows * n + i];
    return w;
  };
  std::vector<base::SimTime> start(static_cast<std::size_t>(ranks)), end(start);
  ccl::LaunchOptions options;
  options.ranks = ccl::RankMap::per_pe(rt::Device::cube({0, 0}));
  ccl::run_ranks(
      runtime, ranks,
      [&](ccl::RankContext& ctx) {
        const auto r = static_cast<std::size_t>(ctx.rank());
        ctx.init_process_group("ring_tcm_8");
        const std::vector<float> mine(
            products.begin() + static_cast<std::ptrdiff_t>(r * m * n),
            products.begin() + static_cast<std::ptrdiff_t>((r + 1) * m * n));
        rt::Tensor t = ctx.session().from_host(rt::HostTensor::from(mine, {m * n}), {}, "p");
        ctx.barrier();
        start[r] = ctx.process().now();
        ctx.reduce_scatter(t);
        end[r] = ctx.process().now();
        wrong_unfused +=
            wrong_block(t.to_host().values<float>(), ctx.rank() * rows * n, ctx.rank());
      },
      options);
  const base::SimTime t_rs =
      *std::max_element(end.begin(), end.end()) - *std::min_element(start.begin(), start.end());
  const base::SimTime t_fused = timed_launch(s, fused, ta, tb, tc);
  const std::vector<float> got = tc.to_host().values<float>();
  for (std::int64_t r = 0; r < ranks; ++r)
    wrong_fused += wrong_block(got, (r * m + r * rows) * n, r);
  const base::SimTime bound =
      std::max(t_matmul, t_rs) + base::SimTime::from_ps(std::min(t_matmul, t_rs).ps() / 5);
  fmt::print("matmul {}x{}x{} over {} PEs, reduce-scattered by rows (ring_tcm_8)\n", m, k, n,
             ranks);
  fmt::print("  matmul: {}\n  then reduce_scatter: {} ({} wrong)\n", t_matmul, t_rs, wrong_unfused);
  fmt::print("  fused: {} ({} wrong), bound {} (the longer + 20% of the shorter)\n", t_fused,
             wrong_fused, bound);
  const bool ok = wrong_unfused == 0 && wrong_fused == 0 && t_fused <= bound;
  fmt::print("fused matmul reduce_scatter: {}\n", ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}

}  // namespace kernbench::examples
