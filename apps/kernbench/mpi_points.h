// The independent points of a command (a sweep's settings, a collective bench's sizes), spread
// over the processes of an MPI job: each runs its share on its own threads (-j), and rank 0
// gathers every point's result in point order, so its output is the single-process run's.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "mpi_world.h"

namespace kernbench::apps {

/// The process each point runs on, balancing `costs` (a host-cost estimate per point): the most
/// costly point first (ties: input order), each to the process with the least cost so far (ties:
/// the lowest rank). Deterministic.
std::vector<int> assign_points(std::span<const std::uint64_t> costs, int processes);

/// Runs `run(i)` (a point's result as bytes, mpi_codec.h) for every point `owners` gives this
/// process, on `jobs` threads (0: one per hardware thread), and gathers them on rank 0. On rank
/// 0: every point's result in point order, or, once all are done, the error of the lowest point
/// that threw (mpi_codec.h's result_or_throw). Elsewhere: an empty list.
std::vector<std::string> run_points_spread(const MpiWorld& world, const std::vector<int>& owners,
                                           int jobs,
                                           const std::function<std::string(std::size_t)>& run);

}  // namespace kernbench::apps
