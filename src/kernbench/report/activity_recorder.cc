#include "kernbench/report/activity_recorder.h"

#include <algorithm>
#include <array>

namespace kernbench::report {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Compares the digit runs starting at a[i] and b[j] as numbers and advances past them.
int compare_numbers(std::string_view a, std::size_t& i, std::string_view b, std::size_t& j) {
  while (i + 1 < a.size() && a[i] == '0' && is_digit(a[i + 1])) ++i;  // leading zeros
  while (j + 1 < b.size() && b[j] == '0' && is_digit(b[j + 1])) ++j;
  std::size_t ie = i, je = j;
  while (ie < a.size() && is_digit(a[ie])) ++ie;
  while (je < b.size() && is_digit(b[je])) ++je;
  int result = 0;
  if (ie - i != je - j)
    result = ie - i < je - j ? -1 : 1;
  else if (const int c = a.substr(i, ie - i).compare(b.substr(j, je - j)); c != 0)
    result = c < 0 ? -1 : 1;
  i = ie;
  j = je;
  return result;
}

}  // namespace

bool NaturalLess::operator()(std::string_view a, std::string_view b) const {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      if (const int c = compare_numbers(a, i, b, j); c != 0) return c < 0;
      continue;
    }
    if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
    ++i;
    ++j;
  }
  if (i < a.size() || j < b.size()) return j < b.size() && i >= a.size();
  return a < b;  // equal as numbers ("a01" vs "a1"): plain order keeps the ordering strict
}

sim::TrackId ActivityRecorder::declare(const sim::TrackDecl& track) {
  const auto [id, added] = table_.add(track);
  if (added) {
    busy_.emplace_back();
    known_.push_back(0);
  }
  return id;
}

void ActivityRecorder::span(sim::TrackId track, std::string_view /*name*/, base::SimTime start,
                            base::SimTime end, std::span<const sim::TraceArg> /*args*/) {
  if (!known_[track]) [[unlikely]] {
    known_[track] = 1;
    ++known_count_;
  }
  if (end <= start) return;
  busy_[track].add(Interval{start, end}, arena_);
  if (!extent_) extent_ = Interval{start, end};
  extent_->start = std::min(extent_->start, start);
  extent_->end = std::max(extent_->end, end);
}

void ActivityRecorder::instant(sim::TrackId, std::string_view, base::SimTime,
                               std::span<const sim::TraceArg>) {}

std::span<const sim::TrackId> ActivityRecorder::track_ids() const {
  if (sorted_.size() != known_count_) {  // a track became known since the last sort
    sorted_.clear();
    for (sim::TrackId id = 0; id < known_.size(); ++id)
      if (known_[id]) sorted_.push_back(id);
    std::ranges::sort(sorted_, NaturalLess{},
                      [this](sim::TrackId id) -> std::string_view { return table_[id].name; });
  }
  return sorted_;
}

std::vector<std::string> ActivityRecorder::tracks() const {
  std::vector<std::string> names;
  names.reserve(known_count_);
  for (const sim::TrackId id : track_ids()) names.push_back(table_[id].name);
  return names;
}

std::vector<Interval> ActivityRecorder::intervals(std::string_view track) const {
  const sim::TrackId* id = table_.find(track);
  if (id == nullptr) return {};
  return busy_[*id].intervals();
}

base::SimTime ActivityRecorder::busy_time(sim::TrackId track, base::SimTime from,
                                          base::SimTime to) const {
  return busy_[track].busy_time(from, to);
}

base::SimTime ActivityRecorder::busy_time(std::string_view track, base::SimTime from,
                                          base::SimTime to) const {
  const sim::TrackId* id = table_.find(track);
  if (id == nullptr) return base::SimTime::zero();
  return busy_time(*id, from, to);
}

std::optional<Interval> ActivityRecorder::extent() const { return extent_; }

std::array<std::optional<Busiest>, 3> ActivityRecorder::busiest_of_kinds(base::SimTime from,
                                                                         base::SimTime to) const {
  std::array<std::optional<Busiest>, 3> found;
  if (to <= from) return found;
  struct Best {
    std::optional<sim::TrackId> track;
    base::SimTime busy;
    int equally_busy = 0;
  };
  std::array<Best, 3> best{};  // by ResourceKind
  for (const sim::TrackId id : track_ids()) {
    if (busy_[id].empty()) continue;
    const std::optional<ResourceKind> kind = resource_kind(table_[id].facts);
    if (!kind) continue;
    Best& b = best[static_cast<std::size_t>(*kind)];
    const base::SimTime busy = busy_time(id, from, to);
    if (busy < b.busy || busy == base::SimTime::zero()) continue;
    if (busy == b.busy) {  // a tie keeps the earlier track
      ++b.equally_busy;
      continue;
    }
    b = Best{id, busy, 0};
  }
  for (std::size_t k = 0; k < best.size(); ++k) {
    if (!best[k].track) continue;
    const sim::TrackInfo& track = table_[*best[k].track];
    found[k] =
        Busiest{static_cast<ResourceKind>(k), describe_track(track.facts)->text, track.name,
                static_cast<double>(best[k].busy.ps()) / static_cast<double>((to - from).ps()),
                best[k].equally_busy};
  }
  return found;
}

std::optional<Busiest> ActivityRecorder::busiest(ResourceKind kind, base::SimTime from,
                                                 base::SimTime to) const {
  return busiest_of_kinds(from, to)[static_cast<std::size_t>(kind)];
}

std::vector<Busiest> ActivityRecorder::busiest_by_kind(base::SimTime from, base::SimTime to) const {
  std::vector<Busiest> found;
  for (std::optional<Busiest>& b : busiest_of_kinds(from, to))  // unit, link, memory
    if (b) found.push_back(std::move(*b));
  return found;
}

}  // namespace kernbench::report
