// The flow model of the fabric (system.fabric_model = flows), label analytic: expected times come
// from the spec's parameters and base's rounding rule, and on idle routes from the chunk model's
// closed form, which the flow model must reproduce.
#include "kernbench/hw/flow_model.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "hw_test_support.h"

#include "kernbench/hw/transfer_engine.h"
#include "kernbench/sim/process.h"
#include "kernbench/sim/recording_trace_sink.h"

namespace kernbench::hw {
namespace {

using base::Bytes;
using base::SimTime;
using mem::MemoryId;
using testing::idle_transfer_time;
using testing::Machine;
using namespace base::literals;

const topo::Overrides kFlows{"system.fabric_model=flows"};

using Transfers = std::vector<std::pair<Route, Bytes>>;

// Starts every transfer at time 0 (or at its `starts`) and returns when each finished.
std::vector<SimTime> run_all(Machine& m, const Transfers& transfers,
                             const std::vector<SimTime>& starts = {}) {
  std::vector<SimTime> ends(transfers.size());
  for (std::size_t i = 0; i < transfers.size(); ++i)
    m.engine.spawn("mover", [&, i](sim::Process& p) {
      if (i < starts.size()) p.wait_until(starts[i]);
      m.system.transfers().move(p, transfers[i].first, transfers[i].second);
      ends[i] = p.now();
    });
  m.engine.run();
  return ends;
}

// Runs the transfers that `make` builds on a machine with `settings` under each fabric model and
// returns their ends: {chunks, flows}.
template <class Make>
std::pair<std::vector<SimTime>, std::vector<SimTime>> under_both(
    const topo::Overrides& settings, Make make, const std::vector<SimTime>& starts = {}) {
  std::vector<SimTime> ends[2];
  for (int flows = 0; flows < 2; ++flows) {
    topo::Overrides o = settings;
    o.push_back(flows ? "system.fabric_model=flows" : "system.fabric_model=chunks");
    Machine m(o);
    ends[flows] = run_all(m, make(m), starts);
  }
  return {ends[0], ends[1]};
}

// The route's latencies and one chunk of service at every stage but the slowest.
SimTime fill(const Route& r, Bytes chunk) {
  SimTime slowest;
  for (const Channel* c : r.stages)
    slowest = std::max(slowest, base::transfer_time(chunk, c->bandwidth()));
  return idle_transfer_time(r, chunk, 1) - slowest;
}

// The way of the route's first chunk to its slowest stage: the latency and service of every
// stage before it. A flow shares the route's channels from then on.
SimTime head(const Route& r, Bytes chunk) {
  std::size_t slowest = 0;
  for (std::size_t i = 0; i < r.stages.size(); ++i)
    if (r.stages[i]->bandwidth().bytes_per_second() <
        r.stages[slowest]->bandwidth().bytes_per_second())
      slowest = i;
  SimTime t;
  for (std::size_t i = 0; i < slowest; ++i)
    t += r.stages[i]->latency() + base::transfer_time(chunk, r.stages[i]->bandwidth());
  return t;
}

// When each of equal transfers of `size` bytes arriving at `arrivals` (ps) at one resource of
// `rate` bytes per ps, shared equally by those present, has passed (ps).
std::vector<double> equal_share_ends(const std::vector<double>& arrivals, double size,
                                     double rate) {
  std::vector<double> left(arrivals.size(), size), ends(arrivals.size(), -1);
  double now = *std::min_element(arrivals.begin(), arrivals.end());
  for (;;) {
    std::vector<std::size_t> present;
    double next_arrival = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < arrivals.size(); ++i) {
      if (ends[i] >= 0) continue;
      if (arrivals[i] <= now) {
        present.push_back(i);
      } else {
        next_arrival = std::min(next_arrival, arrivals[i]);
      }
    }
    if (present.empty() && std::isinf(next_arrival)) return ends;
    const double share = present.empty() ? 0 : rate / static_cast<double>(present.size());
    double step = next_arrival - now;
    for (std::size_t i : present) step = std::min(step, left[i] / share);
    for (std::size_t i : present) {
      left[i] -= share * step;
      if (left[i] <= size * 1e-12) ends[i] = now + step;
    }
    now += step;
  }
}

TEST(FlowModel, SelectedByTheTopology) {
  Machine chunks, flows(kFlows);
  EXPECT_EQ(chunks.system.transfers().model(), topo::FabricModel::chunks);
  EXPECT_EQ(flows.system.transfers().model(), topo::FabricModel::flows);
}

// On an idle route a flow takes what the chunk model takes, to the picosecond, wherever one
// chunk's service at the slowest stage is a whole number of picoseconds (every default link and
// memory but TCM, which is never the slowest here).
TEST(FlowModel, IdleRouteTakesTheChunkModelsTime) {
  struct Case {
    Location from, to;
    std::uint64_t chunks;
  };
  const std::vector<Case> cases{
      {Location::memory(MemoryId::hbm_slice({0, 15}, 0)),
       Location::memory(MemoryId::tcm({0, 0, 0})), 256},
      {Location::memory(MemoryId::hbm_slice({0, 0}, 0)), Location::memory(MemoryId::tcm({0, 0, 0})),
       100},
      {Location::pe({0, 3, 1}), Location::memory(MemoryId::tcm({0, 3, 6})), 16},
      {Location::pe({0, 3, 1}), Location::pe({0, 3, 2}), 1},
      {Location::memory(MemoryId::sram({0, 2})), Location::memory(MemoryId::hbm_slice({0, 9}, 3)),
       33},
  };
  for (const Case& c : cases) {
    Machine m;
    const Route r = m.system.fabric().route(c.from, c.to);
    const Bytes size = m.system.spec().cube.pe.dma.chunk_size * c.chunks;
    const auto [chunks, flows] = under_both({}, [&](Machine& on) {
      return Transfers{{on.system.fabric().route(c.from, c.to), size}};
    });
    const SimTime expected =
        idle_transfer_time(r, m.system.spec().cube.pe.dma.chunk_size, c.chunks);
    EXPECT_EQ(flows[0], expected) << c.chunks;
    EXPECT_EQ(chunks[0], expected) << c.chunks;
  }
}

TEST(FlowModel, PartialChunksAndEmptyTransfers) {
  Machine m(kFlows);
  const Route r{{&m.system.fabric().memory_port(MemoryId::sram({0, 0}))}};
  const auto& sram = m.system.spec().cube.sram;
  const Bytes c = m.system.spec().cube.pe.dma.chunk_size;
  const std::vector<SimTime> ends = run_all(m, {{r, c * 3 + 100_B}, {Route{}, 5_KiB}});
  EXPECT_EQ(ends[0], sram.latency + base::transfer_time(c * 3 + 100_B, sram.bandwidth));
  EXPECT_EQ(ends[1], SimTime::zero());  // an empty route completes at once
  Machine empty(kFlows);
  const Route mesh = empty.system.fabric().route(Location::pe({0, 0, 0}), Location::pe({0, 5, 0}));
  SimTime latencies;
  for (const Channel* ch : mesh.stages) latencies += ch->latency();
  EXPECT_EQ(run_all(empty, {{mesh, 0_B}})[0], latencies);
}

// Two flows from two HBM slices to two PEs of the next cube cross cube 0's x+ link (made the
// bottleneck).
Transfers two_across_one_link(Machine& m, Bytes a, Bytes b) {
  auto& f = m.system.fabric();
  return {{f.route(Location::memory(MemoryId::hbm_slice({0, 0}, 0)),
                   Location::memory(MemoryId::tcm({0, 1, 0}))),
           a},
          {f.route(Location::memory(MemoryId::hbm_slice({0, 0}, 2)),
                   Location::memory(MemoryId::tcm({0, 1, 2}))),
           b}};
}

const topo::Overrides kSlowLink{"sip.cube_mesh.link.bandwidth=32 GB/s"};

void expect_within(const std::vector<SimTime>& got, const std::vector<SimTime>& want,
                   double tolerance_ps) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(static_cast<double>(got[i].ps()), static_cast<double>(want[i].ps()), tolerance_ps)
        << i;
}

// Two flows through one link each get half of it, and when the shorter one ends the other takes
// the whole link back: S at half rate, then S more at the full rate; each is handed over after its
// pipeline fill. The chunk model serves the two round-robin at the link, so its ends are within
// one chunk's service there.
TEST(FlowModel, FlowsShareALinkAndTakeBackWhatIsFreed) {
  const Bytes s = 16_MiB;
  const auto [chunks, flows] =
      under_both(kSlowLink, [&](Machine& m) { return two_across_one_link(m, s, s * 2); });
  topo::Overrides slow_flows = kSlowLink;
  slow_flows.push_back("system.fabric_model=flows");
  Machine m(slow_flows);
  const Transfers t = two_across_one_link(m, s, s * 2);
  const auto link = base::Bandwidth::bytes_per_second(32'000'000'000);
  const Bytes c = m.system.spec().cube.pe.dma.chunk_size;
  const SimTime half = base::transfer_time(s * 2, link);  // S bytes at half the link
  expect_within(
      flows,
      {half + fill(t[0].first, c), half + base::transfer_time(s, link) + fill(t[1].first, c)}, 1.0);
  expect_within(flows, chunks, static_cast<double>(base::transfer_time(c, link).ps()));
}

// A flow that joins later slows the first one from then on only; the chunk model shares the link
// round-robin from the moment the late transfer's chunks reach it.
TEST(FlowModel, ALateFlowSlowsTheFirstFromItsStart) {
  const Bytes s = 8_MiB;
  const auto link = base::Bandwidth::bytes_per_second(32'000'000'000);
  const SimTime half = base::transfer_time(s / 2, link);  // half of S at the whole link
  // b starts when a is half done: a's second half and b's first half share the link.
  const auto [chunks, flows] = under_both(
      kSlowLink, [&](Machine& m) { return two_across_one_link(m, s, s); }, {SimTime::zero(), half});
  topo::Overrides slow_flows = kSlowLink;
  slow_flows.push_back("system.fabric_model=flows");
  Machine m(slow_flows);
  const Transfers t = two_across_one_link(m, s, s);
  const Bytes c = m.system.spec().cube.pe.dma.chunk_size;
  const SimTime a_end = half * 3;  // half alone, then half at half the rate
  expect_within(flows, {a_end + fill(t[0].first, c), a_end + half + fill(t[1].first, c)}, 1.0);
  // The late transfer's first chunk finds the first one's chunks already queued at the link.
  expect_within(chunks, flows, 2.0 * static_cast<double>(base::transfer_time(c, link).ps()));
}

// k writers into one HBM slice are bounded by the slice: together they take k x S / bandwidth.
// They share it fairly: under flows equally among those whose first bytes have reached the slice
// (each then pays the rest of its own route's fill); under chunks round-robin, so their last
// chunks leave the slice within k - 1 chunks' service, plus the head start of the writers nearer
// the slice (their first chunks arrive a chunk or two sooner).
TEST(FlowModel, FlowsIntoOneSliceAreBoundedByIt) {
  const int k = 4;
  const Bytes size = 4_MiB;
  const auto writers = [&](Machine& m) {
    Transfers t;
    for (int i = 0; i < k; ++i)
      t.emplace_back(m.system.fabric().route(Location::memory(MemoryId::tcm({0, 0, i})),
                                             Location::memory(MemoryId::hbm_slice({0, 0}, 0))),
                     size);
    return t;
  };
  const auto [chunks, flows] = under_both({}, writers);
  Machine m(kFlows);
  const SimTime bound = base::transfer_time(size * k, m.system.spec().cube.hbm.slice_bandwidth);
  const Bytes c = m.system.spec().cube.pe.dma.chunk_size;
  const auto slice_chunk =
      static_cast<double>(base::transfer_time(c, m.system.spec().cube.hbm.slice_bandwidth).ps());
  const Transfers t = writers(m);
  std::vector<double> arrivals;
  for (int i = 0; i < k; ++i) arrivals.push_back(static_cast<double>(head(t[i].first, c).ps()));
  const std::vector<double> passed = equal_share_ends(
      arrivals, static_cast<double>(size.count()),
      static_cast<double>(m.system.spec().cube.hbm.slice_bandwidth.bytes_per_second()) * 1e-12);
  for (int i = 0; i < k; ++i)
    EXPECT_NEAR(static_cast<double>(flows[i].ps()),
                passed[i] + static_cast<double>((fill(t[i].first, c) - head(t[i].first, c)).ps()),
                2.0)
        << i;
  EXPECT_GE(*std::max_element(chunks.begin(), chunks.end()), bound);
  const auto [first, last] = std::minmax_element(chunks.begin(), chunks.end());
  EXPECT_LE(static_cast<double>((*last - *first).ps()), (k + 1) * slice_chunk);
  EXPECT_NEAR(static_cast<double>(std::max_element(chunks.begin(), chunks.end())->ps()),
              static_cast<double>(std::max_element(flows.begin(), flows.end())->ps()),
              k * slice_chunk);
}

// A copy within one memory crosses its port twice: under both models that port serves it twice.
TEST(FlowModel, ACopyWithinOneMemoryCrossesItsPortTwice) {
  const Location slice = Location::memory(MemoryId::hbm_slice({0, 3}, 5));
  for (const Bytes size : {1_KiB, 4_KiB, 1_MiB}) {
    const auto [chunks, flows] = under_both({}, [&](Machine& m) {
      return Transfers{{m.system.fabric().route(slice, slice), size}};
    });
    Machine m;
    const Route r = m.system.fabric().route(slice, slice);
    ASSERT_EQ(r.stages.size(), 2u);
    ASSERT_EQ(r.stages[0], r.stages[1]);
    const Bytes c = m.system.spec().cube.pe.dma.chunk_size;
    if (size <= c) {
      EXPECT_EQ(flows[0], idle_transfer_time(r, size, 1)) << size.count();
      EXPECT_EQ(chunks[0], idle_transfer_time(r, size, 1)) << size.count();
    }
    // The chunk model overlaps the first chunk's latency with the next chunks' reads; the flow
    // model pays both passes' latencies after the bytes: apart by at most the port's latency and
    // two chunks' service.
    const auto& hbm = m.system.spec().cube.hbm;
    const SimTime one_chunk = base::transfer_time(c, hbm.slice_bandwidth);
    EXPECT_NEAR(static_cast<double>(flows[0].ps()), static_cast<double>(chunks[0].ps()),
                static_cast<double>((one_chunk * 2 + hbm.latency).ps()))
        << size.count();
  }
}

// Every stage a transfer crosses is busy in the trace, as under chunks: a long one while it flows,
// a one-chunk one for its service there.
TEST(FlowModel, EveryStageShowsItsBusyTime) {
  for (const Bytes size : {1_KiB, 1_MiB}) {
    Machine m(kFlows);
    sim::RecordingTraceSink trace;
    m.engine.set_trace_sink(&trace);
    const Route r = m.system.fabric().route(Location::memory(MemoryId::hbm_slice({0, 0}, 0)),
                                            Location::memory(MemoryId::tcm({0, 5, 3})));
    run_all(m, {{r, size}});
    m.system.flush_trace();
    for (const Channel* c : r.stages) {
      const auto busy = std::count_if(trace.records().begin(), trace.records().end(),
                                      [&](const auto& rec) { return rec.track == c->track(); });
      EXPECT_EQ(busy, 1) << c->track() << " " << size.count();
      EXPECT_EQ(c->busy_time(), base::transfer_time(size, c->bandwidth())) << c->track();
    }
  }
}

// What a transfer takes on an idle route: its fill, then its bytes at the slowest stage.
SimTime alone(const Route& r, Bytes size, Bytes chunk) {
  if (size.count() == 0) return fill(r, 0_B);
  base::Bandwidth slowest = r.stages[0]->bandwidth();
  for (const Channel* ch : r.stages)
    if (ch->bandwidth().bytes_per_second() < slowest.bytes_per_second()) slowest = ch->bandwidth();
  return fill(r, std::min(size, chunk)) + base::transfer_time(size, slowest);
}

// A flow alone on its channels is handed over with no event of its own at its end; it still
// leaves them as of its end: a transfer that comes to a shared link later finds it idle, and the
// link's trace shows two busy runs, the first ending where the first transfer's bytes ended.
TEST(FlowModel, AFlowAloneLeavesItsChannelsAsOfItsEnd) {
  Machine m(topo::Overrides{kSlowLink[0], kFlows[0]});
  sim::RecordingTraceSink trace;
  m.engine.set_trace_sink(&trace);
  const Bytes s = 1_MiB;
  const Transfers t = two_across_one_link(m, s, s);
  const Bytes c = m.system.spec().cube.pe.dma.chunk_size;
  const SimTime first_alone = alone(t[0].first, s, c);
  const SimTime later = first_alone * 2;
  const std::vector<SimTime> ends = run_all(m, t, {SimTime::zero(), later});
  m.system.flush_trace();
  EXPECT_EQ(ends[0], first_alone);
  EXPECT_EQ(ends[1] - later, alone(t[1].first, s, c));
  const auto link = base::Bandwidth::bytes_per_second(32'000'000'000);
  std::vector<std::pair<SimTime, SimTime>> runs;
  for (const Channel* ch : t[0].first.stages) {
    if (std::find(t[1].first.stages.begin(), t[1].first.stages.end(), ch) ==
        t[1].first.stages.end())
      continue;
    if (ch->bandwidth().bytes_per_second() != link.bytes_per_second()) continue;
    for (const auto& rec : trace.records())
      if (rec.track == ch->track()) runs.emplace_back(rec.start, rec.end);
  }
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].second - runs[0].first, base::transfer_time(s, link));
  EXPECT_EQ(runs[1].second - runs[1].first, base::transfer_time(s, link));
  EXPECT_LT(runs[0].second, later);
}

// Many overlapping transfers of many sizes on crossing routes: every one completes, no flow
// finishes sooner than it would alone, each channel counts every byte that crossed it, and the
// run is deterministic.
TEST(FlowModel, ManyCrossingTransfersAllCompleteDeterministically) {
  const auto run = [] {
    Machine m(kFlows);
    auto& f = m.system.fabric();
    const Bytes c = m.system.spec().cube.pe.dma.chunk_size;
    std::vector<std::pair<Route, Bytes>> transfers;
    std::vector<SimTime> starts;
    for (int i = 0; i < 200; ++i) {
      const Location from = Location::memory(MemoryId::hbm_slice({0, i % 16}, i % 8));
      const Location to = Location::memory(MemoryId::tcm({0, (i * 7) % 16, (i * 3) % 8}));
      transfers.emplace_back(f.route(from, to),
                             Bytes(static_cast<std::uint64_t>((i * 7919) % 300'000)));
      starts.push_back(SimTime::from_ps((i * 104'729) % 20'000'000));
    }
    const std::vector<SimTime> ends = run_all(m, transfers, starts);
    std::uint64_t bytes = 0, expected = 0;
    const auto& flows = dynamic_cast<const FlowModel&>(m.system.transfers().timing());
    for (const auto& ch : f.channels()) {
      bytes += ch->bytes_served().count();
      EXPECT_TRUE(flows.rates_at(*ch).empty()) << ch->track();
    }
    for (std::size_t i = 0; i < transfers.size(); ++i) {
      const auto& [route, size] = transfers[i];
      expected += size.count() * route.stages.size();
      EXPECT_GE((ends[i] - starts[i]).ps() + 1, alone(route, size, c).ps()) << i;
    }
    EXPECT_EQ(bytes, expected);
    return ends;
  };
  const std::vector<SimTime> first = run();
  EXPECT_EQ(first, run());
}

// What a run to its end cost: the bytes each channel served, and the engine's events.
struct RunCost {
  std::vector<std::uint64_t> bytes;
  std::uint64_t events = 0;
};
RunCost run_to_end(Machine& m) {
  m.engine.run();
  RunCost cost;
  for (const auto& ch : m.system.fabric().channels())
    cost.bytes.push_back(ch->bytes_served().count());
  cost.events = m.engine.events_processed();
  return cost;
}

// A data transfer followed by a control transfer from its hand-over (a descriptor after its data)
// timed as one: the caller learns the hand-over time and the control transfer lands when the two
// started one after the other would have, with the same bytes on every channel and fewer events
// (none at the hand-over of a flow that ended sharing its channels).
TEST(FlowModel, AFollowedTransferLandsWhenTheTwoWouldHave) {
  struct Run {
    std::vector<SimTime> handed, landed;
    RunCost cost;
  };
  const auto run = [](bool followed) {
    Machine m(kFlows);
    auto& f = m.system.fabric();
    const int n = 120;
    Run out{std::vector<SimTime>(n), std::vector<SimTime>(n), {}};
    std::vector<Route> data, then;
    for (int i = 0; i < n; ++i) {
      const topo::PeCoord to{0, (i * 7) % 16, (i * 3) % 8};
      data.push_back(f.route(Location::memory(MemoryId::hbm_slice({0, i % 16}, i % 8)),
                             Location::memory(MemoryId::tcm(to))));
      then.push_back(f.route(Location::pe({0, (i * 5 + 1) % 16, 0}), Location::pe(to)));
    }
    struct Wait {
      sim::Engine* engine;
      SimTime* handed;
      sim::Event landed{"landed"};
    };
    std::deque<Wait> waits;
    for (int i = 0; i < n; ++i) {
      Wait& w = waits.emplace_back(&m.engine, &out.handed[i]);
      m.engine.spawn("mover", [&, i](sim::Process& p) {
        p.wait_until(SimTime::from_ps((i * 104'729) % 5'000'000));
        const Bytes size(static_cast<std::uint64_t>((i * 7919) % 300'000 + 1));
        auto& transfers = m.system.transfers();
        if (followed && transfers.start_followed(
                            data[i], size, then[i], 64_B,
                            [](void* c, SimTime at) { *static_cast<Wait*>(c)->handed = at; },
                            [](void* c) { static_cast<Wait*>(c)->landed.trigger(); }, &w)) {
          p.wait(w.landed);
        } else {
          transfers.move(p, data[i], size);
          out.handed[i] = p.now();
          transfers.move(p, then[i], 64_B, TrafficClass::control);
        }
        out.landed[i] = p.now();
      });
    }
    out.cost = run_to_end(m);
    return out;
  };
  const Run plain = run(false), followed = run(true);
  EXPECT_EQ(followed.handed, plain.handed);
  EXPECT_EQ(followed.landed, plain.landed);
  EXPECT_EQ(followed.cost.bytes, plain.cost.bytes);
  EXPECT_LT(followed.cost.events, plain.cost.events);
  Machine chunks;
  const Route r = chunks.system.fabric().route(Location::pe({0, 0, 0}), Location::pe({0, 1, 0}));
  EXPECT_FALSE(chunks.system.transfers().start_followed(
      r, 1_KiB, r, 64_B, [](void*, SimTime) {}, [](void*) {}, nullptr));
}

// A transfer started ahead (start_at) is counted and timed as one started at its time, with one
// event fewer: the model's first event of it is its first bytes reaching the bottleneck.
TEST(FlowModel, ATransferStartedAheadTakesTheTimesOfOneStartedThen) {
  struct Run {
    std::vector<SimTime> ends;
    RunCost cost;
  };
  const auto run = [](bool ahead) {
    Machine m(kFlows);
    auto& f = m.system.fabric();
    const int n = 60;
    Run out{std::vector<SimTime>(n), {}};
    std::vector<Route> routes;
    std::vector<SimTime> at;
    for (int i = 0; i < n; ++i) {
      routes.push_back(f.route(Location::pe({0, (i * 7) % 16, (i * 3) % 8}),
                               Location::memory(MemoryId::hbm_slice({0, i % 16}, i % 8))));
      at.push_back(SimTime::from_ps((i * 104'729) % 3'000'000));
    }
    struct End {
      sim::Engine* engine;
      SimTime* at;
    };
    std::deque<End> ends;
    for (int i = 0; i < n; ++i) {
      const Bytes size(static_cast<std::uint64_t>((i * 7919) % 200'000 + 1));
      End& e = ends.emplace_back(&m.engine, &out.ends[i]);
      const sim::EventFn done = [](void* c) {
        auto& x = *static_cast<End*>(c);
        *x.at = x.engine->now();
      };
      if (ahead) {
        EXPECT_TRUE(m.system.transfers().start_at(at[i], routes[i], size, done, &e));
      } else {
        m.engine.schedule_at(at[i], [&m, &routes, i, size, done, &e] {
          m.system.transfers().start(routes[i], size, done, &e);
        });
      }
    }
    out.cost = run_to_end(m);
    return out;
  };
  const Run then = run(false), ahead = run(true);
  EXPECT_EQ(ahead.ends, then.ends);
  EXPECT_EQ(ahead.cost.bytes, then.cost.bytes);
  EXPECT_LT(ahead.cost.events, then.cost.events);
  Machine chunks;
  EXPECT_FALSE(chunks.system.transfers().starts_ahead());
}

}  // namespace
}  // namespace kernbench::hw
