// The trace-event sink interface every layer records into: a track is declared once (what it is
// and where, and its display name) and gets a small id; spans, instants and flows then name the
// track by id. Writers (Chrome/Perfetto JSON in `report`, the in-memory recorder for tests)
// implement it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "kernbench/base/units.h"

namespace kernbench::sim {

/// A track's id in the sink it was declared to: dense, from 0 in the order of first declaration.
using TrackId = std::uint32_t;

/// What a track is and where, in the declaring layer's terms: sim gives the numbers no meaning.
/// hw declares its tracks with a kind of its own (hw/trace_track.h) and the coordinates that apply
/// to it; `report` reads them to name resources, lay out timelines and filter, never the name.
struct TrackFacts {
  static constexpr std::int32_t kNone = -1;  // a coordinate the track does not have
  std::uint16_t kind = 0;                    // the declaring layer's code; 0: not a resource
  std::int32_t sip = kNone;
  std::int32_t cube = kNone;
  std::int32_t pe = kNone;
  std::int32_t index = kNone;  // which one of its kind at that place: a slice, a direction, an end
  bool operator==(const TrackFacts&) const = default;
};

/// A track as declared: its facts and its display name, a unique slash-separated path
/// ("sip0/cube3/pe5/dma") that writers show, group by and filter on by prefix.
struct TrackDecl {
  std::string_view name;
  TrackFacts facts{};
};

/// One small key/value annotation of a span or instant (a number or a short text).
struct TraceArg {
  std::string_view key;
  std::variant<std::int64_t, std::string_view> value;
};

/// Receives what the simulation did, as spans and instants on declared tracks.
///
/// Contract: a track is declared before its first record and referred to by the id this sink
/// returned for it; declaring a name again returns the id of its first declaration (whose facts
/// stay). Records arrive in simulation order of their *recording* (a span is recorded when it
/// ends, so start times are not sorted); end >= start; every string_view and the args span are
/// valid only during the call, so a sink copies what it keeps; a sink never throws for a valid
/// record and never calls back into the engine.
class TraceSink {
 public:
  virtual ~TraceSink() = default;
  /// Declares `track` and returns its id here (its first id if the name was declared before).
  virtual TrackId declare(const TrackDecl& track) = 0;
  /// Records that `name` occupied `track` from `start` to `end`.
  virtual void span(TrackId track, std::string_view name, base::SimTime start, base::SimTime end,
                    std::span<const TraceArg> args = {}) = 0;
  /// Records a point event `name` on `track` at `at`.
  virtual void instant(TrackId track, std::string_view name, base::SimTime at,
                       std::span<const TraceArg> args = {}) = 0;
  /// Records one of many short spans that together keep `track` busy (a collective's messages):
  /// the same as span, except that a writer may join it to the previous `name` span of `track`
  /// when they touch or overlap, keeping their count and the sums of "bytes" and "elements"
  /// instead of each one's args. Default: span.
  virtual void busy_span(TrackId track, std::string_view name, base::SimTime start,
                         base::SimTime end, std::span<const TraceArg> args = {}) {
    span(track, name, start, end, args);
  }
  /// Records that what happened on `from_track` at `from` caused what happened on `to_track` at
  /// `to` (a message's send and its arrival; from <= to), each inside a span recorded on its
  /// track. Recorded once both spans are; a writer may draw an arrow, or leave out arrows that
  /// repeat one already drawn. Default: ignored.
  virtual void flow([[maybe_unused]] TrackId from_track, [[maybe_unused]] base::SimTime from,
                    [[maybe_unused]] TrackId to_track, [[maybe_unused]] base::SimTime to) {}
};

/// A component's track: its declaration, kept, and its id in the sink it last recorded into. The
/// track is declared to a sink on first use there, so nothing is declared while no sink listens.
/// The sink must outlive the track's use of its id (as an engine's sink outlives the machine
/// that records into it).
class TraceTrack {
 public:
  TraceTrack() = default;
  /// A track named `name` (implicit, so a plain name is a track without facts).
  TraceTrack(std::string name, TrackFacts facts = {})  // NOLINT(google-explicit-constructor)
      : name_(std::move(name)), facts_(facts) {}
  TraceTrack(const char* name) : TraceTrack(std::string(name)) {}  // NOLINT
  // Copies start undeclared: their id belongs to the original's sink only by chance.
  TraceTrack(const TraceTrack& other) : name_(other.name_), facts_(other.facts_) {}
  TraceTrack& operator=(const TraceTrack& other) {
    name_ = other.name_;
    facts_ = other.facts_;
    sink_ = nullptr;
    return *this;
  }

  /// Its id in `sink`, declaring it there unless `sink` is the sink it last met.
  TrackId id_in(TraceSink& sink) {
    if (&sink != sink_) [[unlikely]] {
      id_ = sink.declare(decl());
      sink_ = &sink;
    }
    return id_;
  }
  const std::string& name() const { return name_; }
  const TrackFacts& facts() const { return facts_; }
  TrackDecl decl() const { return TrackDecl{name_, facts_}; }

 private:
  std::string name_;
  TrackFacts facts_;
  TraceSink* sink_ = nullptr;
  TrackId id_ = 0;
};

}  // namespace kernbench::sim
