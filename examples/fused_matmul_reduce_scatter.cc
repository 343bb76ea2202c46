// A matmul whose output is reduce-scattered across the 8 PEs of cube 0 as it is produced, against
// the matmul then the built-in reduce_scatter on the same data (ring_tcm_8). Rank r holds A_r
// (M x K/8) and B_r (K/8 x N); the result is the sum of A_r B_r, row block j on rank j. Fused:
// at step t rank r computes its product's row block r-t-1, adds the partial sum of that block
// from ring.prev and passes it to ring.next, keeping block r at the last step, so the matrix unit
// works on the next block while the last one travels. Prints the three times; OK when both results
// are right and the fused time is at most the longer of the two plus 20% of the shorter.
// Run: build/examples/fused_matmul_reduce_scatter [key=value ...]
#include "collective_kernel_harness.h"

using namespace kernbench;
using namespace kernbench::tl;

constexpr int kRanks = 8;
constexpr std::int64_t kM = 512, kK = 2048, kN = 128, kRows = kM / kRanks, kKp = kK / kRanks;

Tile block_product(Program& p, std::int64_t block) {  // rows [block * kRows, ..) of A_r B_r
  const Tile a = load(
      make_block_ptr(p.pointer(0), {kM, kKp}, {kKp, 1}, {block * kRows, 0}, {kRows, kKp}, {1, 0}));
  const Tile b = load(make_block_ptr(p.pointer(1), {kKp, kN}, {kN, 1}, {0, 0}, {kKp, kN}, {1, 0}));
  return dot(a, b);
}

void store_rows(Program& p, std::int64_t block, const Tile& t) {
  store(make_block_ptr(p.pointer(2), {kM, kN}, {kN, 1}, {block * kRows, 0}, {kRows, kN}, {1, 0}),
        t);
}

void matmul(Program& p) {  // the whole product, block by block
  for (std::int64_t b = 0; b < kRanks; ++b) store_rows(p, b, block_product(p, b));
}

void fused(Program& p) {
  const Ipcq q(p);
  const Peer next = q.peer("ring.next"), prev = q.peer("ring.prev");
  const int r = q.rank();
  for (int t = 0; t < kRanks; ++t) {
    const std::int64_t b = ((r - t - 1) % kRanks + kRanks) % kRanks;
    Tile sum = block_product(p, b);
    if (t > 0) sum = sum + recv(prev, base::DType::f32, {kRows, kN});
    if (t < kRanks - 1)
      send(next, sum);
    else
      store_rows(p, b, sum);
  }
}

int main(int argc, char** argv) {
  return examples::compare_fused({argv + 1, argv + argc}, kRanks, {kM, kK, kN}, matmul, fused);
}
