// The built-in kernels against their plain C++ references on one PE, one cube and every cube of a
// SIP (rows split at cube and PE level), on shapes whose shards have ragged edges.
#include <cmath>

#include <gtest/gtest.h>

#include "benches/attention.h"
#include "benches/bench_machine.h"
#include "benches/layer_norm.h"
#include "benches/matmul.h"
#include "benches/matmul_persistent.h"
#include "benches/softmax.h"
#include "benches/vector_add.h"

#include "kernbench/topo/topology_loader.h"

namespace kernbench::benches {
namespace {

constexpr Spread kSpreads[] = {Spread::pe, Spread::cube, Spread::sip};

// Runs `run` on a fresh default machine for every spread, with rows scaled by the spread's PEs.
template <typename Run>
void for_each_spread(Run run) {
  for (const Spread spread : kSpreads) {
    BenchMachine machine(topo::default_topology());
    const int pes = pes_of(machine.spec(), spread);
    const BenchResult r = run(machine.session(), spread, pes);
    EXPECT_TRUE(r.check.checked && r.check.pass)
        << r.name << " " << r.shape << " on " << name(spread) << ": " << r.check.detail;
    EXPECT_EQ(r.pes, pes) << r.name << " " << r.shape;
    EXPECT_GT(r.time.ps(), 0);
  }
}

TEST(VectorAdd, MatchesTheReferenceWithARaggedLastBlock) {
  for (const std::int64_t per_pe : {1000, 1024, 3}) {
    for_each_spread([&](rt::Session& s, Spread spread, int pes) {
      return run_vector_add(s, per_pe * pes, spread);
    });
  }
}

TEST(Softmax, MatchesTheReferenceWithRaggedRowsAndColumns) {
  for (const auto& [rows, cols] : {std::pair{5, 100}, std::pair{4, 64}, std::pair{1, 3}}) {
    for_each_spread([&](rt::Session& s, Spread spread, int pes) {
      return run_softmax(s, rows * pes, cols, spread);
    });
  }
}

TEST(Matmul, MatchesTheReferenceWithRaggedTiles) {
  const MatmulTiles tiles{32, 32, 32};
  for (const auto& [m, n, k] :
       {std::tuple{40, 48, 72}, std::tuple{32, 64, 64}, std::tuple{3, 5, 7}}) {
    for_each_spread([&](rt::Session& s, Spread spread, int pes) {
      return run_matmul(s, {m * pes, n, k}, spread, tiles);
    });
  }
}

TEST(MatmulPersistent, MatchesTheReferenceWithRaggedRowsAndPaddedKAndN) {
  for (const auto& [m, n, k] :
       {std::tuple{40, 48, 72}, std::tuple{64, 64, 64}, std::tuple{3, 5, 7}}) {
    for_each_spread([&](rt::Session& s, Spread spread, int pes) {
      return run_matmul_persistent(s, {m * pes, n, k}, spread, 32);
    });
  }
}

TEST(LayerNorm, MatchesTheReferenceWithRaggedRowsAndColumns) {
  for (const auto& [rows, cols] : {std::pair{5, 100}, std::pair{4, 256}, std::pair{1, 7}}) {
    for_each_spread([&](rt::Session& s, Spread spread, int pes) {
      return run_layer_norm(s, rows * pes, cols, spread);
    });
  }
}

TEST(Attention, MatchesTheReferenceWithRaggedQueryAndKeyBlocks) {
  for (const auto& [m, n, d] :
       {std::tuple{40, 100, 32}, std::tuple{32, 64, 16}, std::tuple{3, 5, 8}}) {
    for_each_spread([&](rt::Session& s, Spread spread, int pes) {
      return run_attention(s, {m * pes, n, d}, spread);
    });
  }
}

// The references themselves, on cases small enough to work out by hand.
TEST(References, AgreeWithHandComputedValues) {
  const std::vector<float> x{0.0f, std::log(3.0f)};
  const std::vector<double> s = softmax_reference(x, 1, 2);
  EXPECT_NEAR(s[0], 0.25, 1e-7);
  EXPECT_NEAR(s[1], 0.75, 1e-7);
  const std::vector<float> a{1, 2, 3, 4}, b{5, 6, 7, 8};
  EXPECT_EQ(matmul_reference(a, b, {2, 2, 2}), (std::vector<double>{19, 22, 43, 50}));
  const std::vector<float> row{1, 3}, w{2, 2}, bias{1, 1};
  const std::vector<double> y = layer_norm_reference(row, w, bias, 1, 2, 0.0);
  EXPECT_NEAR(y[0], -1.0, 1e-12);  // (1 - 2) / 1 * 2 + 1
  EXPECT_NEAR(y[1], 3.0, 1e-12);
  // One key: attention returns its value whatever the scores.
  const std::vector<float> q{1, 0}, k{0.5f, 0.5f}, v{3, 4};
  EXPECT_EQ(attention_reference(q, k, v, {1, 1, 2}), (std::vector<double>{3, 4}));
}

}  // namespace
}  // namespace kernbench::benches
