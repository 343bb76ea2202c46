// The trace of a small real simulation: valid JSON with the fields Perfetto expects, the same bytes
// on every run, and a golden file. After an intended change of the output, regenerate it with
//   KERNBENCH_UPDATE_GOLDEN=1 ctest -R ChromeTraceGolden    (then review the diff)
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "hw_tracks.h"
#include "support/golden_file.h"

#include "kernbench/report/chrome_trace_writer.h"
#include "kernbench/sim/engine.h"
#include "kernbench/sim/process.h"
#include "kernbench/sim/resource.h"

namespace kernbench::report {
namespace {

using namespace base::literals;
using base::SimTime;
using nlohmann::json;

// A host launch fanned out to two PEs that contend for one HBM slice, a vector op on a far cube
// and chunks over a mesh link of another SIP: every kind of track, out-of-order span starts
// (spans are recorded when they end), odd picosecond times and a string that needs escaping.
std::string small_run_trace() {
  std::ostringstream out;
  ChromeTraceWriter writer(out);
  sim::Engine engine;
  engine.set_trace_sink(&writer);
  sim::Resource hbm(engine, "sip0/cube0/hbm0");
  std::map<std::string, sim::TraceTrack> tracks;  // hw's tracks by name, as hw would keep them
  const auto track = [&](const std::string& name) -> sim::TraceTrack& {
    return tracks.try_emplace(name, testing::hw_track(name)).first->second;
  };

  engine.spawn("host", [&](sim::Process& p) {
    p.wait(1234_ps);  // the host link
    const sim::TraceArg args[] = {{"bytes", std::int64_t{64}}, {"kernel", "gemm \"tile\""}};
    engine.trace_span(track("sip0/host.in"), "KernelLaunch", SimTime::zero(), p.now(), args);
    p.wait(500_ps);  // the M_CPU's command latency
    engine.trace_instant(track("sip0/cube0/mcpu"), "fan-out");
  });
  for (int pe = 0; pe < 2; ++pe) {
    engine.spawn("pe", [&, pe](sim::Process& p) {
      p.wait(1734_ps);
      const SimTime asked = p.now();
      const SimTime began = hbm.use(p, 2_ns + 1_ps);
      const sim::TraceArg args[] = {{"bytes", std::int64_t{4096}}};
      engine.trace_span(track("sip0/cube0/hbm0"), "read", began, p.now(), args);
      engine.trace_span(track("sip0/cube0/pe" + std::to_string(pe) + "/dma"), "load", asked,
                        p.now(), args);
    });
  }
  engine.spawn("far", [&](sim::Process& p) {
    p.wait(1_ps);
    engine.trace_span(track("sip0/cube10/pe0/vector"), "add", 1_ps, 2_ps);
    for (int chunk = 0; chunk < 2; ++chunk) {
      const SimTime start = p.now();
      p.wait(1_ns);
      const sim::TraceArg args[] = {{"chunk", std::int64_t{chunk}}};
      engine.trace_span(track("sip1/cube2/mesh.x+"), "chunk", start, p.now(), args);
    }
  });
  engine.run();
  writer.finish();
  return out.str();
}

TEST(ChromeTraceRun, IsValidJsonWithThePerfettoFields) {
  const json trace = json::parse(small_run_trace());
  EXPECT_EQ(trace.at("displayTimeUnit"), "ns");
  const json& events = trace.at("traceEvents");
  ASSERT_FALSE(events.empty());
  for (const json& e : events) {
    for (const char* key : {"ph", "pid", "tid", "name"}) EXPECT_TRUE(e.contains(key)) << e;
    const std::string ph = e.at("ph");
    if (ph == "X") {
      EXPECT_TRUE(e.at("ts").is_number()) << e;
      EXPECT_GE(e.at("dur").get<double>(), 0.0) << e;
    } else if (ph == "i") {
      EXPECT_TRUE(e.at("ts").is_number()) << e;
      EXPECT_EQ(e.at("s"), "t") << e;
    } else {
      ASSERT_EQ(ph, "M") << e;
      const std::string name = e.at("name");
      if (name.ends_with("_name")) {
        EXPECT_TRUE(e.at("args").at("name").is_string()) << e;
      } else {
        EXPECT_TRUE(e.at("args").at("sort_index").is_number()) << e;
      }
    }
  }
}

TEST(ChromeTraceRun, TwoRunsGiveTheSameBytes) { EXPECT_EQ(small_run_trace(), small_run_trace()); }

TEST(ChromeTraceGolden, SmallRun) {
  tests::expect_matches_golden(small_run_trace(), "tests/report/golden/small_run.trace.json");
}

}  // namespace
}  // namespace kernbench::report
