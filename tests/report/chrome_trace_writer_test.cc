#include "kernbench/report/chrome_trace_writer.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "hw_tracks.h"

#include "kernbench/base/error.h"
#include "kernbench/report/track_path.h"

namespace kernbench::report {
namespace {

using namespace base::literals;
using nlohmann::json;

// The events of a finished trace, after checking the whole text is one JSON object.
json events_of(const std::string& text) {
  const json trace = json::parse(text);
  EXPECT_EQ(trace.at("displayTimeUnit"), "ns");
  return trace.at("traceEvents");
}

json events_with(const json& events, std::string_view ph) {
  json out = json::array();
  for (const json& e : events) {
    if (e.at("ph") == ph) out.push_back(e);
  }
  return out;
}

std::size_t count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ChromeTraceWriter, TimesAreExactDecimalMicroseconds) {
  std::ostringstream out;
  ChromeTraceWriter writer(out);
  writer.span(testing::track(writer, "t"), "one_ps", 0_ps, 1_ps);
  writer.span(testing::track(writer, "t"), "odd", 1_ps, 1234568_ps);
  writer.span(testing::track(writer, "t"), "hour", 0_ps, 3600_s);
  writer.instant(testing::track(writer, "t"), "before_zero", base::SimTime::from_ps(-1));
  writer.finish();
  const std::string text = out.str();
  EXPECT_NE(text.find("\"ts\":0.000000,\"dur\":0.000001"), std::string::npos) << text;
  EXPECT_NE(text.find("\"ts\":0.000001,\"dur\":1.234567"), std::string::npos) << text;
  EXPECT_NE(text.find("\"dur\":3600000000.000000"), std::string::npos) << text;
  EXPECT_NE(text.find("\"ts\":-0.000001"), std::string::npos) << text;
  EXPECT_NO_THROW(events_of(text));
}

TEST(ChromeTraceWriter, EventsCarryTheirFields) {
  std::ostringstream out;
  ChromeTraceWriter writer(out);
  const sim::TraceArg args[] = {{"bytes", std::int64_t{4096}}, {"dst", "sip0/cube1/hbm2"}};
  writer.span(testing::track(writer, "sip0/cube0/pe1/dma"), "load", 1_ns, 3_ns, args);
  writer.instant(testing::track(writer, "sip0/cube0/pe1/dma"), "done", 3_ns);
  writer.finish();
  const json events = events_of(out.str());
  const json span = events_with(events, "X").at(0);
  EXPECT_EQ(span.at("name"), "load");
  EXPECT_EQ(span.at("args"), json({{"bytes", 4096}, {"dst", "sip0/cube1/hbm2"}}));
  const json instant = events_with(events, "i").at(0);
  EXPECT_EQ(instant.at("s"), "t");
  EXPECT_FALSE(instant.contains("dur"));
  EXPECT_FALSE(instant.contains("args"));
  EXPECT_EQ(instant.at("tid"), span.at("tid"));
}

// A flow is a pair of flow events on its two tracks, at its two times, ids from 1.
TEST(ChromeTraceWriter, FlowJoinsTwoSpans) {
  std::ostringstream out;
  ChromeTraceWriter writer(out);
  writer.span(testing::track(writer, "sip0/cube0/pe0/dma"), "ipcq send", 1_ns, 3_ns);
  writer.span(testing::track(writer, "sip0/cube1/pe0/ipcq"), "descriptor", 3_ns, 4_ns);
  writer.flow(testing::track(writer, "sip0/cube0/pe0/dma"), 1_ns,
              testing::track(writer, "sip0/cube1/pe0/ipcq"), 3_ns);
  writer.finish();
  const json events = events_of(out.str());
  const json starts = events_with(events, "s"), ends = events_with(events, "f");
  ASSERT_EQ(starts.size(), 1u);
  ASSERT_EQ(ends.size(), 1u);
  const json spans = events_with(events, "X");
  EXPECT_EQ(starts[0].at("id"), 1);
  EXPECT_EQ(starts[0].at("cat"), "flow");
  EXPECT_EQ(starts[0].at("ts"), spans[0].at("ts"));
  EXPECT_EQ(starts[0].at("tid"), spans[0].at("tid"));
  EXPECT_EQ(ends[0].at("id"), 1);
  EXPECT_EQ(ends[0].at("bp"), "e");
  EXPECT_EQ(ends[0].at("ts"), spans[1].at("ts"));
  EXPECT_EQ(ends[0].at("tid"), spans[1].at("tid"));
}

// Busy spans of one name on one track that touch become one span with their count and summed
// bytes; a gap, another name or another track starts another; a lone one keeps its args.
TEST(ChromeTraceWriter, BusySpansJoinIntoRuns) {
  std::ostringstream out;
  ChromeTraceWriter writer(out);
  const sim::TraceArg one[] = {{"bytes", std::int64_t{64}}, {"to_rank", std::int64_t{1}}};
  const std::string dma = "sip0/cube0/pe0/dma";
  writer.busy_span(testing::track(writer, dma), "ipcq send", 1_ns, 2_ns, one);
  writer.busy_span(testing::track(writer, dma), "ipcq send", 2_ns, 3_ns, one);  // touches
  writer.busy_span(testing::track(writer, dma), "reduce", 2_ns, 3_ns);  // another name: its own run
  writer.busy_span(testing::track(writer, dma), "ipcq send", 3_ns, 5_ns, one);  // touches
  writer.busy_span(testing::track(writer, dma), "ipcq send", 6_ns, 7_ns,
                   one);  // a gap: a new run, alone
  writer.busy_span(testing::track(writer, "sip0/cube0/pe1/dma"), "ipcq send", 2_ns, 3_ns, one);
  writer.finish();
  const json spans = events_with(events_of(out.str()), "X");
  ASSERT_EQ(spans.size(), 4u);
  const auto ps = [](const json& us) { return std::llround(us.get<double>() * 1e6); };
  std::map<std::string, json> by;  // "name start_ps" -> span
  for (const json& e : spans)
    by[e.at("name").get<std::string>() + " " + std::to_string(ps(e.at("ts")))] = e;
  const json& run = by.at("ipcq send 1000");
  EXPECT_EQ(ps(run.at("dur")), 4000);
  EXPECT_EQ(run.at("args"), json({{"messages", 3}, {"bytes", 192}}));
  EXPECT_EQ(by.at("ipcq send 6000").at("args"), json({{"bytes", 64}, {"to_rank", 1}}));
  EXPECT_FALSE(by.at("reduce 2000").contains("args"));
  EXPECT_EQ(by.at("ipcq send 2000").at("args"), json({{"bytes", 64}, {"to_rank", 1}}));
}

// A join gap joins busy spans closer than it (the channels' busy runs, --trace-join-gap): a gap
// of exactly the join gap still starts a new run; without a join gap only touching spans join.
TEST(ChromeTraceWriter, JoinGapJoinsSpansCloserThanIt) {
  const auto spans_with = [](base::SimTime gap) {
    std::ostringstream out;
    ChromeTraceWriter writer(out);
    writer.set_join_gap(gap);
    const std::string link = "sip0/cube0/mesh.x+";
    writer.busy_span(testing::track(writer, link), "busy", 0_ns, 10_ns);
    writer.busy_span(testing::track(writer, link), "busy", 12_ns, 20_ns);  // 2 ns after
    writer.busy_span(testing::track(writer, link), "busy", 25_ns, 30_ns);  // 5 ns after
    writer.finish();
    std::vector<std::string> runs;
    for (const json& e : events_with(events_of(out.str()), "X"))
      runs.push_back(e.at("ts").dump() + "+" + e.at("dur").dump() +
                     (e.contains("args") ? " " + e.at("args").dump() : ""));
    return runs;
  };
  using Runs = std::vector<std::string>;
  EXPECT_EQ(spans_with(0_ns), (Runs{"0.0+0.01", "0.012+0.008", "0.025+0.005"}));
  EXPECT_EQ(spans_with(2_ns), (Runs{"0.0+0.01", "0.012+0.008", "0.025+0.005"}));
  EXPECT_EQ(spans_with(3_ns), (Runs{"0.0+0.02 {\"messages\":2}", "0.025+0.005"}));
  EXPECT_EQ(spans_with(6_ns), (Runs{"0.0+0.03 {\"messages\":3}"}));
}

// Of the flows from one track to another, one per busy run of the sender is drawn.
TEST(ChromeTraceWriter, OneFlowPerSenderRunAndReceiver) {
  std::ostringstream out;
  ChromeTraceWriter writer(out);
  const std::string dma = "sip0/cube0/pe0/dma", a = "sip0/cube1/pe0/ipcq",
                    b = "sip0/cube2/pe0/ipcq";
  for (int i = 0; i < 4; ++i) {  // one run of four sends, two to each receiver
    const auto at = base::SimTime::from_ps(1000 * i);
    writer.busy_span(testing::track(writer, dma), "ipcq send", at, at + 1_ns);
    writer.flow(testing::track(writer, dma), at, testing::track(writer, i % 2 == 0 ? a : b),
                at + 2_ns);
  }
  writer.busy_span(testing::track(writer, dma), "ipcq send", 10_ns,
                   11_ns);  // after a gap: a new run
  writer.flow(testing::track(writer, dma), 10_ns, testing::track(writer, a), 12_ns);
  writer.finish();
  const json events = events_of(out.str());
  const json starts = events_with(events, "s");
  ASSERT_EQ(starts.size(), 3u);  // a and b from the first run, a from the second
  EXPECT_EQ(std::llround(starts[0].at("ts").get<double>() * 1e6), 0);
  EXPECT_EQ(std::llround(starts[1].at("ts").get<double>() * 1e6), 1000);
  EXPECT_EQ(std::llround(starts[2].at("ts").get<double>() * 1e6), 10000);
  EXPECT_EQ(events_with(events, "f").size(), 3u);
}

TEST(ChromeTraceWriter, EscapesStrings) {
  const std::string nasty =
      "a\"b\\c\nd\te\x01"
      "f \xC2\xB5s";  // ends in "µs", valid UTF-8
  std::ostringstream out;
  ChromeTraceWriter writer(out);
  const sim::TraceArg args[] = {{"why \"quoted\"", nasty}};
  writer.span(testing::track(writer, "sip0/we\"ird\\track"), nasty, 0_ps, 1_ps, args);
  writer.instant(testing::track(writer, "t"), "bad utf-8 \xff\xfe", 0_ps);
  writer.finish();
  const std::string text = out.str();
  EXPECT_NE(text.find(R"("a\"b\\c\nd\te\u0001f µs")"), std::string::npos) << text;
  const json events = events_of(text);
  const json span = events_with(events, "X").at(0);
  EXPECT_EQ(span.at("name"), nasty);
  EXPECT_EQ(span.at("args").at("why \"quoted\""), nasty);
  EXPECT_EQ(events.at(2).at("args").at("name"), "we\"ird\\track");
  // Invalid UTF-8 is replaced (U+FFFD) rather than breaking the file or throwing.
  EXPECT_EQ(events_with(events, "i").at(0).at("name"), "bad utf-8 \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(ChromeTraceWriter, MetadataOncePerTrackAndProcess) {
  std::ostringstream out;
  ChromeTraceWriter writer(out);
  for (int i = 0; i < 3; ++i)
    writer.span(testing::track(writer, "sip0/cube3/pe5/dma"), "load", 0_ps, 1_ps);
  writer.instant(testing::track(writer, "sip0/cube3/pe5/vector"), "tick", 1_ps);
  writer.instant(testing::track(writer, "sip0/cube3/pe5/dma"), "tick", 2_ps);
  writer.finish();
  const std::string text = out.str();
  EXPECT_EQ(count(text, "\"process_name\""), 1u);
  EXPECT_EQ(count(text, "\"process_sort_index\""), 1u);
  EXPECT_EQ(count(text, "\"thread_name\""), 2u);
  EXPECT_EQ(count(text, "\"thread_sort_index\""), 2u);
  EXPECT_EQ(writer.track_count(), 2u);
  EXPECT_EQ(writer.events_written(), 2u + 4u + 5u);
  // Each event is one line, between the opening and the closing lines.
  EXPECT_EQ(count(text, "\n"), 1u + writer.events_written() + 2u);
}

TEST(ChromeTraceWriter, IdsInFirstSeenOrderAndStable) {
  std::ostringstream out;
  ChromeTraceWriter writer(out);
  const char* tracks[] = {"sip1/cube0/pe0/dma", "sip0/host.in", "sip1/cube0/pe0/dma", "host",
                          "sip1/cube0/hbm0",    "sip0/host.in"};
  for (const char* track : tracks) writer.instant(testing::track(writer, track), "x", 0_ps);
  writer.finish();
  const json instants = events_with(events_of(out.str()), "i");
  const std::pair<int, int> expected[] = {{1, 1}, {2, 2}, {1, 1}, {3, 3}, {1, 4}, {2, 2}};
  ASSERT_EQ(instants.size(), std::size(expected));
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    EXPECT_EQ(instants[i].at("pid"), expected[i].first) << tracks[i];
    EXPECT_EQ(instants[i].at("tid"), expected[i].second) << tracks[i];
  }
}

TEST(ChromeTraceWriter, NamesAndSortsProcessesAndThreads) {
  std::ostringstream out;
  ChromeTraceWriter writer(out);
  writer.instant(testing::track(writer, "sip0/host.in"), "x", 0_ps);
  writer.finish();
  const json meta = events_with(events_of(out.str()), "M");
  ASSERT_EQ(meta.size(), 4u);
  EXPECT_EQ(meta[0].at("name"), "process_name");
  EXPECT_EQ(meta[0].at("args").at("name"), "sip0");
  EXPECT_EQ(meta[0].at("tid"), 0);
  EXPECT_EQ(meta[1].at("name"), "process_sort_index");
  EXPECT_EQ(meta[1].at("args").at("sort_index"), natural_sort_index("sip0"));
  EXPECT_EQ(meta[2].at("name"), "thread_name");
  EXPECT_EQ(meta[2].at("args").at("name"), "host.in");
  EXPECT_EQ(meta[3].at("name"), "thread_sort_index");
  EXPECT_EQ(meta[3].at("args").at("sort_index"), natural_sort_index("host.in"));
}

TEST(ChromeTraceWriter, StreamsEachRecordAsItArrives) {
  std::ostringstream out;
  ChromeTraceWriter writer(out);
  EXPECT_EQ(out.str(), "{\"traceEvents\":[");
  writer.span(testing::track(writer, "t"), "first", 0_ps, 1_ps);
  EXPECT_NE(out.str().find("\"first\""), std::string::npos);
}

// Capped, the file is a valid prefix of the whole trace: every event up to the first that would
// pass the cap, none after it (even a smaller one), and the count of those left out.
TEST(ChromeTraceWriter, CapKeepsAValidPrefix) {
  std::ostringstream whole;
  {
    ChromeTraceWriter writer(whole);
    for (int i = 0; i < 100; ++i)
      writer.span(testing::track(writer, "sip0/cube0/pe0/dma"), "copy", 0_ps, 1_ps);
  }
  std::ostringstream out;
  ChromeTraceWriter writer(out);
  writer.set_max_bytes(2000);
  for (int i = 0; i < 100; ++i)
    writer.span(testing::track(writer, "sip0/cube0/pe0/dma"), "copy", 0_ps, 1_ps);
  writer.instant(testing::track(writer, "t"), "x", 0_ps);
  writer.finish();
  EXPECT_LE(out.str().size(), 2000u);
  EXPECT_EQ(writer.bytes_written(), out.str().size());
  const json events = events_of(out.str());
  EXPECT_EQ(events.size(), writer.events_written());
  EXPECT_EQ(writer.events_written() + writer.events_dropped(), 100u + 1 + 2 * 4);  // + metadata
  EXPECT_GT(writer.events_dropped(), 1u);
  const std::string body = out.str().substr(0, out.str().rfind("\n],"));
  EXPECT_EQ(whole.str().substr(0, body.size()), body);
}

TEST(ChromeTraceWriter, EmptyTraceIsValid) {
  std::ostringstream out;
  { ChromeTraceWriter writer(out); }
  EXPECT_TRUE(events_of(out.str()).empty());
}

TEST(ChromeTraceWriter, DestructorClosesAndFinishIsIdempotent) {
  std::ostringstream out;
  {
    ChromeTraceWriter writer(out);
    writer.instant(testing::track(writer, "t"), "x", 0_ps);
  }
  EXPECT_EQ(events_of(out.str()).size(), 5u);

  std::ostringstream twice;
  ChromeTraceWriter writer(twice);
  writer.finish();
  writer.instant(testing::track(writer, "t"), "ignored", 0_ps);
  writer.finish();
  EXPECT_TRUE(writer.finished());
  EXPECT_TRUE(events_of(twice.str()).empty());
}

TEST(ChromeTraceWriter, FilterDropsRecordsAndTheirMetadata) {
  std::ostringstream out;
  TraceFilter filter{.track_prefixes = {"sip1"}};
  filter.to = 10_ns;
  ChromeTraceWriter writer(out, filter);
  writer.span(testing::track(writer, "sip0/cube0/pe0/dma"), "dropped", 0_ps, 1_ps);
  writer.span(testing::track(writer, "sip1/cube0/pe0/dma"), "kept", 0_ps, 1_ps);
  writer.instant(testing::track(writer, "sip1/cube0/pe0/dma"), "late", 10_ns);
  writer.finish();
  const json events = events_of(out.str());
  EXPECT_EQ(events.size(), 5u);
  EXPECT_EQ(events_with(events, "X").at(0).at("pid"), 1);
  EXPECT_EQ(writer.track_count(), 1u);
}

// The filter reads a track's kind and coordinates from its declaration, never from its name.
TEST(ChromeTraceWriter, FilterReadsTheDeclarationNotTheName) {
  std::ostringstream out;
  ChromeTraceWriter writer(out, parse_trace_filter("pe=2,unit=dma"));
  const sim::TrackFacts dma{static_cast<std::uint16_t>(hw::TrackKind::dma), 0, 1, 2};
  writer.span(writer.declare({"any name", dma}), "kept", 1_ns, 2_ns);
  writer.span(writer.declare({"sip0/cube1/pe2/dma"}), "no facts: no unit", 1_ns, 2_ns);
  writer.finish();
  const json spans = events_with(events_of(out.str()), "X");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans.at(0).at("name"), "kept");
}

TEST(ChromeTraceWriter, CommandLineFilterKeepsUnitKindsOfChosenPes) {
  std::ostringstream out;
  ChromeTraceWriter writer(out, parse_trace_filter("cube=1,pe=2,unit=dma|hbm,from=1ns"));
  writer.span(testing::track(writer, "sip0/cube1/pe2/dma"), "kept", 1_ns, 2_ns);
  writer.span(testing::track(writer, "sip0/cube1/pe2/vector"), "another unit", 1_ns, 2_ns);
  writer.span(testing::track(writer, "sip0/cube1/pe3/dma"), "another PE", 1_ns, 2_ns);
  writer.span(testing::track(writer, "sip0/cube2/pe2/dma"), "another cube", 1_ns, 2_ns);
  writer.span(testing::track(writer, "sip0/cube1/hbm4"), "the cube's memory, kept", 1_ns, 2_ns);
  writer.span(testing::track(writer, "sip0/cube1/pe2/dma"), "too early", 0_ns, 1_ns);
  writer.finish();
  const json spans = events_with(events_of(out.str()), "X");
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans.at(0).at("name"), "kept");
  EXPECT_EQ(spans.at(1).at("name"), "the cube's memory, kept");
}

TEST(ChromeTraceWriter, WritesAFile) {
  const auto path = std::filesystem::path(KERNBENCH_BINARY_DIR) / "report_writer_test.trace.json";
  {
    ChromeTraceWriter writer(path);
    writer.span(testing::track(writer, "sip0/host.in"), "write", 0_ps, 1_ns);
    writer.finish();
  }
  std::ifstream in(path);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_EQ(events_of(text).size(), 5u);
  std::filesystem::remove(path);
}

TEST(ChromeTraceWriterErrors, UncreatableFileNamesThePath) {
  try {
    ChromeTraceWriter writer(std::filesystem::path("/nonexistent-dir/x.json"));
    FAIL() << "no error";
  } catch (const base::Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot create trace file '/nonexistent-dir/x.json': No such file or directory");
  }
}

TEST(ChromeTraceWriterErrors, FailedWriteIsReportedByFinish) {
  std::ostringstream out;
  ChromeTraceWriter writer(out);
  out.setstate(std::ios::badbit);
  writer.instant(testing::track(writer, "t"), "x", 0_ps);  // never throws from the sink itself
  try {
    writer.finish();
    FAIL() << "no error";
  } catch (const base::Error& e) {
    EXPECT_EQ(std::string(e.what()), "writing the trace stream failed");
  }
}

}  // namespace
}  // namespace kernbench::report
