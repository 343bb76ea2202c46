// The Chrome / Perfetto trace-event JSON writer: a sim::TraceSink that streams each span and
// instant to a file as it arrives (open the file in ui.perfetto.dev or chrome://tracing).
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "kernbench/report/trace_filter.h"
#include "kernbench/sim/trace_sink.h"
#include "kernbench/sim/track_table.h"

namespace kernbench::report {

/// Writes {"traceEvents":[...],"displayTimeUnit":"ns"}, one event per line: "X" events for
/// spans, thread-scoped "i" events for instants, and for each track the first time it is seen the
/// "M" events naming (and ordering) its process and thread (see track_path.h). Times are exact:
/// integer picoseconds printed as microseconds with six decimals. Pids count processes and tids
/// count tracks, both from 1 in first-seen order, so the same run gives the same bytes; tids are
/// unique across processes so that no viewer keying threads by tid alone can merge two tracks.
/// Busy spans (sim::TraceSink::busy_span) of one name on one track that touch or overlap (or lie
/// closer than the join gap, set_join_gap) are written as one span per busy run, with args
/// "messages" (their count) and the sums of "bytes" and "elements", or a lone span's own args; runs
/// are written when the next span leaves a gap, the rest at finish(). A flow is written as a pair
/// of flow events ("ph":"s" / "f", "cat":"flow", ids from 1 in order) so Perfetto draws an arrow
/// between the spans at its ends; of the flows from one track to another, only the first whose
/// start lies in a given busy run is drawn, so arrows grow with runs, not messages.
class ChromeTraceWriter final : public sim::TraceSink {
 public:
  /// Streams to `out`, which must outlive the writer; writes the opening of the JSON at once.
  explicit ChromeTraceWriter(std::ostream& out, TraceFilter filter = {});
  /// Streams to a new file at `path`; throws base::Error if it cannot be created.
  explicit ChromeTraceWriter(const std::filesystem::path& path, TraceFilter filter = {});
  ChromeTraceWriter(const ChromeTraceWriter&) = delete;
  ChromeTraceWriter& operator=(const ChromeTraceWriter&) = delete;
  /// Finishes the JSON if finish() was not called (a write error is then silently lost).
  ~ChromeTraceWriter() override;

  sim::TrackId declare(const sim::TrackDecl& track) override;
  void span(sim::TrackId track, std::string_view name, base::SimTime start, base::SimTime end,
            std::span<const sim::TraceArg> args = {}) override;
  void instant(sim::TrackId track, std::string_view name, base::SimTime at,
               std::span<const sim::TraceArg> args = {}) override;
  void busy_span(sim::TrackId track, std::string_view name, base::SimTime start, base::SimTime end,
                 std::span<const sim::TraceArg> args = {}) override;
  void flow(sim::TrackId from_track, base::SimTime from, sim::TrackId to_track,
            base::SimTime to) override;

  /// Closes the JSON and flushes; later records are ignored. Throws base::Error if any write
  /// failed. Calling it again does nothing.
  void finish();
  /// True once finish() has run.
  bool finished() const { return finished_; }
  /// Caps the output at `bytes` (the JSON's closing included): from the first event that would
  /// pass it, no further event is written, so the file stays valid JSON and a prefix of the full
  /// trace; events_dropped() counts what was left out.
  void set_max_bytes(std::uint64_t bytes) { max_bytes_ = bytes; }
  /// Joins busy spans of one name on one track that are less than `gap` apart too (default zero:
  /// only spans that touch or overlap), so a run's idle gaps shorter than `gap` are drawn busy and
  /// the trace holds fewer spans.
  void set_join_gap(base::SimTime gap) { join_gap_ = gap; }
  /// Events written so far, metadata included.
  std::uint64_t events_written() const { return events_; }
  /// Events left out by the cap of set_max_bytes().
  std::uint64_t events_dropped() const { return dropped_; }
  /// Bytes written so far (the closing counted once finished).
  std::uint64_t bytes_written() const { return bytes_; }
  /// Distinct tracks written so far (after filtering).
  std::size_t track_count() const { return written_tracks_; }

 private:
  struct TrackIds {
    std::int32_t pid;
    std::int32_t tid;
  };
  /// Busy spans of one name on one track joined so far: written once a span leaves a gap.
  struct BusyRun {
    std::uint64_t id = 0;  // distinct per run, for flows
    base::SimTime start, end;
    std::int64_t count = 0;
    std::vector<std::pair<std::string, std::int64_t>> sums;  // of "bytes" and "elements"
    std::vector<std::pair<std::string, std::variant<std::int64_t, std::string>>> first_args;
  };
  /// A track's busy spans of one name: the open run and the last one written (for run_at).
  struct NamedRuns {
    std::string name;
    BusyRun open, last;
  };
  /// What the writer keeps per declared track, by id.
  struct Track {
    std::string name;
    bool kept = false;            // by the filter's track part
    std::optional<TrackIds> ids;  // once its metadata is written
    std::vector<NamedRuns> runs;  // by name
  };

  TrackIds ids_of(sim::TrackId track);
  std::int32_t pid_of(std::string_view process);
  void write_metadata(std::string_view kind, TrackIds ids, std::string_view name);
  void write_event(std::string_view name, std::string_view ph, TrackIds ids,
                   std::optional<base::SimTime> ts, std::optional<base::SimTime> dur,
                   std::span<const sim::TraceArg> args);
  /// A flow event ("s" start or "f" finish) bound to the span at `ts` on the track `ids`.
  void write_flow(std::string_view ph, TrackIds ids, base::SimTime ts, std::int64_t id);
  /// Writes `run` of `name` on `track` (if the filter keeps it).
  void write_run(sim::TrackId track, std::string_view name, const BusyRun& run);
  /// The id of the busy run of `track` that holds `at`, or 0.
  std::uint64_t run_at(sim::TrackId track, base::SimTime at) const;
  /// Writes line_ unless the size limit was reached.
  void emit_line();

  std::unique_ptr<std::ofstream> file_;  // set when the writer opened the file itself
  std::ostream& out_;
  std::string where_;  // "trace stream" or "trace file '<path>'", for the error message
  TraceFilter filter_;
  sim::TrackTable table_;
  std::vector<Track> tracks_;  // by id
  std::size_t written_tracks_ = 0;
  std::map<std::string, std::int32_t, std::less<>> processes_;
  std::string line_;  // the event being formatted, reused to avoid an allocation per record
  std::uint64_t events_ = 0;
  std::uint64_t dropped_ = 0;
  std::uint64_t bytes_ = 0;
  std::uint64_t max_bytes_ = std::numeric_limits<std::uint64_t>::max();
  base::SimTime join_gap_;
  bool finished_ = false;
  std::uint64_t next_run_ = 1;
  std::int64_t next_flow_ = 1;
  // (from, to) -> the run of `from` whose flow was drawn last.
  std::map<std::pair<sim::TrackId, sim::TrackId>, std::uint64_t> drawn_;
};

}  // namespace kernbench::report
