// Closed-form timing of transfers (label analytic): every expected time is computed here from the
// spec's parameters with base's rounding rule, never read from the model.
#include "kernbench/hw/transfer_engine.h"

#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "hw_test_support.h"

#include "kernbench/sim/process.h"

namespace kernbench::hw {
namespace {

using base::Bytes;
using base::SimTime;
using mem::MemoryId;
using testing::idle_transfer_time;
using testing::Machine;
using namespace base::literals;

// Runs one transfer from time 0 and returns when it finished.
SimTime time_one(Machine& m, const Route& r, Bytes size) {
  SimTime end;
  m.engine.spawn("mover", [&](sim::Process& p) {
    m.system.transfers().move(p, r, size);
    end = p.now();
  });
  m.engine.run();
  return end;
}

TEST(TransferAnalytic, OneChunkOnOneStagePaysLatencyPlusService) {
  Machine m;
  const Route r{{&m.system.fabric().memory_port(MemoryId::tcm({0, 0, 0}))}};
  const auto& tcm = m.system.spec().cube.pe.tcm;
  EXPECT_EQ(time_one(m, r, 1000_B), tcm.latency + base::transfer_time(1000_B, tcm.bandwidth));
}

TEST(TransferAnalytic, PipelinedAcrossTheMeshToThePicosecond) {
  Machine m;
  const Route r = m.system.fabric().route(Location::memory(MemoryId::hbm_slice({0, 15}, 0)),
                                          Location::memory(MemoryId::tcm({0, 0, 0})));
  ASSERT_EQ(r.hops(), 1 + 6 + 2);  // corner up, mesh, corner down and PE port
  const Bytes chunk = m.system.spec().cube.pe.dma.chunk_size;
  const std::uint64_t n = 256;
  EXPECT_EQ(time_one(m, r, chunk * n), idle_transfer_time(r, chunk, n));
}

TEST(TransferAnalytic, ClosedFormWithExplicitFigures) {
  // The same rule written out for one case from the spec: HBM slice -> PE port -> TCM on one
  // corner; the HBM slice (128 GB/s) is the slowest stage.
  Machine m;
  const auto& spec = m.system.spec();
  const Route r = m.system.fabric().route(Location::memory(MemoryId::hbm_slice({0, 0}, 0)),
                                          Location::memory(MemoryId::tcm({0, 0, 0})));
  ASSERT_EQ(r.stages.size(), 3u);
  const Bytes c = spec.cube.pe.dma.chunk_size;
  const SimTime hbm = base::transfer_time(c, spec.cube.hbm.slice_bandwidth);
  const SimTime port = base::transfer_time(c, spec.cube.intra_cube_link.bandwidth);
  const SimTime tcm = base::transfer_time(c, spec.cube.pe.tcm.bandwidth);
  ASSERT_GT(hbm, port);
  ASSERT_GT(hbm, tcm);
  const SimTime latencies =
      spec.cube.hbm.latency + spec.cube.intra_cube_link.latency + spec.cube.pe.tcm.latency;
  EXPECT_EQ(time_one(m, r, c * 100), latencies + 100 * hbm + port + tcm);
}

TEST(TransferAnalytic, LastPartialChunkAndEmptyTransfer) {
  Machine m;
  const Route r{{&m.system.fabric().memory_port(MemoryId::sram({0, 0}))}};
  const auto& sram = m.system.spec().cube.sram;
  const Bytes c = m.system.spec().cube.pe.dma.chunk_size;
  EXPECT_EQ(time_one(m, r, c * 3 + 100_B), sram.latency +
                                               3 * base::transfer_time(c, sram.bandwidth) +
                                               base::transfer_time(100_B, sram.bandwidth));
  Machine empty;
  const Route r2{{&empty.system.fabric().memory_port(MemoryId::sram({0, 0}))}};
  EXPECT_EQ(time_one(empty, r2, 0_B), sram.latency);
}

// Two equal flows through one mesh link (the bottleneck) each get half of it.
TEST(TransferAnalytic, TwoFlowsShareALinkHalfEach) {
  Machine m({"sip.cube_mesh.link.bandwidth=32 GB/s"});
  auto& f = m.system.fabric();
  // PEs 0 and 2 of cube 1 read from slices of cube 0: both flows cross cube 0's x+ link.
  const Route a = f.route(Location::memory(MemoryId::hbm_slice({0, 0}, 0)),
                          Location::memory(MemoryId::tcm({0, 1, 0})));
  const Route b = f.route(Location::memory(MemoryId::hbm_slice({0, 0}, 2)),
                          Location::memory(MemoryId::tcm({0, 1, 2})));
  const Bytes size = 16_MiB;
  SimTime end_a, end_b;
  m.engine.spawn("a", [&](sim::Process& p) {
    m.system.transfers().move(p, a, size);
    end_a = p.now();
  });
  m.engine.spawn("b", [&](sim::Process& p) {
    m.system.transfers().move(p, b, size);
    end_b = p.now();
  });
  m.engine.run();
  const double link_gbps = m.system.spec().sip.mesh_link.bandwidth.gb_per_second();
  for (SimTime end : {end_a, end_b}) {
    const double achieved_gbps = static_cast<double>(size.count()) / end.ns();
    EXPECT_NEAR(achieved_gbps / (link_gbps / 2), 1.0, 0.01);
  }
}

// k flows into one HBM slice are bounded by the slice's bandwidth.
TEST(TransferAnalytic, FlowsIntoOneSliceAreBoundedByIt) {
  Machine m;
  const auto& spec = m.system.spec();
  const int k = 4;
  const Bytes size = 4_MiB;
  SimTime last;
  for (int i = 0; i < k; ++i)
    m.engine.spawn("writer", [&, i](sim::Process& p) {
      const Route r = m.system.fabric().route(Location::memory(MemoryId::tcm({0, 0, i})),
                                              Location::memory(MemoryId::hbm_slice({0, 0}, 0)));
      m.system.transfers().move(p, r, size);
      last = std::max(last, p.now());
    });
  m.engine.run();
  const SimTime bound = base::transfer_time(size * k, spec.cube.hbm.slice_bandwidth);
  EXPECT_GE(last, bound);
  EXPECT_LT(last.ps(), bound.ps() * 101 / 100 + SimTime::from_ps(1'000'000).ps());
}

// A read that crosses the mesh costs more than a local one by exactly the added hops: their
// latencies and one more chunk service each (the pipeline fill).
TEST(TransferAnalytic, MeshReadsCostTheirHops) {
  Machine m;
  auto& f = m.system.fabric();
  const auto& spec = m.system.spec();
  const Bytes c = spec.cube.pe.dma.chunk_size;
  const std::uint64_t n = 64;
  const Location tcm = Location::memory(MemoryId::tcm({0, 0, 0}));
  const Route local = f.route(Location::memory(MemoryId::hbm_slice({0, 0}, 7)), tcm);
  const Route remote = f.route(Location::memory(MemoryId::hbm_slice({0, 5}, 7)), tcm);  // (1,1)
  const SimTime t_local = time_one(m, local, c * n);
  Machine m2;
  const SimTime t_remote = time_one(
      m2, m2.system.fabric().route(Location::memory(MemoryId::hbm_slice({0, 5}, 7)), tcm), c * n);
  const int extra_hops = remote.hops() - local.hops();
  ASSERT_EQ(extra_hops, 2);
  const auto& mesh = spec.sip.mesh_link;
  EXPECT_EQ(t_remote - t_local,
            extra_hops * (mesh.latency + base::transfer_time(c, mesh.bandwidth)));
}

// A transfer group's done runs when, and in the order among events, a callback counting its
// members down would: members of one chunk, a partial one, none, and two of more chunks than a
// window holds (one of them not the last), from two cubes into one TCM, beside another reader of
// that TCM that logs each of its transfers. The chunk model leaves out the finish events of the
// members done before the last that fit their window; the flow model runs each.
TEST(TransferGroup, DoneComesWhenAndWhereTheLastCountDownWould) {
  for (const char* model : {"chunks", "flows"}) {
    std::vector<std::pair<std::string, SimTime>> logs[2];
    std::uint64_t events[2] = {};
    for (const bool grouped : {false, true}) {
      Machine m({fmt::format("system.fabric_model={}", model)});
      auto& f = m.system.fabric();
      const Bytes c = m.system.spec().cube.pe.dma.chunk_size;
      const Location tcm = Location::memory(MemoryId::tcm({0, 0, 0}));
      const std::vector<std::pair<Route, Bytes>> members = {
          {f.route(Location::memory(MemoryId::hbm_slice({0, 0}, 0)), tcm), c},
          {f.route(Location::memory(MemoryId::hbm_slice({0, 5}, 3)), tcm), c / 2},
          {f.route(Location::memory(MemoryId::hbm_slice({0, 0}, 0)), tcm), 0_B},
          {f.route(Location::memory(MemoryId::hbm_slice({0, 0}, 1)), tcm), c * 100},
          {f.route(Location::memory(MemoryId::hbm_slice({0, 5}, 4)), tcm), c * 70},
          {f.route(Location::memory(MemoryId::hbm_slice({0, 5}, 3)), tcm), c},
          {f.route(Location::memory(MemoryId::hbm_slice({0, 0}, 0)), tcm), c}};
      const Route other = f.route(Location::memory(MemoryId::hbm_slice({0, 0}, 2)), tcm);
      struct Logged {
        std::vector<std::pair<std::string, SimTime>>* log;
        sim::Engine* engine;
        std::string name;
        static void run(void* self) {
          auto& l = *static_cast<Logged*>(self);
          l.log->emplace_back(l.name, l.engine->now());
        }
      };
      auto& log = logs[grouped];
      Logged done{&log, &m.engine, "group"};
      std::vector<Logged> others;
      for (int i = 0; i < 8; ++i) others.push_back({&log, &m.engine, fmt::format("other {}", i)});
      TransferGroup group{&Logged::run, &done, static_cast<std::uint32_t>(members.size()), nullptr};
      for (int i = 0; i < 8; ++i)
        m.system.transfers().start(other, c * (i % 3), &Logged::run, &others[i]);
      for (const auto& [route, size] : members) {
        if (grouped) {
          m.system.transfers().start_in_group(route, size, group);
        } else {
          m.system.transfers().start(route, size, &TransferGroup::count_down, &group);
        }
      }
      m.engine.run();
      events[grouped] = m.engine.events_processed();
      ASSERT_EQ(log.size(), 9u) << model;  // the others and the group
    }
    EXPECT_EQ(logs[0], logs[1]) << model;
    if (std::string(model) == "chunks") {
      // Not the five small members' finishes; the two past their window keep theirs.
      EXPECT_EQ(events[1], events[0] - 5);
    } else {
      EXPECT_EQ(events[1], events[0]);
    }
  }
}

}  // namespace
}  // namespace kernbench::hw
