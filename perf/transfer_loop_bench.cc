// The model against a bare callback loop over the same transfers (issue 18, "what must hold"):
// the 512-rank ring all-reduce of 64 MiB, timing-only, under flows (configs/ahbm_multi_sip.yaml),
// as `kernbench ccl bench` runs it. The transfer log is the model's own: every IPCQ send it
// records on a trace sink (one per collective chunk-hop), with its source PE, start and end. The
// bare loop replays that log as a discrete-event loop of plain callbacks on a binary heap: a
// send's start schedules its end, its end schedules the same PE's next send (at its logged start,
// or at once if that is past), two events a chunk-hop; it ends at the model's simulated time (a
// check that it replays every send). BM_TransferLogModel and BM_TransferLogBareLoop report the
// wall time per chunk-hop of each; run them side by side and divide.
#include <algorithm>
#include <cstdint>
#include <map>
#include <queue>
#include <stdexcept>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/ccl_config.h"
#include "kernbench/ccl/collective_bench.h"
#include "kernbench/sim/trace_sink.h"
#include "kernbench/sim/track_table.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::perf {
namespace {

constexpr std::uint64_t kBytes = std::uint64_t{64} << 20;

struct LoggedSend {
  std::uint32_t source = 0;  // the sending PE, numbered as first seen
  std::int64_t start_ps = 0;
  std::int64_t end_ps = 0;
};

// Keeps the model's IPCQ sends ("ipcq send" spans on a PE's DMA track).
class SendLog final : public sim::TraceSink {
 public:
  sim::TrackId declare(const sim::TrackDecl& track) override {
    const auto [id, added] = tracks_.add(track);
    if (added) source_of_.push_back(kNoSource);
    return id;
  }
  void span(sim::TrackId track, std::string_view name, base::SimTime start, base::SimTime end,
            std::span<const sim::TraceArg>) override {
    if (name != "ipcq send" || !tracks_[track].name.ends_with("/dma")) return;
    if (source_of_[track] == kNoSource) source_of_[track] = sources_++;
    sends.push_back({source_of_[track], start.ps(), end.ps()});
  }
  void instant(sim::TrackId, std::string_view, base::SimTime,
               std::span<const sim::TraceArg>) override {}
  std::size_t source_count() const { return sources_; }

  std::vector<LoggedSend> sends;

 private:
  static constexpr std::uint32_t kNoSource = ~std::uint32_t{0};
  sim::TrackTable tracks_;
  std::vector<std::uint32_t> source_of_;  // by track id
  std::uint32_t sources_ = 0;
};

struct RingJob {
  topo::TopologySpec spec;
  ccl::InstallPlan plan;
};

const RingJob& ring_job() {
  static const RingJob job = [] {
    const auto spec = topo::load_topology_file(KERNBENCH_SOURCE_DIR "/configs/ahbm_multi_sip.yaml",
                                               topo::Overrides{"system.fabric_model=flows"});
    const auto registry = ccl::default_algorithm_registry();
    const auto config = ccl::load_ccl_text("algorithms: {r: {kind: ring}}", "bench", registry);
    return RingJob{spec, registry.plan(config.entries.front(), spec)};
  }();
  return job;
}

base::SimTime run_model(const RingJob& job, ccl::SweepTrace* trace) {
  const std::uint64_t sizes[] = {kBytes};
  return ccl::run_collective_bench(job.spec, job.plan, ccl::CollectiveOp::all_reduce,
                                   base::DType::f32, base::CombineOp::sum, sizes, false, 0, trace)
      .front()
      .time;
}

struct Log {
  std::vector<LoggedSend> sends;     // by source, then start
  std::vector<std::uint32_t> first;  // each source's first send; first[sources] = sends.size()
  base::SimTime model_time;
};

const Log& send_log() {
  static const Log log = [] {
    SendLog sink;
    ccl::SweepTrace trace{{&sink}, base::SimTime::zero()};
    Log l;
    l.model_time = run_model(ring_job(), &trace);
    l.sends = std::move(sink.sends);
    std::stable_sort(l.sends.begin(), l.sends.end(), [](const LoggedSend& a, const LoggedSend& b) {
      return a.source != b.source ? a.source < b.source : a.start_ps < b.start_ps;
    });
    l.first.assign(sink.source_count() + 1, 0);
    for (const LoggedSend& s : l.sends) ++l.first[s.source + 1];
    for (std::size_t i = 1; i < l.first.size(); ++i) l.first[i] += l.first[i - 1];
    return l;
  }();
  return log;
}

// The bare loop: events are (time, sequence, callback, argument) on a binary heap.
class BareLoop {
 public:
  explicit BareLoop(const Log& log) : log_(log) {}

  std::int64_t run() {
    for (std::uint32_t s = 0; s + 1 < log_.first.size(); ++s)
      if (log_.first[s] < log_.first[s + 1])
        at(log_.sends[log_.first[s]].start_ps, &BareLoop::on_start, log_.first[s]);
    while (!queue_.empty()) {
      const Event e = queue_.top();
      queue_.pop();
      now_ = e.time;
      ++events_;
      (this->*e.callback)(e.argument);
    }
    return end_;
  }
  std::uint64_t events() const { return events_; }

 private:
  using Callback = void (BareLoop::*)(std::uint32_t);
  struct Event {
    std::int64_t time;
    std::uint64_t sequence;
    Callback callback;
    std::uint32_t argument;
    bool operator>(const Event& o) const {
      return time != o.time ? time > o.time : sequence > o.sequence;
    }
  };

  void at(std::int64_t time, Callback callback, std::uint32_t argument) {
    queue_.push({time, sequence_++, callback, argument});
  }
  void on_start(std::uint32_t send) { at(log_.sends[send].end_ps, &BareLoop::on_end, send); }
  void on_end(std::uint32_t send) {
    end_ = std::max(end_, now_);
    const std::uint32_t next = send + 1;
    if (next < log_.first[log_.sends[send].source + 1])
      at(std::max(now_, log_.sends[next].start_ps), &BareLoop::on_start, next);
  }

  const Log& log_;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> queue_;
  std::int64_t now_ = 0, end_ = 0;
  std::uint64_t sequence_ = 0, events_ = 0;
};

void per_hop_counters(benchmark::State& state, std::size_t hops) {
  state.counters["ccl_chunk_hops"] = static_cast<double>(hops);
  state.counters["time/ccl_chunk_hop"] =
      benchmark::Counter(static_cast<double>(hops) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_TransferLogModel(benchmark::State& state) {
  const Log& log = send_log();
  for (auto _ : state) {
    const base::SimTime time = run_model(ring_job(), nullptr);
    if (time != log.model_time) throw std::runtime_error("the model's time changed between runs");
  }
  state.counters["simulated_us"] = log.model_time.ns() / 1e3;
  per_hop_counters(state, log.sends.size());
}

void BM_TransferLogBareLoop(benchmark::State& state) {
  const Log& log = send_log();
  std::uint64_t events = 0;
  for (auto _ : state) {
    BareLoop loop(log);
    const std::int64_t end = loop.run();
    // The collective ends after its last send lands (the reduction, the completion).
    if (end > log.model_time.ps() || end <= 0)
      throw std::runtime_error("the bare loop did not replay the model's sends");
    events = loop.events();
    state.counters["simulated_us"] = static_cast<double>(end) / 1e6;
  }
  state.counters["events"] = static_cast<double>(events);
  per_hop_counters(state, log.sends.size());
}

BENCHMARK(BM_TransferLogModel)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_TransferLogBareLoop)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kernbench::perf
