#include "kernbench/ccl/rank_launcher.h"

#include <fmt/format.h>

#include "kernbench/ccl/rank_context.h"
#include "kernbench/ccl/world.h"

namespace kernbench::ccl {

void run_ranks(rt::Runtime& runtime, int world, const std::function<void(RankContext&)>& bench,
               const LaunchOptions& options) {
  const AlgorithmRegistry built_in =
      options.algorithms != nullptr ? AlgorithmRegistry{} : default_algorithm_registry();
  const AlgorithmRegistry& algorithms =
      options.algorithms != nullptr ? *options.algorithms : built_in;
  const CclConfig fallback = options.ccl != nullptr ? CclConfig{} : default_ccl_config(algorithms);
  World shared(runtime, options.ranks.places(world, runtime),
               options.ccl != nullptr ? *options.ccl : fallback, algorithms, options.timing_only);
  std::vector<rt::Device> devices;  // set_device(i) is rank i's device
  for (int r = 0; r < world; ++r) devices.push_back(shared.device(r));
  sim::Engine& engine = runtime.system().engine();
  for (int r = 0; r < world; ++r) {
    engine.spawn(fmt::format("rank {}", r), [&shared, &bench, &devices, r](sim::Process& p) {
      rt::Session& session = shared.runtime().session(p);
      session.number_devices(devices);
      session.set_device(shared.device(r));
      RankContext context(shared, r, p, session);
      bench(context);
      session.synchronize();
    });
  }
  engine.run();
}

void run_ranks(rt::Runtime& runtime, const std::function<void(RankContext&)>& bench,
               const LaunchOptions& options) {
  run_ranks(runtime, options.ranks.default_world(runtime), bench, options);
}

}  // namespace kernbench::ccl
