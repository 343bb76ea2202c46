// MSCCL algorithms: an MSCCL file's program translated into the schedule the schedule executor
// runs (gpus are plan ranks, chunks are parts of each rank's data), and the algorithm object a
// registry holds for it.
#pragma once

#include <memory>
#include <string>

#include "kernbench/ccl/collective_algorithm.h"
#include "kernbench/ccl/msccl_program.h"

namespace kernbench::ccl {

/// The collective an MSCCL file implements ("allreduce" -> all_reduce ...).
CollectiveOp msccl_collective(const MscclProgram& program);

/// The schedule of `program` over `count` elements per rank: each chunk is count/nchunksperloop
/// elements of the rank's data (the executor moves it in slices of the plan's chunk size, which is
/// MSCCL's loop over the buffer). ShapeError when nchunksperloop does not divide `count`;
/// ConfigError (file:line) for a step the executor cannot run (see docs/collectives.md, MSCCL) or
/// a program that cannot finish (a receive no send matches, a dependency cycle).
Schedule msccl_schedule(const MscclProgram& program, std::uint64_t count);

/// The algorithm of kind `kind` running the MSCCL file at `path` (read and checked now).
std::unique_ptr<CollectiveAlgorithm> make_msccl_algorithm(std::string kind,
                                                          const std::string& path);
/// The same for a program already read.
std::unique_ptr<CollectiveAlgorithm> make_msccl_algorithm(std::string kind, MscclProgram program);

}  // namespace kernbench::ccl
