// The schedule executor on random floats: every kind's all-reduce and reduce-scatter stay within a
// per-dtype tolerance of an f64 reference (the order of the additions differs by algorithm), and
// schedules keep their structure (ops, phases, gating).
#include "kernbench/ccl/schedule_collective.h"

#include <cmath>
#include <cstring>
#include <random>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "kernbench/base/error.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/algorithm_schedules.h"
#include "kernbench/ccl/collective.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::ccl {
namespace {

double decode(base::DType dtype, const std::byte* at) {
  switch (dtype) {
    case base::DType::f16: {
      std::uint16_t b;
      std::memcpy(&b, at, 2);
      return base::f16_bits_to_f32(b);
    }
    case base::DType::bf16: {
      std::uint16_t b;
      std::memcpy(&b, at, 2);
      return base::bf16_bits_to_f32(b);
    }
    case base::DType::f32: {
      float f;
      std::memcpy(&f, at, 4);
      return f;
    }
    default: {
      double d;
      std::memcpy(&d, at, 8);
      return d;
    }
  }
}

void encode(base::DType dtype, double v, std::byte* at) {
  const auto f = static_cast<float>(v);
  switch (dtype) {
    case base::DType::f16: {
      const std::uint16_t b = base::f32_to_f16_bits(f);
      return static_cast<void>(std::memcpy(at, &b, 2));
    }
    case base::DType::bf16: {
      const std::uint16_t b = base::f32_to_bf16_bits(f);
      return static_cast<void>(std::memcpy(at, &b, 2));
    }
    case base::DType::f32: return static_cast<void>(std::memcpy(at, &f, 4));
    default: return static_cast<void>(std::memcpy(at, &v, 8));
  }
}

// Unit roundoff of each float type.
double epsilon(base::DType dtype) {
  switch (dtype) {
    case base::DType::f16: return std::ldexp(1.0, -11);
    case base::DType::bf16: return std::ldexp(1.0, -8);
    case base::DType::f32: return std::ldexp(1.0, -24);
    default: return std::ldexp(1.0, -53);
  }
}

// A sum of p terms, each rounded once per addition, is off the exact sum by at most about
// (p-1)·u·sum|x| (plus the rounding of the inputs themselves, which the reference sees too).
TEST(ScheduleCollective, RandomFloatsWithinTheDtypesTolerance) {
  const auto spec = topo::default_topology();
  const auto registry = default_algorithm_registry();
  std::mt19937_64 rng(20261126);
  std::uniform_real_distribution<double> value(-100.0, 100.0);
  for (const std::string kind : {"ring", "tree", "mesh_2d", "halving_doubling", "hierarchical"})
    for (const base::DType dtype :
         {base::DType::f16, base::DType::bf16, base::DType::f32, base::DType::f64})
      for (const CollectiveOp op : {CollectiveOp::all_reduce, CollectiveOp::reduce_scatter}) {
        const auto config = load_ccl_text(
            fmt::format("algorithms: {{a: {{kind: {}, world_size: 8, chunk_size: 512, mapping: "
                        "cube_major}}}}",
                        kind),
            "t.yaml", registry.kinds());
        sim::Engine engine;
        hw::System system(engine, spec);
        const InstallPlan plan = registry.plan(config.entries.front(), spec);
        const std::uint64_t count = 999;
        const auto esize = base::size_bytes(dtype);
        std::vector<double> exact(count, 0.0), magnitude(count, 0.0);
        std::vector<mem::PhysAddr> data, scratch;
        for (const topo::PeCoord pe : plan.ranks) {
          std::vector<std::byte> bytes(count * esize);
          for (std::uint64_t i = 0; i < count; ++i) {
            encode(dtype, value(rng), bytes.data() + i * esize);
            const double x = decode(dtype, bytes.data() + i * esize);  // as stored
            exact[i] += x;
            magnitude[i] += std::abs(x);
          }
          data.push_back(system.allocator().allocate_hbm(pe, base::Bytes(count * esize)));
          scratch.push_back(Collective::allocate_scratch(system, plan, pe));
          system.bytes().write(data.back(), bytes);
        }
        Collective c(system, plan, data, scratch,
                     {op, dtype, base::CombineOp::sum, count, 0, false});
        c.start([](void*) {}, nullptr);
        engine.run();
        const double tolerance = 8 * epsilon(dtype);  // (p-1)·u, and one more for the result
        for (int r = 0; r < 8; ++r) {
          std::vector<std::byte> got(count * esize);
          system.bytes().read(data[static_cast<std::size_t>(r)], got);
          const std::uint64_t begin = op == CollectiveOp::reduce_scatter ? count * r / 8 : 0;
          const std::uint64_t end =
              op == CollectiveOp::reduce_scatter ? count * (r + 1) / 8 : count;
          for (std::uint64_t i = begin; i < end; ++i)
            ASSERT_NEAR(decode(dtype, got.data() + i * esize), exact[i],
                        tolerance * magnitude[i] + 1e-12)
                << kind << " " << base::name(dtype) << " " << name(op) << " rank " << r << " i "
                << i;
        }
      }
}

TEST(ScheduleCollective, HalvingDoublingIsGatedStepByStep) {
  const auto spec = topo::default_topology();
  const auto registry = default_algorithm_registry();
  const auto config = load_ccl_text("algorithms: {a: {kind: halving_doubling, world_size: 8}}",
                                    "t.yaml", registry.kinds());
  const Schedule s =
      make_schedule(registry.plan(config.entries.front(), spec), CollectiveOp::all_reduce, 800, 0);
  ASSERT_EQ(s.ops.size(), 8u * 6);  // 3 steps each way, one stream per rank and step
  for (const ScheduleOp& op : s.ops) {
    EXPECT_TRUE(op.gated);
    EXPECT_EQ(op.phase, op.step);  // each exchange is a phase of its own
  }
  // Step 0 of rank 0: across bit 2 to rank 4, the upper half (segments 4..7), reduced.
  EXPECT_EQ(s.ops[0].to, 4);
  EXPECT_EQ(s.ops[0].src, 400u);
  EXPECT_EQ(s.ops[0].count, 400u);
  EXPECT_TRUE(s.ops[0].reduce);
}

TEST(ScheduleCollective, AllToAllIsOutOfPlaceAndNeedsWholeParts) {
  const auto spec = topo::default_topology();
  const auto registry = default_algorithm_registry();
  const auto config =
      load_ccl_text("algorithms: {a: {kind: tree, world_size: 3}}", "t.yaml", registry.kinds());
  const InstallPlan plan = registry.plan(config.entries.front(), spec);
  const Schedule s = make_schedule(plan, CollectiveOp::all_to_all, 30, 0);
  EXPECT_FALSE(s.in_place);
  EXPECT_EQ(s.ops.size(), 9u);  // 3 local copies and 6 exchanges
  sim::Engine engine;
  hw::System system(engine, spec);
  const std::vector<mem::PhysAddr> none(3);
  try {
    Collective c(system, plan, none, none,
                 {CollectiveOp::all_to_all, base::DType::f32, base::CombineOp::sum, 31, 0, true});
    FAIL() << "no error";
  } catch (const base::ShapeError& e) {
    EXPECT_STREQ(e.what(),
                 "all_to_all on 'a': 31 elements per rank do not split into 3 equal parts");
  }
  EXPECT_THROW(
      {
        Collective c(
            system, plan, none, none,
            {CollectiveOp::broadcast, base::DType::f32, base::CombineOp::sum, 30, 3, true});
      },
      base::ShapeError);
}

// Every schedule makes its chunks as they leave, not ahead: a rank's queue to a neighbour holds at
// most a credit's worth of chunks handed to the IPCQ and a credit's worth received, so the chunks
// on their way at once stay within 2 x depth per neighbour whatever the message size.
TEST(ScheduleCollective, ChunksAreMadeAsTheyLeave) {
  const auto spec = topo::default_topology();
  const auto registry = default_algorithm_registry();
  for (const std::string entry : {"{kind: hierarchical}", "{kind: tree, fanout: 3}",
                                  "{kind: mesh_2d}", "{kind: halving_doubling, world_size: 64}"}) {
    const auto config = load_ccl_text("algorithms: {a: " + entry + "}", "t.yaml", registry.kinds());
    const InstallPlan plan = registry.plan(config.entries.front(), spec);
    const std::uint64_t count = plan.chunk_size.count() / 4 * 64;  // 64 chunks of f32 per rank
    sim::Engine engine;
    hw::System system(engine, spec);
    std::vector<mem::PhysAddr> data, scratch;
    std::size_t neighbours = 0;
    for (std::size_t r = 0; r < plan.ranks.size(); ++r) {
      data.push_back(system.allocator().allocate_hbm(plan.ranks[r], base::Bytes(count * 4)));
      scratch.push_back(Collective::allocate_scratch(system, plan, plan.ranks[r]));
      neighbours += plan.tables[r].size();
    }
    ScheduleCollective c(system, plan, make_schedule(plan, CollectiveOp::all_reduce, count, 0),
                         data, scratch, {base::DType::f32, base::CombineOp::sum, true});
    c.start([](void*) {}, nullptr);
    engine.run();
    EXPECT_GT(c.finished_at(), base::SimTime::zero()) << entry;
    EXPECT_GE(c.messages(), 64u * plan.ranks.size()) << entry;
    EXPECT_LE(c.most_in_flight(),
              2 * neighbours * static_cast<std::size_t>(spec.cube.pe.ipcq.depth))
        << entry << ": " << c.messages() << " messages";
  }
}

// A kind the schedules do not know is an error naming it, not a tree (broadcast, reduce and
// all_to_all work on any plan's tables).
TEST(ScheduleCollective, AKindWithoutAScheduleIsAnError) {
  const auto spec = topo::default_topology();
  const auto registry = default_algorithm_registry();
  const auto config =
      load_ccl_text("algorithms: {a: {kind: ring, world_size: 4}}", "t.yaml", registry.kinds());
  InstallPlan plan = registry.plan(config.entries.front(), spec);
  plan.kind = "bidirectional_ring";
  try {
    make_schedule(plan, CollectiveOp::all_reduce, 400, 0);
    FAIL() << "no error";
  } catch (const base::NotFoundError& e) {
    EXPECT_STREQ(e.what(),
                 "all_reduce on 'a': kind 'bidirectional_ring' has no schedule for it (kinds "
                 "with one: ring, tree, mesh_2d, halving_doubling, hierarchical, msccl)");
  }
  EXPECT_EQ(make_schedule(plan, CollectiveOp::broadcast, 400, 0).ops.size(), 3u);
}

}  // namespace
}  // namespace kernbench::ccl
