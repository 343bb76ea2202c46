// Engine costs side by side with their baselines (issue 2, point 13): events through the queue
// against a bare std::priority_queue; a process wait(1 ps) round trip against a callback round
// trip on the same queue; raw Boost.Context switches and C++20 coroutine resumes.
#include <coroutine>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <vector>

#include <benchmark/benchmark.h>
#include <boost/context/fiber.hpp>

#include "bench_support.h"

#include "kernbench/sim/engine.h"
#include "kernbench/sim/fiber.h"
#include "kernbench/sim/process.h"

namespace kernbench::sim {
namespace {

using namespace base::literals;

// The same cheap pseudo-random delays (1..1024 ps) for the baseline and the engine.
struct Delays {
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  std::int64_t next() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return static_cast<std::int64_t>(state & 1023) + 1;
  }
};

EngineConfig unlimited() { return perf::unlimited_engine_config(); }

// Baseline: pop (time, sequence, 8-byte payload) and push a successor, N pending.
struct BareItem {
  std::int64_t time;
  std::uint64_t seq;
  std::uint64_t payload;
  bool operator>(const BareItem& o) const {
    return time > o.time || (time == o.time && seq > o.seq);
  }
};

void BM_PriorityQueueBaseline(benchmark::State& state) {
  std::priority_queue<BareItem, std::vector<BareItem>, std::greater<>> q;
  Delays delays;
  std::uint64_t seq = 0;
  for (std::int64_t i = 0; i < state.range(0); ++i) q.push({delays.next(), seq++, 0});
  for (auto _ : state) {
    BareItem top = q.top();
    q.pop();
    benchmark::DoNotOptimize(top.payload);
    q.push({top.time + delays.next(), seq++, top.payload + 1});
  }
  state.SetItemsProcessed(state.iterations());
}
// 16 and 4096 pending are the baselines of fabric_bench.cc.
BENCHMARK(BM_PriorityQueueBaseline)->Arg(16)->Arg(4096)->Arg(1000)->Arg(1000000);

// Engine: each event is a callback that schedules its successor, N pending.
struct Rescheduler {
  Engine* engine;
  Delays* delays;
  static void fire(void* self) {
    auto& r = *static_cast<Rescheduler*>(self);
    r.engine->schedule_in(base::SimTime::from_ps(r.delays->next()), &fire, self);
  }
};

void BM_EngineEvents(benchmark::State& state) {
  Engine engine(unlimited());
  Delays delays;
  Rescheduler r{&engine, &delays};
  for (std::int64_t i = 0; i < state.range(0); ++i)
    engine.schedule_at(base::SimTime::from_ps(delays.next()), &Rescheduler::fire, &r);
  for (auto _ : state) engine.step();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EngineEvents)->Arg(1000)->Arg(1000000);

// 1e3 events parked far in the future so the heap has the size the issue asks for.
void park_background(Engine& engine, int count) {
  for (int i = 0; i < count; ++i)
    engine.schedule_at(
        base::SimTime::from_ps(std::int64_t{1} << 60) + base::SimTime::from_ps(i), [](void*) {},
        nullptr);
}

struct SelfTicker {
  Engine* engine;
  static void fire(void* self) {
    auto& t = *static_cast<SelfTicker*>(self);
    t.engine->schedule_in(1_ps, &fire, self);
  }
};

void BM_CallbackRoundTrip(benchmark::State& state) {
  Engine engine(unlimited());
  park_background(engine, 1000);
  SelfTicker ticker{&engine};
  engine.schedule_at(0_ps, &SelfTicker::fire, &ticker);
  for (auto _ : state) engine.step();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CallbackRoundTrip);

void BM_ProcessWaitRoundTrip(benchmark::State& state) {
  Engine engine(unlimited());
  park_background(engine, 1000);
  engine.spawn("ticker", [](Process& self) {
    for (;;) self.wait(1_ps);
  });
  for (auto _ : state) engine.step();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ProcessWaitRoundTrip);

// A raw Boost.Context fiber: one iteration is two switches (into the fiber and back).
void BM_BoostContextSwitchPair(benchmark::State& state) {
  namespace ctx = boost::context;
  ctx::fiber f([](ctx::fiber&& caller) {
    for (;;) caller = std::move(caller).resume();
    return std::move(caller);
  });
  for (auto _ : state) f = std::move(f).resume();
  state.SetItemsProcessed(state.iterations() * 2);  // items/s = switches/s
}
BENCHMARK(BM_BoostContextSwitchPair);

// Our Fiber wrapper (same switch plus bookkeeping): resume + yield.
void BM_FiberResumeYield(benchmark::State& state) {
  StackPool pool;
  struct Loop {
    Fiber* fiber = nullptr;
    bool stop = false;
  } loop;
  Fiber fiber(
      pool,
      [](void* ctx) {
        auto& l = *static_cast<Loop*>(ctx);
        while (!l.stop) l.fiber->yield();
      },
      &loop);
  loop.fiber = &fiber;
  for (auto _ : state) fiber.resume();
  loop.stop = true;
  fiber.resume();
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_FiberResumeYield);

// A C++20 coroutine that suspends forever: one iteration is one resume (and its suspend).
struct Forever {
  struct promise_type {
    Forever get_return_object() {
      return Forever{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  std::coroutine_handle<promise_type> handle;
};

Forever spin(std::uint64_t& counter) {
  for (;;) {
    ++counter;
    co_await std::suspend_always{};
  }
}

void BM_CoroutineResume(benchmark::State& state) {
  std::uint64_t counter = 0;
  Forever co = spin(counter);
  for (auto _ : state) co.handle.resume();
  benchmark::DoNotOptimize(counter);
  co.handle.destroy();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CoroutineResume);

}  // namespace
}  // namespace kernbench::sim
