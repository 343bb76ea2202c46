// Shared by the micro-benchmarks: an engine configuration without run limits (a benchmark runs
// far more events than any simulation a user would start).
#pragma once

#include <cstdint>
#include <limits>

#include "kernbench/sim/engine.h"

namespace kernbench::perf {

inline sim::EngineConfig unlimited_engine_config() {
  sim::EngineConfig c;
  c.limits.max_events = std::numeric_limits<std::uint64_t>::max();
  c.limits.max_time = base::SimTime::max();
  return c;
}

}  // namespace kernbench::perf
