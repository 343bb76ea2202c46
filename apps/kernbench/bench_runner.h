// Running one bench of a registry for the command line: its context, the wall clock it took (for
// stderr only), and its errors named after it.
#pragma once

#include <functional>
#include <string>

#include "benches/bench_registry.h"

#include "kernbench/report/run_record.h"

namespace kernbench::apps {

struct BenchRun {
  report::BenchRecord record;
  double wall_seconds = 0;  // host time, never part of a record
};

/// Runs `bench` in `context`; a user error it throws comes back as a base::Error whose message
/// starts with "bench 'NAME': ".
BenchRun run_bench(const benches::Bench& bench, const benches::BenchContext& context);
/// Where a bench's record ends on the run's timeline: the latest end of its phases.
base::SimTime end_of(const report::BenchRecord& record);
/// The threads -j N asks for: N, or one per hardware thread for 0.
std::size_t thread_count(int jobs);
/// Calls `fn(i)` for every i in [0, count) on up to `jobs` threads (0: one per hardware thread).
/// Once all are done, rethrows the exception of the lowest i that threw, if any.
void parallel_for(std::size_t count, int jobs, const std::function<void(std::size_t)>& fn);
/// Moves every phase of `record` `offset` later on the run's timeline.
void shift_phases(report::BenchRecord& record, base::SimTime offset);
/// "0.41 s": a wall-clock duration for stderr.
std::string wall_text(double seconds);

}  // namespace kernbench::apps
