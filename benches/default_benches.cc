#include "benches/default_benches.h"

#include "benches/attention.h"
#include "benches/bench_machine.h"
#include "benches/cube_all_reduce.h"
#include "benches/deploy.h"
#include "benches/layer_norm.h"
#include "benches/matmul.h"
#include "benches/matmul_persistent.h"
#include "benches/softmax.h"
#include "benches/vector_add.h"

namespace kernbench::benches {

namespace {

// Per-PE sizes: each PE's shard has ragged edges (rows not a multiple of the row block, columns
// not a power of two), and the whole suite stays within a few seconds of wall time.
int sip_pes(const BenchContext& ctx) { return pes_of(ctx.spec, Spread::sip); }

report::BenchRecord deploy_bench(const BenchContext& ctx) {
  BenchMachine machine(ctx);
  return machine.record(
      run_deploy(machine.session(), ctx.spec.pes_per_cube() * 256, 1024, ctx.data));
}

report::BenchRecord all_reduce_bench(const BenchContext& ctx) {
  BenchMachine machine(ctx);
  return machine.record(run_cube_all_reduce(machine.session(), 1 << 18, ctx.data));
}

report::BenchRecord vector_add_bench(const BenchContext& ctx) {
  BenchMachine machine(ctx);
  return machine.record(
      run_vector_add(machine.session(), sip_pes(ctx) * 8000, Spread::sip, ctx.data));
}

report::BenchRecord softmax_bench(const BenchContext& ctx) {
  BenchMachine machine(ctx);
  return machine.record(
      run_softmax(machine.session(), sip_pes(ctx) * 16, 1000, Spread::sip, ctx.data));
}

report::BenchRecord matmul_bench(const BenchContext& ctx) {
  BenchMachine machine(ctx);
  return machine.record(run_matmul(machine.session(), {sip_pes(ctx) * 64, 128, 256}, Spread::sip,
                                   {64, 128, 64}, ctx.data));
}

report::BenchRecord matmul_persistent_bench(const BenchContext& ctx) {
  BenchMachine machine(ctx);
  return machine.record(run_matmul_persistent(machine.session(), {sip_pes(ctx) * 64, 128, 256},
                                              Spread::sip, 32, ctx.data));
}

report::BenchRecord layer_norm_bench(const BenchContext& ctx) {
  BenchMachine machine(ctx);
  return machine.record(
      run_layer_norm(machine.session(), sip_pes(ctx) * 16, 1000, Spread::sip, ctx.data));
}

report::BenchRecord attention_bench(const BenchContext& ctx) {
  BenchMachine machine(ctx);
  return machine.record(
      run_attention(machine.session(), {sip_pes(ctx) * 32, 500, 64}, Spread::sip, ctx.data));
}

}  // namespace

void register_default_benches(BenchRegistry& registry) {
  registry.add({"deploy",
                "the host copies an f16 tensor (4 MiB with 8 PEs per cube) onto every cube",
                deploy_bench});
  registry.add({"matmul",
                "tiled C = A @ B on every PE, f16 in, f32 accumulate (Triton tutorial 03)",
                matmul_bench});
  registry.add({"softmax", "row-wise fused softmax, f32 (tutorial 02)", softmax_bench});
  registry.add({"layernorm", "layer norm forward, f16 (tutorial 05)", layer_norm_bench});
  registry.add({"all_reduce",
                "ring all-reduce of 1 MiB f32 per rank across the cubes (PE 0 of each)",
                all_reduce_bench});
  registry.add({"vector_add", "out = x + y, f32 (tutorial 01)", vector_add_bench});
  registry.add({"matmul_persistent",
                "one program per PE keeping B in TCM, streaming rows of A (tutorial 09's idea)",
                matmul_persistent_bench});
  registry.add(
      {"attention", "flash attention forward, online softmax, f16 (tutorial 06)", attention_bench});
}

}  // namespace kernbench::benches
