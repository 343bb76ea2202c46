#include "benches/default_benches.h"

#include <limits>

#include <fmt/format.h>

#include "benches/attention.h"
#include "benches/bench_machine.h"
#include "benches/cube_all_reduce.h"
#include "benches/deploy.h"
#include "benches/layer_norm.h"
#include "benches/matmul.h"
#include "benches/matmul_persistent.h"
#include "benches/softmax.h"
#include "benches/suite_kernels.h"
#include "benches/vector_add.h"

#include "kernbench/base/error.h"

namespace kernbench::benches {

namespace {

// Per-PE sizes: each PE's shard has ragged edges (rows not a multiple of the row block, columns
// not a power of two), and the whole suite stays within a few seconds of wall time.
int sip_pes(const BenchContext& ctx) { return pes_of(ctx.spec, Spread::sip); }

// A --param value (or the default), as the int the run functions take.
int param(const BenchContext& ctx, std::string_view name, std::int64_t fallback) {
  const std::int64_t v = ctx.params.get(name, fallback);
  if (v > std::numeric_limits<int>::max())
    throw base::ConfigError(
        {fmt::format("--param {}={}: at most {}", name, v, std::numeric_limits<int>::max())});
  return static_cast<int>(v);
}

report::BenchRecord deploy_bench(const BenchContext& ctx) {
  BenchMachine machine(ctx);
  return machine.record(run_deploy(machine.session(),
                                   param(ctx, "rows", ctx.spec.pes_per_cube() * 256),
                                   param(ctx, "cols", 1024), ctx.data));
}

// The ring takes the run's ring_default_ws entry's buffer and chunk size (--set
// ccl.ring_default_ws.chunk_size=16K or ccl.defaults.chunk_size=16K, a sweep's axis).
report::BenchRecord all_reduce_bench(const BenchContext& ctx) {
  BenchMachine machine(ctx);
  return machine.record(run_cube_all_reduce(machine.session(), param(ctx, "count", 1 << 18),
                                            ctx.data,
                                            ctx.ccl ? &ctx.ccl->find(kAllReduceEntry) : nullptr));
}

report::BenchRecord vector_add_bench(const BenchContext& ctx) {
  BenchMachine machine(ctx);
  return machine.record(run_vector_add(machine.session(), param(ctx, "n", sip_pes(ctx) * 8000),
                                       Spread::sip, ctx.data));
}

report::BenchRecord softmax_bench(const BenchContext& ctx) {
  BenchMachine machine(ctx);
  return machine.record(run_softmax(machine.session(), param(ctx, "rows", sip_pes(ctx) * 16),
                                    param(ctx, "cols", 1000), Spread::sip, ctx.data));
}

MatmulShape matmul_shape(const BenchContext& ctx) {
  return {param(ctx, "M", sip_pes(ctx) * 64), param(ctx, "N", 128), param(ctx, "K", 256)};
}

report::BenchRecord matmul_bench(const BenchContext& ctx) {
  BenchMachine machine(ctx);
  return machine.record(
      run_matmul(machine.session(), matmul_shape(ctx), Spread::sip, kSuiteMatmulTiles, ctx.data));
}

report::BenchRecord matmul_persistent_bench(const BenchContext& ctx) {
  BenchMachine machine(ctx);
  return machine.record(run_matmul_persistent(machine.session(), matmul_shape(ctx), Spread::sip,
                                              kSuitePersistentBlockM, ctx.data));
}

report::BenchRecord layer_norm_bench(const BenchContext& ctx) {
  BenchMachine machine(ctx);
  return machine.record(run_layer_norm(machine.session(), param(ctx, "rows", sip_pes(ctx) * 16),
                                       param(ctx, "cols", 1000), Spread::sip, ctx.data));
}

report::BenchRecord attention_bench(const BenchContext& ctx) {
  BenchMachine machine(ctx);
  return machine.record(
      run_attention(machine.session(),
                    {param(ctx, "M", sip_pes(ctx) * 32), param(ctx, "N", 500), param(ctx, "D", 64)},
                    Spread::sip, ctx.data));
}

}  // namespace

namespace {

const std::vector<BenchParam> kMatmulParams{{"M", "64 per PE of the SIP", "rows of A and C"},
                                            {"N", "128", "columns of B and C"},
                                            {"K", "256", "columns of A, rows of B"}};

std::vector<BenchParam> rows_and_cols() {
  return {{"rows", "16 per PE of the SIP", "rows of the input"},
          {"cols", "1000", "columns of the input (the reduced dimension)"}};
}

}  // namespace

void register_default_benches(BenchRegistry& registry) {
  registry.add({"deploy",
                "the host copies an f16 tensor (4 MiB with 8 PEs per cube) onto every cube",
                deploy_bench,
                {{"rows", "256 per PE of a cube", "rows of the tensor"},
                 {"cols", "1024", "columns of the tensor"}}});
  registry.add({"matmul",
                "tiled C = A @ B on every PE, f16 in, f32 accumulate (Triton tutorial 03)",
                matmul_bench, kMatmulParams});
  registry.add(
      {"softmax", "row-wise fused softmax, f32 (tutorial 02)", softmax_bench, rows_and_cols()});
  registry.add(
      {"layernorm", "layer norm forward, f16 (tutorial 05)", layer_norm_bench, rows_and_cols()});
  registry.add({"all_reduce",
                "ring all-reduce of 1 MiB f32 per rank across the cubes (PE 0 of each)",
                all_reduce_bench,
                {{"count", "262144", "f32 elements per rank"}}});
  registry.add({"vector_add",
                "out = x + y, f32 (tutorial 01)",
                vector_add_bench,
                {{"n", "8000 per PE of the SIP", "elements of x, y and out"}}});
  registry.add({"matmul_persistent",
                "one program per PE keeping B in TCM, streaming rows of A (tutorial 09's idea)",
                matmul_persistent_bench, kMatmulParams});
  registry.add({"attention",
                "flash attention forward, online softmax, f16 (tutorial 06)",
                attention_bench,
                {{"M", "32 per PE of the SIP", "query rows"},
                 {"N", "500", "key and value rows"},
                 {"D", "64", "head dimension"}}});
}

}  // namespace kernbench::benches
