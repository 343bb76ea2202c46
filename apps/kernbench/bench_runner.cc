#include "bench_runner.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "kernbench/base/error.h"

namespace kernbench::apps {

BenchRun run_bench(const benches::Bench& bench, const benches::BenchContext& context) {
  const auto start = std::chrono::steady_clock::now();
  BenchRun run;
  try {
    run.record = bench.run(context);
  } catch (const base::Error& e) {
    throw base::Error(fmt::format("bench '{}': {}", bench.name, e.what()));
  }
  run.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return run;
}

base::SimTime end_of(const report::BenchRecord& record) {
  base::SimTime end = base::SimTime::zero();
  for (const report::PhaseRecord& p : record.phases) end = std::max(end, p.start + p.duration);
  return end;
}

std::string wall_text(double seconds) { return fmt::format("{:.2f} s", seconds); }

}  // namespace kernbench::apps
