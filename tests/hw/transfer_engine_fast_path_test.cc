// The transfer engine's fast path against its per-chunk model: every scenario runs twice, once
// with set_per_chunk(true), and must give the same end times in the same order, the same channel
// state (busy time, bytes, chunks, free time), the same busy spans per channel and the same count
// of chunk-hops. Each scenario also checks that the fast path was taken (and, where meant,
// given up midway), so a fast path that never ran could not pass.
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "hw_test_support.h"

#include "kernbench/hw/transfer_engine.h"
#include "kernbench/sim/recording_trace_sink.h"

namespace kernbench::hw {
namespace {

using base::Bandwidth;
using base::Bytes;
using base::SimTime;
using namespace base::literals;

constexpr Bytes kChunk = 4_KiB;

struct ChannelSpec {
  double gb_per_second;
  std::int64_t latency_ps;
};

// A transfer to start at `start_ps` (or, with after >= 0, when transfer `after` has ended).
struct Job {
  std::vector<int> route;  // channel indices
  std::uint64_t bytes = 0;
  std::int64_t start_ps = 0;
  int after = -1;
};

struct Outcome {
  std::vector<std::pair<int, std::int64_t>> ends;  // (job, time) in the order done() ran
  std::vector<std::tuple<std::int64_t, std::uint64_t, std::uint64_t, std::int64_t>> channels;
  std::map<std::string, std::vector<std::pair<std::int64_t, std::int64_t>>> spans;
  std::uint64_t hops = 0;
  std::uint64_t fast = 0;
  std::uint64_t demoted = 0;
};

class Runner {
 public:
  Runner(const std::vector<ChannelSpec>& specs, std::vector<Job> jobs, bool per_chunk)
      : jobs_(std::move(jobs)), transfers_(engine_, kChunk) {
    transfers_.set_per_chunk(per_chunk);
    engine_.set_trace_sink(&sink_);
    for (std::size_t i = 0; i < specs.size(); ++i)
      channels_.push_back(std::make_unique<Channel>(
          ChannelKind::mesh_link, "ch" + std::to_string(i),
          Bandwidth::bytes_per_second(static_cast<std::uint64_t>(specs[i].gb_per_second * 1e9)),
          SimTime::from_ps(specs[i].latency_ps)));
    for (std::size_t j = 0; j < jobs_.size(); ++j) ctx_.push_back({this, static_cast<int>(j)});
  }

  Outcome run() {
    for (std::size_t j = 0; j < jobs_.size(); ++j)
      if (jobs_[j].after < 0)
        engine_.schedule_at(SimTime::from_ps(jobs_[j].start_ps), &Runner::on_start, &ctx_[j]);
    engine_.run();
    Outcome out;
    out.ends = ends_;
    for (auto& c : channels_) {
      c->flush_trace(&sink_);
      out.channels.emplace_back(c->busy_time().ps(), c->bytes_served().count(), c->chunks_served(),
                                c->free_at().ps());
    }
    for (const auto& r : sink_.records()) out.spans[r.track].emplace_back(r.start.ps(), r.end.ps());
    out.hops = transfers_.chunk_hops();
    out.fast = transfers_.fast_transfers();
    out.demoted = transfers_.demoted_transfers();
    return out;
  }

 private:
  struct Ctx {
    Runner* self;
    int job;
  };

  static void on_start(void* p) {
    auto& c = *static_cast<Ctx*>(p);
    Route r;
    for (int i : c.self->jobs_[static_cast<std::size_t>(c.job)].route)
      r.stages.push_back(c.self->channels_[static_cast<std::size_t>(i)].get());
    c.self->transfers_.start(r, Bytes(c.self->jobs_[static_cast<std::size_t>(c.job)].bytes),
                             &Runner::on_end, p);
  }

  static void on_end(void* p) {
    auto& c = *static_cast<Ctx*>(p);
    Runner& self = *c.self;
    self.ends_.emplace_back(c.job, self.engine_.now().ps());
    for (std::size_t j = 0; j < self.jobs_.size(); ++j)
      if (self.jobs_[j].after == c.job) on_start(&self.ctx_[j]);
  }

  std::vector<Job> jobs_;
  sim::Engine engine_;
  sim::RecordingTraceSink sink_;
  std::vector<std::unique_ptr<Channel>> channels_;
  TransferEngine transfers_;
  std::vector<Ctx> ctx_;
  std::vector<std::pair<int, std::int64_t>> ends_;
};

// Runs both ways, checks they agree, and returns the fast run's outcome.
Outcome both_ways(const std::vector<ChannelSpec>& specs, const std::vector<Job>& jobs) {
  const Outcome reference = Runner(specs, jobs, true).run();
  const Outcome fast = Runner(specs, jobs, false).run();
  EXPECT_EQ(reference.fast, 0u);
  EXPECT_EQ(fast.ends, reference.ends);
  EXPECT_EQ(fast.channels, reference.channels);
  EXPECT_EQ(fast.spans, reference.spans);
  EXPECT_EQ(fast.hops, reference.hops);
  EXPECT_EQ(fast.ends.size(), jobs.size());
  return fast;
}

// Different bandwidths and latencies along a route, one stage without latency.
const std::vector<ChannelSpec> kMixed = {{128, 50'000}, {64, 20'000}, {256, 0}, {32, 5'000},
                                         {64, 20'000},  {100, 1'000}, {64, 0},  {512, 7'000}};

TEST(TransferFastPath, UncontendedMultiHopAnySize) {
  const std::uint64_t c = kChunk.count();
  for (std::uint64_t bytes : {0ul, 1ul, c - 1, c, c + 1, 10 * c + 7, 300 * c}) {
    SCOPED_TRACE(bytes);
    const Outcome o = both_ways(kMixed, {{{0, 1, 2, 3, 4}, bytes, 1'000}});
    EXPECT_EQ(o.fast, 1u);
    EXPECT_EQ(o.demoted, 0u);
  }
}

TEST(TransferFastPath, UncontendedMatchesTheClosedForm) {
  // Equal latencies so the closed form of hw_test_support applies: the fast path alone.
  testing::Machine m;
  const Route r = m.system.fabric().route(Location::memory(mem::MemoryId::hbm_slice({0, 15}, 0)),
                                          Location::memory(mem::MemoryId::tcm({0, 0, 0})));
  const Bytes chunk = m.system.spec().cube.pe.dma.chunk_size;
  SimTime end;
  m.engine.spawn("mover", [&](sim::Process& p) {
    m.system.transfers().move(p, r, chunk * 100);
    end = p.now();
  });
  m.engine.run();
  EXPECT_EQ(m.system.transfers().fast_transfers(), 1u);
  EXPECT_EQ(end, testing::idle_transfer_time(r, chunk, 100));
}

TEST(TransferFastPath, ContendedFromTheStart) {
  // Two flows meet on channel 1 from time 0; then three with ties on equal channels.
  const Outcome o = both_ways(
      kMixed, {{{0, 1, 2}, 40 * kChunk.count(), 0}, {{3, 1, 4}, 25 * kChunk.count() + 100, 0}});
  EXPECT_GE(o.fast, 1u);
  const std::vector<ChannelSpec> equal(4, ChannelSpec{64, 0});
  both_ways(equal, {{{0, 1}, 8 * kChunk.count(), 0},
                    {{2, 1}, 8 * kChunk.count(), 0},
                    {{3, 1, 0}, 3 * kChunk.count(), 0}});
}

TEST(TransferFastPath, ContendedMidwayByAShortTransfer) {
  // The long transfer keeps the fast path; the short one runs per chunk through its slowest
  // channel, which delays the long one's end.
  const std::vector<int> route = {0, 1, 2, 3};
  const Outcome alone = both_ways(kMixed, {{route, 60 * kChunk.count(), 0}});
  const Outcome o = both_ways(
      kMixed, {{route, 60 * kChunk.count(), 0}, {{5, 3, 6}, 2 * kChunk.count(), 700'000}});
  EXPECT_EQ(o.fast, 1u);
  EXPECT_EQ(o.demoted, 0u);
  ASSERT_EQ(o.ends.size(), 2u);
  EXPECT_EQ(o.ends[1].first, 0);
  EXPECT_GT(o.ends[1].second, alone.ends[0].second);
}

TEST(TransferFastPath, ContendedMidwayByALongTransfer) {
  // The newcomer has more chunk-hops ahead: it takes the channels and the first one turns
  // per-chunk with its chunks in flight.
  const Outcome o = both_ways(
      kMixed, {{{0, 1, 2, 3}, 60 * kChunk.count(), 0}, {{5, 2, 6}, 500 * kChunk.count(), 700'000}});
  EXPECT_EQ(o.fast, 2u);
  EXPECT_EQ(o.demoted, 1u);
}

TEST(TransferFastPath, ZeroSizeTransfersAmongOthers) {
  both_ways(kMixed, {{{0, 1, 2}, 0, 0},
                     {{0, 1, 2}, 5 * kChunk.count(), 0},
                     {{2, 1}, 0, 10'000},
                     {{1}, 0, 60'000},
                     {{6, 1, 7}, 0, 60'000, 1}});
}

TEST(TransferFastPath, ChainsLikeARingOfSenders) {
  // Each sender moves a chunk's worth of data to its neighbour, then a 64-byte descriptor over a
  // route sharing the receiver's last link, and the next data with it (as ring collectives do).
  std::vector<ChannelSpec> specs;
  const int ranks = 4;
  for (int r = 0; r < ranks; ++r) {
    specs.push_back({128, 100'000});  // the rank's memory
    specs.push_back({64, 20'000});    // up from its PE
    specs.push_back({64, 20'000});    // down to its PE
    specs.push_back({256, 10'000});   // its TCM
  }
  std::vector<Job> jobs;
  for (int r = 0; r < ranks; ++r) {
    const int next = (r + 1) % ranks;
    const std::vector<int> data = {4 * r, 4 * next + 2, 4 * next + 3};
    const std::vector<int> descriptor = {4 * r + 1, 4 * next + 2};
    int previous = -1;
    for (int m = 0; m < 6; ++m) {
      const int id = static_cast<int>(jobs.size());
      jobs.push_back({data, 16 * kChunk.count(), 0, previous});
      jobs.push_back({descriptor, 64, 0, id});
      previous = id;
    }
  }
  const Outcome o = both_ways(specs, jobs);
  EXPECT_GT(o.fast, 0u);
  EXPECT_GT(o.demoted, 0u);
}

// Random routes, sizes, start times (few distinct ones, so ties abound) and chains.
TEST(TransferFastPath, RandomTrafficMatchesThePerChunkModel) {
  for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u, 6u}) {
    SCOPED_TRACE(seed);
    std::mt19937_64 rng(seed);
    const auto pick = [&](std::uint64_t n) { return rng() % n; };
    std::vector<ChannelSpec> specs;
    for (int i = 0; i < 10; ++i)
      specs.push_back({pick(2) ? 64.0 : 32.0 * static_cast<double>(1 + pick(4)),
                       pick(3) == 0 ? 0 : static_cast<std::int64_t>(pick(4) * 10'000)});
    std::vector<Job> jobs;
    for (int j = 0; j < 120; ++j) {
      std::vector<int> route;
      const std::size_t len = 1 + pick(5);
      while (route.size() < len) {
        const int ch = static_cast<int>(pick(specs.size()));
        if (std::find(route.begin(), route.end(), ch) == route.end()) route.push_back(ch);
      }
      const std::uint64_t bytes =
          pick(6) == 0 ? 0 : pick(30) * kChunk.count() + (pick(2) ? pick(kChunk.count()) : 0);
      const int after =
          j > 0 && pick(3) == 0 ? static_cast<int>(pick(static_cast<unsigned>(j))) : -1;
      jobs.push_back({route, bytes, static_cast<std::int64_t>(pick(8) * 250'000), after});
    }
    const Outcome o = both_ways(specs, jobs);
    EXPECT_GT(o.fast, 0u);
  }
}

}  // namespace
}  // namespace kernbench::hw
