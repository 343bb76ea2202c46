// What a trace sink keeps of the tracks declared to it (TrackTable), and what a sink that forwards
// to other sinks keeps to translate its ids into theirs (TrackFanout). For sink implementations.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kernbench/sim/trace_sink.h"

namespace kernbench::sim {

/// A declared track, as a sink keeps it.
struct TrackInfo {
  std::string name;
  TrackFacts facts;
};

/// The tracks declared to one sink, by id, with the name lookup that declaring needs (records
/// then cost an index, never a name lookup).
class TrackTable {
 public:
  /// The id of `track`: the next one if its name is new (and `added` set), else its first id.
  std::pair<TrackId, bool> add(const TrackDecl& track) {
    const auto [it, added] = ids_.try_emplace(std::string(track.name), next_id());
    if (added) tracks_.push_back(TrackInfo{it->first, track.facts});
    return {it->second, added};
  }
  /// The id of the track named `name`, or nullptr if none was declared.
  const TrackId* find(std::string_view name) const {
    const auto it = ids_.find(name);
    return it == ids_.end() ? nullptr : &it->second;
  }
  const TrackInfo& operator[](TrackId id) const { return tracks_[id]; }
  std::size_t size() const { return tracks_.size(); }

 private:
  TrackId next_id() const { return static_cast<TrackId>(tracks_.size()); }
  struct NameHash {  // lets a string_view find a name without building a string
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, TrackId, NameHash, std::equal_to<>> ids_;
  std::vector<TrackInfo> tracks_;
};

/// For a sink that forwards every record to other sinks: hands out its own ids and declares each
/// new track to every receiver, keeping their ids, so a record costs one index per receiver.
class TrackFanout {
 public:
  /// Forwards to `sinks` (none null; each must outlive this object), in the given order.
  explicit TrackFanout(std::vector<TraceSink*> sinks) : sinks_(std::move(sinks)) {}

  /// Adds one more receiver, called after the existing ones (tracks declared so far are
  /// declared to it now).
  void add(TraceSink& sink) {
    const std::size_t n = sinks_.size();
    std::vector<TrackId> ids;
    ids.reserve(table_.size() * (n + 1));
    for (std::size_t t = 0; t < table_.size(); ++t) {
      ids.insert(ids.end(), ids_.begin() + static_cast<std::ptrdiff_t>(t * n),
                 ids_.begin() + static_cast<std::ptrdiff_t>((t + 1) * n));
      const TrackInfo& info = table_[static_cast<TrackId>(t)];
      ids.push_back(sink.declare(TrackDecl{info.name, info.facts}));
    }
    sinks_.push_back(&sink);
    ids_ = std::move(ids);
  }
  /// This side's id of `track`, declared to every receiver when it is new.
  TrackId declare(const TrackDecl& track) {
    const auto [id, added] = table_.add(track);
    if (added)
      for (TraceSink* sink : sinks_) ids_.push_back(sink->declare(track));
    return id;
  }
  /// Calls f(sink, its id of `track`) for every receiver, in order.
  template <class F>
  void each(TrackId track, F&& f) const {
    const TrackId* ids = ids_.data() + static_cast<std::size_t>(track) * sinks_.size();
    for (std::size_t i = 0; i < sinks_.size(); ++i) f(*sinks_[i], ids[i]);
  }
  /// Calls f(sink, its id of `a`, its id of `b`) for every receiver, in order.
  template <class F>
  void each(TrackId a, TrackId b, F&& f) const {
    const std::size_t n = sinks_.size();
    for (std::size_t i = 0; i < n; ++i)
      f(*sinks_[i], ids_[static_cast<std::size_t>(a) * n + i],
        ids_[static_cast<std::size_t>(b) * n + i]);
  }

 private:
  std::vector<TraceSink*> sinks_;
  TrackTable table_;
  std::vector<TrackId> ids_;  // per track, per receiver
};

}  // namespace kernbench::sim
