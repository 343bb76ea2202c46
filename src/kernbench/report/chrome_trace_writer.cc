#include "kernbench/report/chrome_trace_writer.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <optional>
#include <utility>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "kernbench/base/error.h"
#include "kernbench/report/track_path.h"

namespace kernbench::report {
namespace {

constexpr std::string_view kOpening = "{\"traceEvents\":[";
constexpr std::string_view kClosing = "\n],\n\"displayTimeUnit\":\"ns\"}\n";
constexpr std::int32_t kNoThread = 0;  // tid of process-scoped metadata
// The args of busy spans a run adds up (the others it keeps only for a lone span).
constexpr std::array<std::string_view, 2> kSummedArgs{"bytes", "elements"};

// Exact decimal microseconds: integer ps split at 10^6, so 1 ps prints as 0.000001.
void append_time(std::string& out, base::SimTime t) {
  const std::int64_t ps = t.ps();
  const std::uint64_t magnitude =
      ps < 0 ? ~static_cast<std::uint64_t>(ps) + 1 : static_cast<std::uint64_t>(ps);
  fmt::format_to(std::back_inserter(out), "{}{}.{:06}", ps < 0 ? "-" : "", magnitude / 1'000'000,
                 magnitude % 1'000'000);
}

// Plain printable ASCII (the usual track, event and key names) is copied as is; anything else goes
// through nlohmann-json, which escapes control characters and replaces invalid UTF-8 rather than
// throwing, as the sink contract requires.
void append_string(std::string& out, std::string_view s) {
  const bool plain =
      std::ranges::all_of(s, [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  if (plain) {
    out += '"';
    out += s;
    out += '"';
    return;
  }
  out +=
      nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void append_args(std::string& out, std::span<const sim::TraceArg> args) {
  if (args.empty()) return;
  out += ",\"args\":{";
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += ',';
    append_string(out, args[i].key);
    out += ':';
    if (const auto* number = std::get_if<std::int64_t>(&args[i].value)) {
      fmt::format_to(std::back_inserter(out), "{}", *number);
    } else {
      append_string(out, std::get<std::string_view>(args[i].value));
    }
  }
  out += '}';
}

std::unique_ptr<std::ofstream> open_file(const std::filesystem::path& path) {
  auto file = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
  if (!*file) {
    throw base::Error(
        fmt::format("cannot create trace file '{}': {}", path.string(), std::strerror(errno)));
  }
  return file;
}

}  // namespace

ChromeTraceWriter::ChromeTraceWriter(std::ostream& out, TraceFilter filter)
    : out_(out), where_("trace stream"), filter_(std::move(filter)) {
  out_ << kOpening;
  bytes_ = kOpening.size();
}

ChromeTraceWriter::ChromeTraceWriter(const std::filesystem::path& path, TraceFilter filter)
    : file_(open_file(path)),
      out_(*file_),
      where_("trace file '" + path.string() + "'"),
      filter_(std::move(filter)) {
  out_ << kOpening;
  bytes_ = kOpening.size();
}

ChromeTraceWriter::~ChromeTraceWriter() {
  try {
    finish();
  } catch (...) {
    // A destructor cannot report a failed write; callers who care call finish() themselves.
  }
}

sim::TrackId ChromeTraceWriter::declare(const sim::TrackDecl& track) {
  const auto [id, added] = table_.add(track);
  if (added)
    tracks_.push_back(Track{
        std::string(track.name), filter_.keeps_track(track.name, track.facts), std::nullopt, {}});
  return id;
}

void ChromeTraceWriter::span(sim::TrackId track, std::string_view name, base::SimTime start,
                             base::SimTime end, std::span<const sim::TraceArg> args) {
  if (finished_ || !tracks_[track].kept || !filter_.keeps_span(start, end)) return;
  write_event(name, "X", ids_of(track), start, end - start, args);
}

void ChromeTraceWriter::busy_span(sim::TrackId track, std::string_view name, base::SimTime start,
                                  base::SimTime end, std::span<const sim::TraceArg> args) {
  if (finished_) return;
  std::vector<NamedRuns>& by_name = tracks_[track].runs;
  auto named = std::ranges::find(by_name, name, &NamedRuns::name);
  if (named == by_name.end()) {  // kept in name order, as run_at and finish() walk them
    named = std::ranges::upper_bound(by_name, name, {}, &NamedRuns::name);
    named = by_name.insert(named, NamedRuns{std::string(name), {}, {}});
  }
  BusyRun& run = named->open;
  // Spans arrive by end time, so a span that does not reach back to the run (or to within the
  // join gap of its end) starts a new one.
  if (run.count > 0 && start - run.end >= std::max(join_gap_, base::SimTime::from_ps(1))) {
    write_run(track, name, run);
    named->last = std::move(run);
    run = BusyRun{};
  }
  if (run.count == 0) {
    run.id = next_run_++;
    run.start = start;
    for (const sim::TraceArg& a : args) {
      std::variant<std::int64_t, std::string> value;
      if (const auto* n = std::get_if<std::int64_t>(&a.value))
        value = *n;
      else
        value = std::string(std::get<std::string_view>(a.value));
      run.first_args.emplace_back(std::string(a.key), std::move(value));
    }
  }
  run.start = std::min(run.start, start);
  run.end = std::max(run.end, end);
  ++run.count;
  for (const sim::TraceArg& a : args) {
    const auto* n = std::get_if<std::int64_t>(&a.value);
    if (n == nullptr || std::ranges::find(kSummedArgs, a.key) == kSummedArgs.end()) continue;
    auto sum = std::ranges::find(run.sums, a.key, &std::pair<std::string, std::int64_t>::first);
    if (sum == run.sums.end()) sum = run.sums.insert(sum, {std::string(a.key), 0});
    sum->second += *n;
  }
}

void ChromeTraceWriter::write_run(sim::TrackId track, std::string_view name, const BusyRun& run) {
  if (!tracks_[track].kept || !filter_.keeps_span(run.start, run.end)) return;
  std::vector<sim::TraceArg> args;
  if (run.count == 1) {
    for (const auto& [key, value] : run.first_args)
      args.push_back(
          {key,
           std::visit([](const auto& v) { return std::variant<std::int64_t, std::string_view>(v); },
                      value)});
  } else {
    args.push_back({"messages", run.count});
    for (const auto& [key, sum] : run.sums) args.push_back({key, sum});
  }
  write_event(name, "X", ids_of(track), run.start, run.end - run.start, args);
}

std::uint64_t ChromeTraceWriter::run_at(sim::TrackId track, base::SimTime at) const {
  for (const NamedRuns& runs : tracks_[track].runs)
    for (const BusyRun* r : {&runs.open, &runs.last})
      if (r->count > 0 && r->start <= at && at <= r->end) return r->id;
  return 0;
}

void ChromeTraceWriter::flow(sim::TrackId from_track, base::SimTime from, sim::TrackId to_track,
                             base::SimTime to) {
  if (finished_ || !tracks_[from_track].kept || !filter_.keeps_instant(from) ||
      !tracks_[to_track].kept || !filter_.keeps_instant(to))
    return;
  // One arrow per busy run of the sender towards each receiver track.
  if (const std::uint64_t run = run_at(from_track, from); run != 0) {
    const auto [it, added] = drawn_.try_emplace({from_track, to_track}, run);
    if (!added && it->second == run) return;
    it->second = run;
  }
  const std::int64_t id = next_flow_++;
  write_flow("s", ids_of(from_track), from, id);
  write_flow("f", ids_of(to_track), to, id);
}

void ChromeTraceWriter::instant(sim::TrackId track, std::string_view name, base::SimTime at,
                                std::span<const sim::TraceArg> args) {
  if (finished_ || !tracks_[track].kept || !filter_.keeps_instant(at)) return;
  write_event(name, "i", ids_of(track), at, std::nullopt, args);
}

void ChromeTraceWriter::finish() {
  if (finished_) return;
  // The open runs, in track name and span name order.
  std::vector<sim::TrackId> open;
  for (sim::TrackId id = 0; id < tracks_.size(); ++id)
    if (!tracks_[id].runs.empty()) open.push_back(id);
  std::ranges::sort(open, {},
                    [this](sim::TrackId id) -> std::string_view { return tracks_[id].name; });
  for (const sim::TrackId id : open)
    for (const NamedRuns& runs : tracks_[id].runs)
      if (runs.open.count > 0) write_run(id, runs.name, runs.open);
  finished_ = true;
  out_ << kClosing;
  bytes_ += kClosing.size();
  out_.flush();
  if (!out_) throw base::Error("writing the " + where_ + " failed");
}

ChromeTraceWriter::TrackIds ChromeTraceWriter::ids_of(sim::TrackId track) {
  Track& t = tracks_[track];
  if (t.ids) return *t.ids;
  const TrackPath path = split_track(t.name);
  t.ids = TrackIds{pid_of(path.process), static_cast<std::int32_t>(++written_tracks_)};
  write_metadata("thread", *t.ids, path.thread);
  return *t.ids;
}

std::int32_t ChromeTraceWriter::pid_of(std::string_view process) {
  if (const auto it = processes_.find(process); it != processes_.end()) return it->second;
  const auto pid = static_cast<std::int32_t>(processes_.size() + 1);
  processes_.emplace(std::string(process), pid);
  write_metadata("process", TrackIds{pid, kNoThread}, process);
  return pid;
}

void ChromeTraceWriter::write_metadata(std::string_view kind, TrackIds ids, std::string_view name) {
  const sim::TraceArg name_arg{"name", name};
  const sim::TraceArg sort_arg{"sort_index", std::int64_t{natural_sort_index(name)}};
  write_event(std::string(kind) + "_name", "M", ids, std::nullopt, std::nullopt, {&name_arg, 1});
  write_event(std::string(kind) + "_sort_index", "M", ids, std::nullopt, std::nullopt,
              {&sort_arg, 1});
}

void ChromeTraceWriter::write_event(std::string_view name, std::string_view ph, TrackIds ids,
                                    std::optional<base::SimTime> ts,
                                    std::optional<base::SimTime> dur,
                                    std::span<const sim::TraceArg> args) {
  line_.assign(events_ == 0 ? "\n{\"name\":" : ",\n{\"name\":");
  append_string(line_, name);
  fmt::format_to(std::back_inserter(line_), ",\"ph\":\"{}\"", ph);
  if (ph == "i") line_ += ",\"s\":\"t\"";
  if (ts) {
    line_ += ",\"ts\":";
    append_time(line_, *ts);
  }
  if (dur) {
    line_ += ",\"dur\":";
    append_time(line_, *dur);
  }
  fmt::format_to(std::back_inserter(line_), ",\"pid\":{},\"tid\":{}", ids.pid, ids.tid);
  append_args(line_, args);
  line_ += '}';
  emit_line();
}

void ChromeTraceWriter::write_flow(std::string_view ph, TrackIds ids, base::SimTime ts,
                                   std::int64_t id) {
  line_.assign(events_ == 0 ? "\n{\"name\":\"message\"" : ",\n{\"name\":\"message\"");
  fmt::format_to(std::back_inserter(line_), ",\"cat\":\"flow\",\"ph\":\"{}\",\"id\":{}", ph, id);
  if (ph == "f") line_ += ",\"bp\":\"e\"";
  line_ += ",\"ts\":";
  append_time(line_, ts);
  fmt::format_to(std::back_inserter(line_), ",\"pid\":{},\"tid\":{}}}", ids.pid, ids.tid);
  emit_line();
}

void ChromeTraceWriter::emit_line() {
  // Once one event is dropped every later one is, so the file is a prefix of the whole trace.
  if (dropped_ > 0 || line_.size() + kClosing.size() > max_bytes_ - std::min(max_bytes_, bytes_)) {
    ++dropped_;
    return;
  }
  out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
  bytes_ += line_.size();
  ++events_;
}

}  // namespace kernbench::report
