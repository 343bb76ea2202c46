// Credit-based flow control, traffic classes and fair sharing (label analytic): finite buffers
// back-pressure a stream, control traffic passes data, the SIP ring's dateline keeps finite
// buffers from deadlocking, and the flow model's incremental max-min solution equals progressive
// filling computed here from scratch.
#include <algorithm>
#include <map>
#include <random>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "hw_test_support.h"

#include "kernbench/base/error.h"
#include "kernbench/hw/flow_model.h"
#include "kernbench/hw/transfer_engine.h"
#include "kernbench/sim/process.h"

namespace kernbench::hw {
namespace {

using base::Bytes;
using base::SimTime;
using mem::MemoryId;
using testing::idle_transfer_time;
using testing::Machine;
using namespace base::literals;

struct Timed {
  Route route;
  Bytes size;
  SimTime start;
  TrafficClass traffic = TrafficClass::data;
};

std::vector<SimTime> run_all(Machine& m, const std::vector<Timed>& transfers) {
  std::vector<SimTime> ends(transfers.size());
  for (std::size_t i = 0; i < transfers.size(); ++i)
    m.engine.spawn("mover", [&, i](sim::Process& p) {
      p.wait_until(transfers[i].start);
      m.system.transfers().move(p, transfers[i].route, transfers[i].size, transfers[i].traffic);
      ends[i] = p.now();
    });
  m.engine.run();
  return ends;
}

Route hbm_to_next_cube(Machine& m) {
  return m.system.fabric().route(Location::memory(MemoryId::hbm_slice({0, 0}, 0)),
                                 Location::memory(MemoryId::tcm({0, 1, 0})));
}

TEST(FlowControl, DefaultBuffersCoverTheCreditRoundTrip) {
  // 1 + ceil(2 x latency / service) chunks: a 15 ns mesh hop at 256 GB/s serves a 4 KiB chunk in
  // 16 ns, so 1 + ceil(30 / 16) = 3 chunks.
  EXPECT_EQ(link_buffer(base::Bandwidth::bytes_per_second(256'000'000'000), 15_ns, 4_KiB), 12_KiB);
  Machine m;
  for (const auto& c : m.system.fabric().channels()) {
    if (c->kind() == ChannelKind::memory) {
      // A memory port's reads wait in the DMA windows of the engines that asked for them.
      EXPECT_GE(c->buffer(), 1_GiB) << c->track();
    } else {
      EXPECT_EQ(c->buffer(), link_buffer(c->bandwidth(), c->latency(), 4_KiB)) << c->track();
    }
  }
}

// A mesh buffer of one chunk: a chunk's credit comes back only after the next stage has started
// it and the credit has crossed the link back, so the link sends one chunk per service + 2 x
// latency (16 + 30 ns) instead of one per 32 ns (the HBM slice's pace). Both models see it.
TEST(FlowControl, ASmallBufferLimitsAStreamToItsWindow) {
  for (const char* model : {"chunks", "flows"}) {
    Machine m({"sip.cube_mesh.link.buffer=4096", fmt::format("system.fabric_model={}", model)});
    const Route r = hbm_to_next_cube(m);
    const std::uint64_t n = 512;
    const SimTime end = run_all(m, {{r, 4_KiB * n, SimTime::zero()}})[0];
    const auto& mesh = m.system.spec().sip.mesh_link;
    const SimTime per_chunk = base::transfer_time(4_KiB, mesh.bandwidth) + mesh.latency * 2;
    EXPECT_NEAR(static_cast<double>(end.ps()) / static_cast<double>((per_chunk * n).ps()), 1.0,
                0.01)
        << model;
    // With the default buffer the slice sets the pace again.
    Machine free({fmt::format("system.fabric_model={}", model)});
    EXPECT_EQ(run_all(free, {{hbm_to_next_cube(free), 4_KiB * n, SimTime::zero()}})[0],
              idle_transfer_time(hbm_to_next_cube(free), 4_KiB, n))
        << model;
  }
}

// A DMA channel keeps at most chunks_in_flight chunks sent and not landed: with 2 over a route
// whose chunk trip is much longer than two services, the stream runs at 2 chunks per trip.
// A buffer limits only the stages that hand chunks on: a PE port of one slow-credit chunk is the
// last stage of a read into the PE (it delivers, no credit) and runs at its bandwidth, but holds a
// write from the PE to one chunk per service + 2 x latency. Both models see the same.
TEST(FlowControl, ABufferLimitsOnlyTheStagesThatHandChunksOn) {
  for (const char* model : {"chunks", "flows"}) {
    Machine m({"cube.intra_cube_link.buffer=4096", "cube.intra_cube_link.latency=200 ns",
               fmt::format("system.fabric_model={}", model)});
    const Location slice = Location::memory(MemoryId::hbm_slice({0, 0}, 0));
    const Location pe = Location::pe({0, 0, 0});
    const Route read = m.system.fabric().route(slice, pe);
    const Route write = m.system.fabric().route(pe, slice);
    ASSERT_EQ(read.stages.back()->kind(), ChannelKind::pe_port) << model;
    ASSERT_EQ(write.stages.front()->kind(), ChannelKind::pe_port) << model;
    const std::uint64_t n = 256;
    EXPECT_EQ(run_all(m, {{read, 4_KiB * n, SimTime::zero()}})[0],
              idle_transfer_time(read, 4_KiB, n))
        << model;
    Machine w({"cube.intra_cube_link.buffer=4096", "cube.intra_cube_link.latency=200 ns",
               fmt::format("system.fabric_model={}", model)});
    const Channel& port = *write.stages.front();
    const SimTime per_chunk = base::transfer_time(4_KiB, port.bandwidth()) + port.latency() * 2;
    const SimTime end =
        run_all(w, {{w.system.fabric().route(pe, slice), 4_KiB * n, SimTime::zero()}})[0];
    EXPECT_NEAR(static_cast<double>(end.ps()) / static_cast<double>((per_chunk * n).ps()), 1.0,
                0.01)
        << model;
  }
}

TEST(FlowControl, ChunksInFlightLimitAStream) {
  for (const char* model : {"chunks", "flows"}) {
    Machine m({"cube.pe_template.components.pe_dma.attrs.chunks_in_flight=2",
               "sip.cube_mesh.link.latency=500 ns", fmt::format("system.fabric_model={}", model)});
    const Route r = hbm_to_next_cube(m);
    const std::uint64_t n = 256;
    const SimTime end = run_all(m, {{r, 4_KiB * n, SimTime::zero()}})[0];
    const SimTime trip = idle_transfer_time(r, 4_KiB, 1);
    EXPECT_NEAR(static_cast<double>(end.ps()) / static_cast<double>((trip * (n / 2)).ps()), 1.0,
                0.02)
        << model;
  }
}

// A transfer of a few windows on an idle route: each window leaves at the route's pace once the
// credits of the one before are back, so k windows take k - 1 chunk trips and the last window's
// bytes. The flow model charges the same (one rate over the transfer), not a trip for the first
// window too.
TEST(FlowControl, AFewWindowsTakeATripEachButTheFirst) {
  for (const std::uint64_t chunks : {3u, 4u, 5u, 8u}) {  // windows of 2 chunks
    std::map<std::string, SimTime> ends;
    for (const char* model : {"chunks", "flows"}) {
      Machine m({"cube.pe_template.components.pe_dma.attrs.chunks_in_flight=2",
                 "sip.cube_mesh.link.latency=500 ns",
                 fmt::format("system.fabric_model={}", model)});
      const Route r = hbm_to_next_cube(m);
      ends[model] = run_all(m, {{r, 4_KiB * chunks, SimTime::zero()}})[0];
      const SimTime trip = idle_transfer_time(r, 4_KiB, 1);
      const std::uint64_t windows = (chunks + 1) / 2;
      EXPECT_GE(ends[model], trip * (windows - 1) + idle_transfer_time(r, 4_KiB, 2 - chunks % 2))
          << model << ", " << chunks << " chunks";
      EXPECT_LE(ends[model], trip * windows + r.stages.front()->service_time(4_KiB))
          << model << ", " << chunks << " chunks";
    }
    EXPECT_NEAR(static_cast<double>(ends["flows"].ps()) / static_cast<double>(ends["chunks"].ps()),
                1.0, 0.01)
        << chunks << " chunks";
  }
}

// A 64-byte control message sent while megabytes of data cross the same links waits at most one
// data chunk's service per stage (the chunk in service is not interrupted).
TEST(FlowControl, ControlTrafficPassesData) {
  for (const char* model : {"chunks", "flows"}) {
    Machine m({fmt::format("system.fabric_model={}", model)});
    auto& f = m.system.fabric();
    const Route data = hbm_to_next_cube(m);
    const Route control = f.route(Location::pe({0, 0, 0}), Location::pe({0, 1, 0}));
    const SimTime at = 20_us;
    const auto ends =
        run_all(m, {{data, 16_MiB, SimTime::zero()}, {control, 64_B, at, TrafficClass::control}});
    SimTime waits;
    for (const Channel* c : control.stages) waits += base::transfer_time(4_KiB, c->bandwidth());
    EXPECT_LE(ends[1] - at, idle_transfer_time(control, 64_B, 1) + waits) << model;
    EXPECT_GE(ends[1] - at, idle_transfer_time(control, 64_B, 1)) << model;
  }
}

// All-to-all between the SIPs of a 4-SIP ring with buffers of one chunk on every link: routes of
// two ring hops chase each other round the ring, which would deadlock without the dateline's
// second virtual channel. Every transfer completes, under the link-load bound's time at least.
TEST(FlowControl, TheRingDatelineKeepsSmallBuffersFromDeadlocking) {
  Machine m({"system.sips.count=4", "sip.cube_mesh.w=1", "sip.cube_mesh.h=1",
             "system.sips.cubes_per_sip=1", "system.inter_sip_link.buffer=4096",
             "sip.cube_mesh.link.buffer=4096", "cube.intra_cube_link.buffer=4096",
             "system.host_link.buffer=4096"});
  std::vector<Timed> all;
  for (int a = 0; a < 4; ++a)
    for (int b = 0; b < 4; ++b)
      if (a != b)
        for (int pe = 0; pe < 4; ++pe)
          all.push_back({m.system.fabric().route(Location::memory(MemoryId::tcm({a, 0, pe})),
                                                 Location::memory(MemoryId::tcm({b, 0, pe}))),
                         1_MiB, SimTime::zero()});
  const auto ends = run_all(m, all);
  // Ring links carry 4 PEs x (1 + 2 of the distance-2 pairs going this way) MiB each way.
  const SimTime least =
      base::transfer_time(1_MiB * 4 * 2, m.system.spec().system.inter_sip_link.bandwidth);
  EXPECT_GE(*std::max_element(ends.begin(), ends.end()), least);
  EXPECT_EQ(m.system.transfers().describe_stall(), "");
}

// Should buffers ever stall (here a buffer smaller than a chunk, which the topology loader
// refuses), the deadlock names the channel that waits for room.
TEST(FlowControl, AStallNamesTheChannelsWaitingForRoom) {
  topo::TopologySpec spec = topo::default_topology();
  spec.sip.mesh_link.buffer = 1_KiB;
  sim::Engine engine;
  System system(engine, spec);
  engine.spawn("mover", [&](sim::Process& p) {
    system.transfers().move(p,
                            system.fabric().route(Location::memory(MemoryId::hbm_slice({0, 0}, 0)),
                                                  Location::memory(MemoryId::tcm({0, 1, 0}))),
                            64_KiB);
  });
  try {
    engine.run();
    FAIL() << "expected a deadlock";
  } catch (const base::DeadlockError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("1 transfer(s) unfinished"), std::string::npos) << what;
    EXPECT_NE(what.find("sip0/cube0/mesh.x+ waits for room in its data buffer (virtual channel 0)"),
              std::string::npos)
        << what;
  }
}

// Max-min, not equal shares: a flow held to 64 GB/s by a slice it shares leaves the rest of the
// mesh link to the other flow crossing it (192 GB/s, where equal shares would give it 128).
TEST(FlowControl, AFlowLimitedElsewhereLeavesItsShare) {
  Machine m({"system.fabric_model=flows"});
  auto& f = m.system.fabric();
  const Location slice = Location::memory(MemoryId::hbm_slice({0, 0}, 0));
  const Route a = f.route(slice, Location::memory(MemoryId::tcm({0, 1, 0})));
  const Route a2 = f.route(slice, Location::memory(MemoryId::tcm({0, 0, 1})));
  const Route b =
      f.route(Location::memory(MemoryId::sram({0, 0})), Location::memory(MemoryId::tcm({0, 1, 2})));
  const Channel* mesh = nullptr;
  for (const Channel* c : a.stages)
    if (c->kind() == ChannelKind::mesh_link) mesh = c;
  ASSERT_NE(mesh, nullptr);
  std::vector<double> rates;
  m.engine.spawn("sample", [&](sim::Process& p) {
    p.wait_until(1_us);
    rates = dynamic_cast<const FlowModel&>(m.system.transfers().timing()).rates_at(*mesh);
  });
  run_all(
      m,
      {{a, 16_MiB, SimTime::zero()}, {a2, 16_MiB, SimTime::zero()}, {b, 16_MiB, SimTime::zero()}});
  ASSERT_EQ(rates.size(), 2u);
  EXPECT_NEAR(rates[0], 0.064, 1e-9);  // bytes per picosecond
  EXPECT_NEAR(rates[1], 0.192, 1e-9);
}

// Progressive filling from scratch: raise every unfrozen flow's rate together until a channel
// (or a flow's own cap) saturates, freeze the flows there, repeat.
std::vector<double> progressive_filling(const std::vector<std::vector<int>>& routes,
                                        const std::vector<double>& caps,
                                        std::map<int, double> capacity) {
  std::vector<double> rate(routes.size(), 0.0);
  std::vector<bool> frozen(routes.size(), false);
  for (;;) {
    std::map<int, int> users;
    for (std::size_t f = 0; f < routes.size(); ++f)
      if (!frozen[f])
        for (int c : routes[f]) ++users[c];
    if (users.empty()) return rate;
    double step = std::numeric_limits<double>::infinity();
    for (const auto& [c, n] : users) step = std::min(step, capacity[c] / n);
    for (std::size_t f = 0; f < routes.size(); ++f)
      if (!frozen[f]) step = std::min(step, caps[f] - rate[f]);
    for (std::size_t f = 0; f < routes.size(); ++f)
      if (!frozen[f]) {
        rate[f] += step;
        for (int c : routes[f]) capacity[c] -= step;
      }
    for (std::size_t f = 0; f < routes.size(); ++f) {
      if (frozen[f]) continue;
      bool full = rate[f] >= caps[f] * (1 - 1e-12);
      for (int c : routes[f]) full = full || capacity[c] <= 1e-12 * step + 1e-15;
      frozen[f] = full;
    }
  }
}

// The incremental solution after each of many random transfers joins equals progressive filling
// over the flows crossing the machine at that moment.
TEST(FlowControl, IncrementalSharesAreMaxMinFair) {
  Machine m({"system.fabric_model=flows", "sip.cube_mesh.link.bandwidth=64 GB/s"});
  auto& f = m.system.fabric();
  const auto& model = dynamic_cast<const FlowModel&>(m.system.transfers().timing());
  std::mt19937 rng(7);
  std::vector<Route> routes;
  for (int i = 0; i < 60; ++i) {
    const int from_cube = static_cast<int>(rng() % 16), to_cube = static_cast<int>(rng() % 16);
    const Location from =
        rng() % 3 == 0
            ? Location::memory(MemoryId::sram({0, from_cube}))
            : Location::memory(MemoryId::hbm_slice({0, from_cube}, static_cast<int>(rng() % 8)));
    routes.push_back(
        f.route(from, Location::memory(MemoryId::tcm({0, to_cube, static_cast<int>(rng() % 8)}))));
  }
  std::map<int, double> capacity;
  for (const auto& c : f.channels()) {
    const double bw = static_cast<double>(c->bandwidth().bytes_per_second()) * 1e-12;
    const auto trip =
        static_cast<double>((base::transfer_time(4_KiB, c->bandwidth()) + c->latency() * 2).ps());
    capacity[static_cast<int>(c->index())] =
        std::min(bw, static_cast<double>(c->buffer().count()) / trip);
  }
  int checked = 0;
  m.engine.spawn("joiner", [&](sim::Process& p) {
    for (std::size_t i = 0; i < routes.size(); ++i) {
      m.system.transfers().start(
          routes[i], 64_MiB, [](void*) {}, nullptr);
      p.wait(1_us);  // its first bytes reach its route's slowest stage: it shares from then on
      std::vector<std::vector<int>> joined;
      for (std::size_t j = 0; j <= i; ++j) {
        joined.emplace_back();
        for (const Channel* c : routes[j].stages)
          joined.back().push_back(static_cast<int>(c->index()));
      }
      const std::vector<double> exact = progressive_filling(
          joined, std::vector<double>(joined.size(), std::numeric_limits<double>::infinity()),
          capacity);
      // Every flow appears at its first channel in the order it joined.
      std::map<const Channel*, std::size_t> seen;
      for (std::size_t j = 0; j <= i; ++j) {
        const Channel* first = routes[j].stages.front();
        const std::vector<double> rates = model.rates_at(*first);
        const std::size_t k = seen[first]++;
        ASSERT_LT(k, rates.size());
        EXPECT_NEAR(rates[k], exact[j], 1e-9 * exact[j]) << "flow " << j << " of " << i + 1;
        ++checked;
      }
    }
  });
  m.engine.run();
  EXPECT_EQ(checked, 60 * 61 / 2);
}

// Two 64 KiB transfers started together on one route (TCM to TCM of a PE at the same corner; the
// PE ports, 256 GB/s, are its bottleneck; the TCM port in front of them is faster and holds many
// chunks): the first passes alone and lands at its idle-route time (within one chunk's service:
// the second is let go as the first's last chunks reach the bottleneck, so that its first chunk
// arrives there as they leave), the second one message's service (16 chunks) later. A transfer
// on another route (to a third PE) is not held back: it shares the first one's PE port at once.
TEST(FlowControl, TransfersAlongOneRoutePassItInTheOrderTheyStarted) {
  for (const char* model : {"chunks", "flows"}) {
    Machine m({fmt::format("system.fabric_model={}", model)});
    auto& f = m.system.fabric();
    const auto tcm = [](int pe) { return Location::memory(MemoryId::tcm({0, 0, pe})); };
    const Route r = f.route(tcm(0), tcm(1));
    const SimTime idle = idle_transfer_time(r, 4_KiB, 16);
    const SimTime message = base::transfer_time(64_KiB, r.stages[1]->bandwidth());
    const auto same = run_all(m, {{r, 64_KiB, SimTime::zero()}, {r, 64_KiB, SimTime::zero()}});
    const auto chunk =
        static_cast<double>(base::transfer_time(4_KiB, r.stages[1]->bandwidth()).ps());
    EXPECT_NEAR(static_cast<double>(same[0].ps()), static_cast<double>(idle.ps()), chunk) << model;
    EXPECT_NEAR(static_cast<double>(same[1].ps()), static_cast<double>((idle + message).ps()),
                chunk)
        << model;

    Machine other({fmt::format("system.fabric_model={}", model)});
    const Route a = other.system.fabric().route(tcm(0), tcm(1));
    const Route b = other.system.fabric().route(tcm(0), tcm(2));
    const auto apart = run_all(other, {{a, 64_KiB, SimTime::zero()}, {b, 64_KiB, SimTime::zero()}});
    // The two share the PE port from the start, so the first lands well after its idle time.
    EXPECT_GT(apart[0], idle + SimTime::from_ps(message.ps() / 2)) << model;
  }
}

}  // namespace
}  // namespace kernbench::hw
