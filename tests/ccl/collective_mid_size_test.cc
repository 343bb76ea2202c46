// Mid sizes (issue 13): on contention-free placements where every message spans at least 16 DMA
// chunks, ring, halving-doubling and 2-D mesh all-reduce follow a pipelined alpha-beta-gamma model
// within 5% from 64 KiB to 64 MiB, under both fabric models. Alpha, beta, gamma and delta come
// from the spec's parameters (collective_models.h), never fitted.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "collective_models.h"
#include "fidelity_bench.h"

namespace kernbench::ccl {
namespace {

using fidelity::KiB;
using fidelity::MiB;
using models::Parameters;

constexpr int kRanks = 8;  // mesh_2d: 2 rows of 4

// A step's stream of `bytes` over the route from rank 0 to `to`, in messages of at most `chunk`:
// the parameters of its messages and how they travel.
struct Stream {
  Parameters e;
  models::Messages x;
  Stream(hw::System& system, int to, std::uint64_t bytes, std::uint64_t chunk)
      : e(models::route_parameters(system, {0, 0, 0}, {0, 0, to}, std::min(chunk, bytes),
                                   base::DType::f32)),
        x(models::Messages::of(bytes, chunk, system.spec().cube.pe.dma.channels)) {}
  // Pipelined: the first message lands after alpha, the rest follow at the stream's pace; a
  // reducing step then reduces its last message.
  double ns(bool reduce) const {
    return e.alpha_ns + x.n * models::stream_beta(e, x) +
           (reduce ? e.delta_ns + x.s * e.gamma_ns : 0);
  }
};

// The pipelined model of `kind`'s all-reduce of n bytes per rank over kRanks ranks on the model
// machine (every route alike): the ring's chunk-pipelined model (collective_models.h); the 2-D
// mesh's on its column rings (2 ranks, n) and then its row rings (4 ranks, n/2); halving-doubling
// as its steps one after another, each a pipelined stream of n/2, n/4, n/8 (and back).
double pipelined_model_ns(hw::System& system, const std::string& kind, std::uint64_t n,
                          std::uint64_t chunk) {
  const int channels = system.spec().cube.pe.dma.channels;
  const auto ring = [&](int members, std::uint64_t bytes) {
    const std::uint64_t message = std::min(chunk, bytes / static_cast<std::uint64_t>(members));
    const Parameters e =
        models::route_parameters(system, {0, 0, 0}, {0, 0, 1}, message, base::DType::f32);
    return models::pipelined_ring_all_reduce_ns(e, members, bytes, chunk, channels);
  };
  if (kind == "ring") return ring(kRanks, n);
  if (kind == "mesh_2d") return ring(2, n) + ring(4, n / 2);
  double t = 0;
  for (std::uint64_t part = n / 2; part >= n / kRanks; part /= 2) {
    const Stream s(system, 1, part, chunk);
    t += s.ns(true) + s.ns(false);
    t += static_cast<double>(part - s.x.s) * s.e.gamma_ns;  // the other messages' reductions
  }
  return t;
}

// The DMA chunk that cuts each kind's smallest message (a ccl chunk, or n/p when smaller) into 16.
std::uint64_t dma_chunk(std::uint64_t n, std::uint64_t ccl_chunk) {
  return std::max<std::uint64_t>(64, std::min(ccl_chunk, n / kRanks) / 16);
}

TEST(CollectiveMidSizeAnalytic, AllReduceFollowsThePipelinedModelFrom64KiBTo64MiB) {
  for (const std::string model : {"chunks", "flows"})
    for (const std::string kind : {"ring", "halving_doubling", "mesh_2d"})
      for (const std::uint64_t n : {64 * KiB, 256 * KiB, 1 * MiB, 4 * MiB, 16 * MiB, 64 * MiB}) {
        topo::Overrides machine = fidelity::model_machine(n);
        machine.push_back(fmt::format("cube.pe_template.components.pe_dma.attrs.chunk_size={}",
                                      dma_chunk(n, 64 * KiB)));
        machine.push_back("system.fabric_model=" + model);
        fidelity::Bench b(machine, fidelity::entry(kind, kRanks));
        ASSERT_EQ(b.plan.chunk_size.count(), 64 * KiB);
        const double simulated = b.simulate(n, true);
        const double expected = pipelined_model_ns(b.system, kind, n, b.plan.chunk_size.count());
        fmt::print("{} {} {} KiB: simulated {:.1f} ns, model {:.1f} ns, x{:.4f}\n", model, kind,
                   n / KiB, simulated, expected, simulated / expected);
        EXPECT_NEAR(simulated / expected, 1.0, 0.05)
            << model << " " << kind << " " << n << " B: simulated " << simulated << " ns, model "
            << expected << " ns";
      }
}

}  // namespace
}  // namespace kernbench::ccl
