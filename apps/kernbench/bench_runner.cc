#include "bench_runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/base/limit_error.h"

namespace kernbench::apps {

BenchRun run_bench(const benches::Bench& bench, const benches::BenchContext& context) {
  const auto start = std::chrono::steady_clock::now();
  BenchRun run;
  try {
    run.record = bench.run(context);
  } catch (const base::HostMemoryLimitError& e) {  // kept by its type: the CLI names its option
    throw base::HostMemoryLimitError(fmt::format("bench '{}': {}", bench.name, e.what()));
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

std::size_t thread_count(int jobs) {
  return jobs > 0 ? static_cast<std::size_t>(jobs)
                  : std::max(1u, std::thread::hardware_concurrency());
}

void parallel_for(std::size_t count, int jobs, const std::function<void(std::size_t)>& fn) {
  std::vector<std::exception_ptr> errors(count);
  std::atomic<std::size_t> next{0};
  const auto worker = [&] {
    for (std::size_t i; (i = next++) < count;) {
      try {
        fn(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  const std::size_t threads = std::min(thread_count(jobs), count);
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (std::thread& t : pool) t.join();
  }
  for (const std::exception_ptr& e : errors)
    if (e) std::rethrow_exception(e);
}

void shift_phases(report::BenchRecord& record, base::SimTime offset) {
  for (report::PhaseRecord& p : record.phases) p.start = p.start + offset;
}

std::string wall_text(double seconds) { return fmt::format("{:.2f} s", seconds); }

}  // namespace kernbench::apps
