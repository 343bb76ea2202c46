#include "kernbench/ccl/rank_launcher.h"

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/ccl/rank_context.h"
#include "kernbench/ccl/world.h"

namespace kernbench::ccl {
namespace {

std::vector<topo::PeCoord> rank_pes(const rt::Runtime& runtime, int world,
                                    const LaunchOptions& options) {
  if (world < 1) throw base::ConfigError({fmt::format("world size {}: need at least 1", world)});
  if (!options.pes.empty()) {
    if (static_cast<int>(options.pes.size()) != world)
      throw base::ConfigError(
          {fmt::format("world size {} but {} rank PEs given", world, options.pes.size())});
    return options.pes;
  }
  const int sips = runtime.system().spec().system.sip_count;
  if (world > sips)
    throw base::ConfigError(
        {fmt::format("world size {} does not fit one rank per SIP: the system has {} SIP(s) (give "
                     "LaunchOptions::pes)",
                     world, sips)});
  std::vector<topo::PeCoord> pes;
  for (int r = 0; r < world; ++r) pes.push_back({r, 0, 0});
  return pes;
}

}  // namespace

void run_ranks(rt::Runtime& runtime, int world, const std::function<void(RankContext&)>& bench,
               const LaunchOptions& options) {
  const CclConfig fallback = options.ccl != nullptr
                                 ? CclConfig{}
                                 : default_ccl_config(default_algorithm_registry().kinds());
  World shared(runtime, rank_pes(runtime, world, options),
               options.ccl != nullptr ? *options.ccl : fallback, options.timing_only);
  sim::Engine& engine = runtime.system().engine();
  for (int r = 0; r < world; ++r) {
    engine.spawn(fmt::format("rank {}", r), [&shared, &bench, r](sim::Process& p) {
      rt::Session& session = shared.runtime().session(p);
      session.set_device(shared.pe(r).sip);
      RankContext context(shared, r, p, session);
      bench(context);
      session.synchronize();
    });
  }
  engine.run();
}

void run_ranks(rt::Runtime& runtime, const std::function<void(RankContext&)>& bench,
               const LaunchOptions& options) {
  run_ranks(runtime, runtime.system().spec().system.sip_count, bench, options);
}

}  // namespace kernbench::ccl
