#include "kernbench/sim/recording_trace_sink.h"

#include <fmt/format.h>

namespace kernbench::sim {
namespace {

std::vector<std::pair<std::string, std::string>> copy_args(std::span<const TraceArg> args) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(args.size());
  for (const TraceArg& a : args) {
    std::string value = std::visit([](auto v) { return fmt::format("{}", v); }, a.value);
    out.emplace_back(std::string(a.key), std::move(value));
  }
  return out;
}

}  // namespace

void RecordingTraceSink::span(TrackId track, std::string_view name, base::SimTime start,
                              base::SimTime end, std::span<const TraceArg> args) {
  records_.push_back(
      Record{tracks_[track].name, std::string(name), start, end, false, copy_args(args)});
}

void RecordingTraceSink::instant(TrackId track, std::string_view name, base::SimTime at,
                                 std::span<const TraceArg> args) {
  records_.push_back(Record{tracks_[track].name, std::string(name), at, at, true, copy_args(args)});
}

void RecordingTraceSink::flow(TrackId from_track, base::SimTime from, TrackId to_track,
                              base::SimTime to) {
  flows_.push_back(Flow{tracks_[from_track].name, from, tracks_[to_track].name, to});
}

}  // namespace kernbench::sim
