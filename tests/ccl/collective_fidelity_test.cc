// Fidelity of the collectives (issue 6 point 7): on machines built for the models -- every
// route of a level alike, no other traffic, memories far faster than links -- simulated times
// follow the cost models of docs/collectives.md, with alpha, beta, gamma and delta (a reduction's
// memory traffic) computed here and in collective_models.h from the spec's parameters (never
// fitted). Timing-only over 1 KiB .. 256 MiB
// and p = 2 .. 64; full-data runs of the smaller points give identical times.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "collective_models.h"
#include "fidelity_bench.h"

namespace kernbench::ccl {
namespace {

using base::Bytes;
using fidelity::entry;
using fidelity::KiB;
using fidelity::MiB;
using fidelity::model_machine;
using models::Parameters;

// The hierarchy's machine: `sips` SIPs on a ring, each a w x h cube mesh with q PEs at the one
// corner of every cube, as model_machine otherwise; the SIP links as fast and short as a mesh
// link (256 GB/s, 15 ns), so every link of the machine has the PE ports' bandwidth. DMA chunks of
// at most 16 KiB (a quarter of a ccl chunk), so a queue's 8 credits cover a message's round trip,
// as the models assume (they have no credit window): a 64 KiB message in one DMA chunk crosses
// the PE port, the link and the next PE port store-and-forward (3 x 256 ns), and its descriptor
// and returned credit (control traffic) may each wait behind a whole data chunk at every stage,
// about 2.3 us in all against the 8 x 256 ns of data the credits let through: the leaders' rings
// ran window-limited at 1.13-1.23x the model at 64 and 256 MiB (0.99 with 16 KiB chunks or 12
// credits).
struct Shape {
  int sips, w, h, q;
  int pes() const { return sips * w * h * q; }
};

topo::Overrides hierarchy_machine(std::uint64_t bytes, Shape s) {
  topo::Overrides o = model_machine(bytes);
  o.push_back(fmt::format("cube.pe_template.components.pe_dma.attrs.chunk_size={}",
                          std::clamp<std::uint64_t>(bytes / 1024, 256, 16 * KiB)));
  o.push_back(fmt::format("cube.pe_layout.pe_per_corner={}", s.q));
  o.push_back(fmt::format("sip.cube_mesh.w={}", s.w));
  o.push_back(fmt::format("sip.cube_mesh.h={}", s.h));
  o.push_back(fmt::format("system.sips.cubes_per_sip={}", s.w * s.h));
  o.push_back(fmt::format("system.sips.count={}", s.sips));
  o.push_back("system.inter_sip_link.bandwidth=256 GB/s");
  o.push_back("system.inter_sip_link.latency=15 ns");
  return o;
}

// The fidelity bench, with the tree or hierarchical model of an all-reduce (collective_models.h).
struct Bench : fidelity::Bench {
  using fidelity::Bench::Bench;
  double schedule_model_ns(std::uint64_t bytes) {
    return models::schedule_all_reduce_ns(system, plan, bytes, base::DType::f32);
  }
};

double bandwidth_terms(const Parameters& m, int p, double n) {
  return 2.0 * (p - 1) / p * n * m.beta_ns + 1.0 * (p - 1) / p * n * m.gamma_ns;
}

// The models: the literature's, each reduce-scatter step also paying a reduction's fixed cost
// delta, for halving-doubling and mesh_2d (mesh_2d's is the ring's on each of its rings in turn);
// for the ring, the chunk-pipelined ring (collective_models.h), which is the literature's while a
// rank's segment is one message and, once it is several, lets a step's first message go on while
// the rest of the segment follows it (docs/collectives.md).
double model_ns(const std::string& kind, const Bench& b, const Parameters& m, int p,
                std::uint64_t bytes) {
  const auto n = static_cast<double>(bytes);
  const auto steps = [&](double s) { return s * (2 * m.alpha_ns + m.delta_ns); };
  if (kind == "ring")
    return models::pipelined_ring_all_reduce_ns(m, p, bytes, b.plan.chunk_size.count(),
                                                b.system.spec().cube.pe.dma.channels);
  if (kind == "halving_doubling") return steps(std::log2(p)) + bandwidth_terms(m, p, n);
  int rows = 1;  // the mesh's default shape: rows the largest divisor of p not above sqrt(p)
  while ((rows + 1) * (rows + 1) <= p) ++rows;
  while (p % rows != 0) --rows;
  return steps(rows + p / rows - 2) + bandwidth_terms(m, p, n);
}

struct Point {
  int p;
  std::uint64_t bytes;
};

// Every size for small worlds, a few for large ones (a 256 MiB all-reduce over 64 ranks is about
// half a million messages).
std::vector<Point> grid() {
  std::vector<Point> g;
  for (int p : {2, 4, 8, 16})
    for (std::uint64_t n : {KiB, 16 * KiB, 256 * KiB, 4 * MiB, 64 * MiB}) g.push_back({p, n});
  g.push_back({2, 256 * MiB});
  for (std::uint64_t n : {KiB, 64 * KiB, 4 * MiB}) g.push_back({32, n});
  for (std::uint64_t n : {KiB, 64 * KiB, 4 * MiB, 256 * MiB}) g.push_back({64, n});
  return g;
}

// The flow model shares a channel continuously where the chunk model serves whole chunks one after
// another, so they agree within 5% on messages of at least 16 DMA chunks (docs/hardware-model.md:
// a ring of 1-chunk messages runs up to 25% slower under flows). A step's largest message is n/p
// on a ring or mesh and n/2 in halving-doubling's first step, at most the entries' default ccl
// chunk of 64 KiB; model_machine's DMA chunk is cut to a sixteenth of it (not below 64 bytes, where
// the DMA window of chunks_in_flight chunks would hold back a halving-doubling's first step).
std::string sixteen_chunks_a_message(const std::string& kind, const Point& pt) {
  const std::uint64_t parts = kind == "halving_doubling" ? 2 : static_cast<std::uint64_t>(pt.p);
  const std::uint64_t message = std::min<std::uint64_t>(64 * KiB, pt.bytes / parts);
  const std::uint64_t chunk = std::clamp<std::uint64_t>(pt.bytes / 1024, 256, 64 * KiB);
  return fmt::format("cube.pe_template.components.pe_dma.attrs.chunk_size={}",
                     std::min(chunk, std::max<std::uint64_t>(64, message / 16)));
}

// Simulated all-reduce / its model over the grid, for each algorithm, on the model machine under a
// fabric model: within 5%.
void expect_alpha_beta(std::string_view fabric_model) {
  for (const std::string kind : {"ring", "halving_doubling", "mesh_2d"})
    for (const Point& pt : grid()) {
      topo::Overrides machine = model_machine(pt.bytes);
      machine.push_back(fmt::format("system.fabric_model={}", fabric_model));
      if (fabric_model == "flows") machine.push_back(sixteen_chunks_a_message(kind, pt));
      Bench b(machine, entry(kind, pt.p));
      const double simulated = b.simulate(pt.bytes, true);
      // A ring step's segment (n/p, at most one chunk) sets the DMA fill in alpha.
      const std::uint64_t message = std::max<std::uint64_t>(
          4, std::min<std::uint64_t>(b.plan.chunk_size.count(),
                                     pt.bytes / static_cast<std::uint64_t>(pt.p)));
      const Parameters m =
          models::route_parameters(b.system, {0, 0, 0}, {0, 0, 1}, message, base::DType::f32);
      const double model = model_ns(kind, b, m, pt.p, pt.bytes);
      EXPECT_NEAR(simulated / model, 1.0, 0.05)
          << fabric_model << ": " << kind << " p " << pt.p << " bytes " << pt.bytes
          << ": simulated " << simulated << " ns, model " << model << " ns";
    }
}

// Ring, halving-doubling and 2-D mesh all-reduce within 5% of their models over 1 KiB .. 256 MiB
// and p = 2 .. 64 (measured with a route's transfers passing it in order: ring 0.968 .. 1.019,
// halving-doubling 0.992 .. 1.029, mesh 0.972 .. 1.026).
TEST(CollectiveFidelityAnalytic, AllReduceFollowsTheAlphaBetaModels) {
  expect_alpha_beta("chunks");
}

// The same models under the flow model of the fabric (docs/hardware-model.md), measured: ring
// 0.964 .. 1.025, halving-doubling 0.991 .. 1.017, mesh 0.971 .. 1.049. (The ring at p = 32 and
// 4 MiB, two ccl chunks a segment, ran 0.92x the literature's one-message-a-step model under both
// fabric models; the pipelined ring model counts the steps' overlap: 0.990.)
TEST(CollectiveFidelityAnalytic, AllReduceFollowsTheAlphaBetaModelsUnderFlows) {
  expect_alpha_beta("flows");
}

// Full-data runs take exactly the timing-only times (up to 4 MiB, p <= 16).
TEST(CollectiveFidelityAnalytic, FullDataTakesTheTimingOnlyTimes) {
  for (const std::string kind : {"ring", "halving_doubling", "mesh_2d"})
    for (int p : {2, 8, 16})
      for (std::uint64_t n : {KiB, 64 * KiB, 4 * MiB})
        EXPECT_EQ(Bench(model_machine(n), entry(kind, p)).simulate(n, false),
                  Bench(model_machine(n), entry(kind, p)).simulate(n, true))
            << kind << " p " << p << " bytes " << n;
}

// The sizes the tree and hierarchical tests run: two per decade; 256 MiB up to 8 ranks.
std::vector<std::uint64_t> sizes(int p) {
  std::vector<std::uint64_t> s{KiB, 16 * KiB, 256 * KiB, 4 * MiB, 64 * MiB};
  if (p <= 8) s.push_back(256 * MiB);
  return s;
}

// The binary tree's all-reduce (reduce up, broadcast down) within 5% of its model
// (docs/collectives.md: the first groups' way up and the last group's way down over the heap
// tree's levels, the bytes between at the busiest port's pace) over 1 KiB .. 256 MiB and p = 2 ..
// 64, complete trees (3, 7) and trees with one rank on their last level (2, 4, 8, 16, 64).
// Measured 0.988 .. 1.016 (0.984 .. 1.011 while a rank's messages to its children shared its
// port and landed together; 0.971 .. 1.028 before a route's transfers passed it in order).
TEST(CollectiveFidelityAnalytic, TreeAllReduceFollowsItsModel) {
  for (const int p : {2, 3, 4, 7, 8, 16, 64})
    for (const std::uint64_t n : sizes(p)) {
      Bench b(model_machine(n), entry("tree", p));
      const double simulated = b.simulate(n, true), model = b.schedule_model_ns(n);
      EXPECT_NEAR(simulated / model, 1.0, 0.05)
          << "tree p " << p << " bytes " << n << ": simulated " << simulated << " ns, model "
          << model << " ns";
    }
}

void expect_hierarchy_follows_its_model(const std::vector<Shape>& shapes) {
  for (const Shape& s : shapes)
    for (const std::uint64_t n : sizes(s.pes())) {
      Bench b(hierarchy_machine(n, s), entry("hierarchical", s.pes()));
      const double simulated = b.simulate(n, true), model = b.schedule_model_ns(n);
      EXPECT_NEAR(simulated / model, 1.0, 0.05)
          << "hierarchical on " << s.sips << " SIP(s) of " << s.w << "x" << s.h << " cubes of "
          << s.q << " PEs, bytes " << n << ": simulated " << simulated << " ns, model " << model
          << " ns";
    }
}

// Hierarchical all-reduce on one SIP's cube mesh: trees over the cube rings up to the cube
// leaders, the leaders' ring (one mesh link a step) as the chunk-pipelined ring model, the trees
// back down; within 5% of the model, p = 2 .. 64. Measured 0.992 .. 1.016 (16 PEs on one corner at
// 256 KiB, whose cube rings' streams shared their PE ports and overlapped the phases, ran 0.954
// before a route's transfers passed it in order; 1.008 now).
TEST(CollectiveFidelityAnalytic, HierarchicalAllReduceFollowsItsModelOnACubeMesh) {
  expect_hierarchy_follows_its_model(
      {{1, 2, 1, 1}, {1, 2, 2, 1}, {1, 2, 2, 4}, {1, 2, 2, 16}, {1, 4, 2, 1}, {1, 4, 2, 8}});
}

// Hierarchical all-reduce across SIPs: trees over the cube rings and over each SIP's mesh ring
// up to the SIP leaders, their ring, the trees back down. Measured 0.991 .. 1.016.
TEST(CollectiveFidelityAnalytic, HierarchicalAllReduceFollowsItsModelAcrossSips) {
  expect_hierarchy_follows_its_model(
      {{4, 1, 1, 1}, {2, 2, 1, 2}, {2, 2, 1, 4}, {4, 1, 1, 8}, {4, 2, 1, 8}});
}

// Full-data tree and hierarchical all-reduces take exactly the timing-only times (up to 4 MiB,
// p <= 16).
TEST(CollectiveFidelityAnalytic, TreeAndHierarchyFullDataTakeTheTimingOnlyTimes) {
  for (const std::uint64_t n : {KiB, 16 * KiB, 256 * KiB, 4 * MiB}) {
    for (const int p : {2, 3, 4, 7, 8, 16})
      EXPECT_EQ(Bench(model_machine(n), entry("tree", p)).simulate(n, false),
                Bench(model_machine(n), entry("tree", p)).simulate(n, true))
          << "tree p " << p << " bytes " << n;
    for (const Shape s : {Shape{1, 2, 2, 4}, Shape{1, 4, 2, 1}, Shape{2, 2, 1, 4}})
      EXPECT_EQ(Bench(hierarchy_machine(n, s), entry("hierarchical", s.pes())).simulate(n, false),
                Bench(hierarchy_machine(n, s), entry("hierarchical", s.pes())).simulate(n, true))
          << "hierarchical p " << s.pes() << " bytes " << n;
  }
}

}  // namespace
}  // namespace kernbench::ccl
