// Contention pinned (issue 13), under both fabric models, with every expected figure derived from
// the spec's parameters (collective_models.h), never fitted: halving-doubling on a 4x4 mesh whose
// distance-2 steps put two streams on one link, two rings on the same links, four writers into
// one HBM slice.
#include <algorithm>
#include <cstdint>
#include <memory>
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
constexpr const char* kFabricModels[] = {"chunks", "flows"};

std::string model_key(const std::string& model) { return "system.fabric_model=" + model; }

// One PE per cube on a 4x4 mesh, TCM and the vector unit far faster than the links (every link
// 256 GB/s), 4 KiB DMA chunks (a 64 KiB ccl message is 16 of them).
topo::Overrides mesh_4x4(const std::string& model) {
  return {"sip.cube_mesh.w=4",
          "sip.cube_mesh.h=4",
          "system.sips.cubes_per_sip=16",
          "cube.pe_layout.corners=1",
          "cube.pe_layout.pe_per_corner=1",
          "cube.pe_template.components.pe_tcm.attrs.size_mb=256",
          "cube.pe_template.components.pe_tcm.attrs.bandwidth=100 TB/s",
          "cube.pe_template.components.pe_core.attrs.vector_lanes=4096",
          "cube.pe_template.components.pe_dma.attrs.chunk_size=4096",
          model_key(model)};
}

// Halving-doubling all-reduce of n per rank, ranks cube by cube on the 4x4 mesh (rank r at
// x = r % 4, y = r / 4). Its steps pair r with r ^ 8, r ^ 4, r ^ 2, r ^ 1: the partners at
// distance 2 (r ^ 8 in y, r ^ 2 in x) route over the link between them and the rank between, and
// so does the pair beside them (0 -> 2 and 1 -> 3 both cross 1 -> 2). The contention-free time
// is each step's alpha (its own route), its bytes at beta and (reduce-scatter) its reduction,
// steps one after another (each gated on the last); with two streams on a link those steps move
// their n/2 and n/8 at half the rate: (1 + 1/4 + 1/4 + 1/16) / (1/2 + 1/4 + 1/8 + 1/16) = 5/3 of
// the contention-free bandwidth time.
struct HalvingDoublingOnAMesh {
  double contention_free = 0, contended = 0;  // the models, ns

  // On the 4x4 mesh (`four_by_four`), or on a 2x2 mesh with 4 ranks (bits 1 and 0, both
  // neighbours).
  HalvingDoublingOnAMesh(hw::System& system, std::uint64_t n, std::uint64_t chunk,
                         bool four_by_four) {
    const auto pe = [](int r) { return topo::PeCoord{0, r, 0}; };
    // Reduce-scatter across the top bit down to bit 0 moves n/2, n/4 ...; the all-gather the same
    // bytes the other way round.
    const std::vector<int> bits =
        four_by_four ? std::vector<int>{3, 2, 1, 0} : std::vector<int>{1, 0};
    for (std::size_t i = 0; i < bits.size(); ++i) {
      const std::uint64_t bytes = n >> (i + 1);
      const int partner = 1 << bits[i];
      const models::Parameters e = models::route_parameters(
          system, pe(0), pe(partner), std::min(chunk, bytes), base::DType::f32);
      const double sharing = four_by_four && (bits[i] == 3 || bits[i] == 1) ? 2 : 1;
      const double b = static_cast<double>(bytes);
      const double rs = e.alpha_ns + e.delta_ns + b * e.gamma_ns, ag = e.alpha_ns;
      contention_free += rs + ag + 2 * b * e.beta_ns;
      contended += rs + ag + 2 * b * e.beta_ns * sharing;
    }
  }
};

// Simulated over the contention-free model on the 4x4 mesh (16 ranks, 5/3 expected) and, as a
// check of the model, on a 2x2 corner of it (4 ranks, every partner a neighbour: 1 expected).
void expect_halving_doubling_contention(const std::string& model, double tolerance_4x4) {
  constexpr std::uint64_t n = 16 * MiB;
  for (const int p : {4, 16}) {
    topo::Overrides machine = mesh_4x4(model);
    if (p == 4)
      for (const char* o :
           {"sip.cube_mesh.w=2", "sip.cube_mesh.h=2", "system.sips.cubes_per_sip=4"})
        machine.push_back(o);
    fidelity::Bench b(machine, fmt::format("algorithms: {{hd: {{kind: halving_doubling, "
                                           "world_size: {}, mapping: cube_major}}}}",
                                           p));
    const double simulated = b.simulate(n, true);
    const HalvingDoublingOnAMesh m(b.system, n, b.plan.chunk_size.count(), p == 16);
    const double expected = p == 16 ? 5.0 / 3.0 : 1.0;
    fmt::print(
        "{}: halving-doubling {} ranks, {} MiB: simulated {:.1f} ns, contention-free "
        "{:.1f} ns (x{:.4f}, expected {:.4f}), contended model {:.1f} ns (x{:.4f})\n",
        model, p, n / MiB, simulated, m.contention_free, simulated / m.contention_free, expected,
        m.contended, simulated / m.contended);
    EXPECT_NEAR(simulated / m.contention_free, expected,
                (p == 16 ? tolerance_4x4 : 0.02) * expected)
        << model << " " << p << " ranks";
  }
}

TEST(CollectiveContentionAnalytic, HalvingDoublingOnA4x4MeshTakesFiveThirdsUnderChunks) {
  expect_halving_doubling_contention("chunks", 0.02);
}

// Measured under flows (16 MiB): 1.6450x the contention-free model on the 4x4 mesh (chunks
// 1.6460x). Before a route passed its transfers in order it was 1.7563x (1.0865x on the 2x2
// reference): a rank's w = 4 messages in flight shared the route max-min fairly, landed together
// and freed their DMA channels together, so the route idled for a message's fixed cost every w
// messages.
TEST(CollectiveContentionAnalytic, HalvingDoublingOnA4x4MeshTakesFiveThirdsUnderFlows) {
  expect_halving_doubling_contention("flows", 0.02);
}

// Two 2-rank rings on the same two cubes (2x1 mesh, a PE at each of two corners; ring A on the
// PEs at corner 0, ring B at corner 1): both cross the one mesh link each way, the slowest stage
// (64 GB/s; PE ports 256 GB/s, TCM and vector unit far faster). Run together, each ring's streams
// get half the link: each all-reduce takes the ring model with twice the link's beta,
// (p-1)(2 alpha + delta) + 2(p-1)/p n (2 beta) + (p-1)/p n gamma, within 2%.
TEST(CollectiveContentionAnalytic, TwoRingsOnTheSameLinksEachGetHalfTheLink) {
  constexpr std::uint64_t n = 8 * MiB;
  for (const std::string model : kFabricModels) {
    sim::Engine engine;
    hw::System system(
        engine,
        topo::default_topology(
            {"sip.cube_mesh.w=2", "sip.cube_mesh.h=1", "system.sips.cubes_per_sip=2",
             "cube.pe_layout.corners=2", "cube.pe_layout.pe_per_corner=1",
             "sip.cube_mesh.link.bandwidth=64 GB/s",
             "cube.pe_template.components.pe_tcm.attrs.size_mb=64",
             "cube.pe_template.components.pe_tcm.attrs.bandwidth=100 TB/s",
             "cube.pe_template.components.pe_core.attrs.vector_lanes=4096", model_key(model)}));
    std::vector<InstallPlan> plans;
    for (const int pe : {0, 1})
      plans.push_back(fidelity::plan_entry(
          system.spec(),
          fmt::format("algorithms: {{ring{}: {{kind: ring, ranks: [[0,0,{}],[0,1,{}]]}}}}", pe, pe,
                      pe)));
    std::vector<fidelity::Buffers> buffers;
    std::vector<std::unique_ptr<Collective>> rings;
    for (const InstallPlan& plan : plans) {
      buffers.emplace_back(system, plan, n, true);
      rings.push_back(
          std::make_unique<Collective>(system, plan, buffers.back().data, buffers.back().scratch,
                                       CollectiveArgs{CollectiveOp::all_reduce, base::DType::f32,
                                                      base::CombineOp::sum, n / 4, 0, true}));
    }
    for (auto& r : rings) r->start([](void*) {}, nullptr);
    engine.run();
    const std::uint64_t message = std::min<std::uint64_t>(plans[0].chunk_size.count(), n / 2);
    models::Parameters e =
        models::route_parameters(system, {0, 0, 0}, {0, 1, 0}, message, base::DType::f32);
    const double alone = 2 * e.alpha_ns + e.delta_ns + n * e.beta_ns + n / 2.0 * e.gamma_ns;
    const double halved = alone + n * e.beta_ns;
    for (std::size_t i = 0; i < rings.size(); ++i) {
      const double simulated = (rings[i]->finished_at() - rings[i]->started_at()).ns();
      fmt::print(
          "{}: ring {} of 2 on one link, {} MiB: simulated {:.1f} ns, half-link model "
          "{:.1f} ns (x{:.4f}), alone model {:.1f} ns\n",
          model, i, n / MiB, simulated, halved, simulated / halved, alone);
      EXPECT_NEAR(simulated / halved, 1.0, 0.02) << model << " ring " << i;
    }
  }
}

// Four PEs of one cube write n each from their TCMs into the cube's one HBM slice at once; the
// slice's port (128 GB/s) is the slowest stage of every route. Served a chunk of each transfer in
// turn, the four finish within one DMA chunk's service at each writer's share of the port (4 x 32
// ns): round-robin serves their last chunks one after another, 3 services at the port's rate
// apart at most (shared max-min fairly, as flows, they finish together). Writers not all at one
// corner reach the port up to d later (the difference between their routes' fixed costs): until
// the last arrives the first has the port to itself and sends d's worth more, which the other
// three then make up one after another at the end, so the spread grows by up to 3d (a fair
// share's arithmetic, whichever model). The last finishes at 4n at the port's bandwidth (1%).
void expect_four_writers_finish_together(const std::string& model, int corners) {
  constexpr std::uint64_t n = 1 * MiB;
  sim::Engine engine;
  hw::System system(
      engine, topo::default_topology({"sip.cube_mesh.w=1", "sip.cube_mesh.h=1",
                                      "system.sips.cubes_per_sip=1",
                                      fmt::format("cube.pe_layout.corners={}", corners),
                                      fmt::format("cube.pe_layout.pe_per_corner={}", 4 / corners),
                                      "cube.memory_map.hbm_slices_per_cube=1", model_key(model)}));
  const auto slice = mem::MemoryId::hbm_slice({0, 0}, 0);
  const base::Bytes chunk = system.spec().cube.pe.dma.chunk_size;
  struct Writer {
    sim::Engine* engine;
    hw::Route route;
    base::SimTime done;
  };
  std::vector<Writer> writers;
  double fixed_min = 1e18, fixed_max = 0;
  for (int pe = 0; pe < 4; ++pe) {
    writers.push_back({&engine,
                       system.fabric().route(hw::Location::memory(mem::MemoryId::tcm({0, 0, pe})),
                                             hw::Location::memory(slice)),
                       {}});
    const double fixed = models::detail::fixed_ns(writers.back().route, chunk);
    fixed_min = std::min(fixed_min, fixed);
    fixed_max = std::max(fixed_max, fixed);
  }
  for (Writer& w : writers)
    system.transfers().start(
        w.route, base::Bytes(n),
        [](void* p) {
          auto& me = *static_cast<Writer*>(p);
          me.done = me.engine->now();
        },
        &w);
  engine.run();
  const auto [first, last] =
      std::minmax_element(writers.begin(), writers.end(),
                          [](const Writer& a, const Writer& b) { return a.done < b.done; });
  const double port_gbps = system.spec().cube.hbm.slice_bandwidth.gb_per_second();
  const double chunk_service = static_cast<double>(chunk.count()) / port_gbps;  // at the port
  const double round_robin = 3 * chunk_service;  // the last round, after the first's last chunk
  const double head_start = 3 * (fixed_max - fixed_min);
  const double all_bytes = 4.0 * n / port_gbps;
  const double spread = (last->done - first->done).ns();
  fmt::print(
      "{}: four writers at {} corner(s), {} MiB each into one HBM slice: first {:.1f} ns, "
      "last {:.1f} ns (spread {:.2f} ns; one chunk's service {:.2f} ns, routes' fixed costs "
      "{:.2f} .. {:.2f} ns; 4n at the port {:.1f} ns)\n",
      model, corners, n / MiB, first->done.ns(), last->done.ns(), spread, chunk_service, fixed_min,
      fixed_max, all_bytes);
  EXPECT_LE(spread, round_robin + head_start) << model << ", " << corners;
  EXPECT_NEAR(last->done.ns() / all_bytes, 1.0, 0.01) << model << ", " << corners;
}

TEST(CollectiveContentionAnalytic, FourWritersIntoOneHbmSliceFinishTogether) {
  // Measured at four corners, 1 MiB each: chunks 192 ns apart (the writer beside the slice sends
  // two chunks alone before the others' first arrive through the corner's link, then strict
  // round-robin: 3 x 32 ns of round plus 3 x 32 ns made up), flows 126 ns (3 x the routes' 42 ns).
  for (const std::string model : kFabricModels)
    for (int corners : {1, 4}) expect_four_writers_finish_together(model, corners);
}

}  // namespace
}  // namespace kernbench::ccl
