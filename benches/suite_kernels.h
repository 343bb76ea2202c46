// The default suite's kernels under their bench names, with the block sizes the suite uses, so
// a program (or `kernbench list kernels softmax`) finds them in an rt::KernelRegistry.
#pragma once

#include <cstdint>

#include "benches/matmul.h"

#include "kernbench/rt/kernel_registry.h"

namespace kernbench::benches {

/// The suite's block sizes (the benches launch their kernels with these).
inline constexpr std::int64_t kSoftmaxBlockRows = 4;
inline constexpr std::int64_t kLayerNormBlockRows = 4;
inline constexpr std::int64_t kAttentionBlockM = 32;
inline constexpr std::int64_t kAttentionBlockN = 64;
inline constexpr MatmulTiles kSuiteMatmulTiles{64, 128, 64};
inline constexpr std::int64_t kSuitePersistentBlockM = 32;

/// Adds softmax, layernorm, attention, matmul and matmul_persistent, each with a help line
/// giving its arguments and grid. (vector_add is rt's demo kernel of the same name.)
void register_suite_kernels(rt::KernelRegistry& registry);

}  // namespace kernbench::benches
