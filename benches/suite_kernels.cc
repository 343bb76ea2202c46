#include "benches/suite_kernels.h"

#include <fmt/format.h>

#include "benches/attention.h"
#include "benches/layer_norm.h"
#include "benches/matmul_persistent.h"
#include "benches/softmax.h"

namespace kernbench::benches {

void register_suite_kernels(rt::KernelRegistry& registry) {
  registry.add("softmax", softmax_kernel(kSoftmaxBlockRows),
               fmt::format("row-wise softmax, f32; args (x [rows, cols], y); grid cdiv(local "
                           "rows, {})",
                           kSoftmaxBlockRows));
  registry.add("layernorm", layer_norm_kernel(kLayerNormBlockRows),
               fmt::format("layer norm forward; args (x f16 [rows, cols], w f16 [cols], b f16 "
                           "[cols], y f16, mean f32 [rows], rstd f32 [rows], eps); grid "
                           "cdiv(local rows, {})",
                           kLayerNormBlockRows));
  registry.add("attention", attention_kernel(kAttentionBlockM, kAttentionBlockN),
               fmt::format("flash attention forward, one head; args (q f16 [M, D], k f16 [N, D], "
                           "v f16 [N, D], out f16 [M, D]); grid cdiv(local M, {})",
                           kAttentionBlockM));
  registry.add("matmul", matmul_kernel(kSuiteMatmulTiles),
               fmt::format("tiled C = A @ B; args (a f16 [M, K], b f16 [K, N], c f32 [M, N]); "
                           "grid (cdiv(local M, {}), cdiv(N, {}))",
                           kSuiteMatmulTiles.m, kSuiteMatmulTiles.n));
  registry.add("matmul_persistent", matmul_persistent_kernel(kSuitePersistentBlockM),
               fmt::format("one program per PE keeping B in TCM; args (a f16 [M, K], b f16 [K, "
                           "N], c f32 [M, N]); grid 1, {} rows of A at a time",
                           kSuitePersistentBlockM));
}

}  // namespace kernbench::benches
