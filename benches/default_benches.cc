#include "benches/default_benches.h"

#include "benches/attention.h"
#include "benches/bench_machine.h"
#include "benches/layer_norm.h"
#include "benches/matmul.h"
#include "benches/matmul_persistent.h"
#include "benches/softmax.h"
#include "benches/vector_add.h"

namespace kernbench::benches {

namespace {

// Per-PE sizes: each PE's shard has ragged edges (rows not a multiple of the row block, columns
// not a power of two), and the whole run stays well under a second of wall time.
BenchResult vector_add_bench(const topo::TopologySpec& spec) {
  BenchMachine machine(spec);
  return run_vector_add(machine.session(), pes_of(spec, Spread::sip) * 8000, Spread::sip);
}

BenchResult softmax_bench(const topo::TopologySpec& spec) {
  BenchMachine machine(spec);
  return run_softmax(machine.session(), pes_of(spec, Spread::sip) * 16, 1000, Spread::sip);
}

BenchResult matmul_bench(const topo::TopologySpec& spec) {
  BenchMachine machine(spec);
  return run_matmul(machine.session(), {pes_of(spec, Spread::sip) * 64, 128, 256}, Spread::sip,
                    {64, 128, 64});
}

BenchResult matmul_persistent_bench(const topo::TopologySpec& spec) {
  BenchMachine machine(spec);
  return run_matmul_persistent(machine.session(), {pes_of(spec, Spread::sip) * 64, 128, 256},
                               Spread::sip, 32);
}

BenchResult layer_norm_bench(const topo::TopologySpec& spec) {
  BenchMachine machine(spec);
  return run_layer_norm(machine.session(), pes_of(spec, Spread::sip) * 16, 1000, Spread::sip);
}

BenchResult attention_bench(const topo::TopologySpec& spec) {
  BenchMachine machine(spec);
  return run_attention(machine.session(), {pes_of(spec, Spread::sip) * 32, 500, 64}, Spread::sip);
}

}  // namespace

void register_default_benches(BenchRegistry& registry) {
  registry.add({"vector_add", "out = x + y, f32 (Triton tutorial 01)", vector_add_bench});
  registry.add({"softmax", "row-wise fused softmax, f32 (tutorial 02)", softmax_bench});
  registry.add({"matmul", "tiled C = A @ B, f16 in, f32 accumulate (tutorial 03)", matmul_bench});
  registry.add({"matmul_persistent",
                "one program per PE keeping B in TCM, streaming rows of A (tutorial 09's idea)",
                matmul_persistent_bench});
  registry.add({"layernorm", "layer norm forward, f16 (tutorial 05)", layer_norm_bench});
  registry.add(
      {"attention", "flash attention forward, online softmax, f16 (tutorial 06)", attention_bench});
}

}  // namespace kernbench::benches
