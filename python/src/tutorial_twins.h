// C++ twins of the tutorial-style Python kernels the tests and python/tools/ compare against:
// each is written line for line like its Python kernel (tests/python/test_language.py), so the
// two call the same tl ops in the same order and must give the same bytes and simulated time.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "kernbench/rt/program_context.h"

namespace kernbench::python {

/// The twin of `kind` ("vector_add", "softmax", "matmul") with its block sizes (the Python
/// kernel's constexpr parameters, in order: BLOCK; BLOCK; BLOCK_M, BLOCK_N, BLOCK_K).
/// NotFoundError for an unknown kind, ShapeError for a wrong count of block sizes.
rt::KernelFn tutorial_twin(std::string_view kind, std::span<const std::int64_t> blocks);

}  // namespace kernbench::python
