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

// Merges `add` into the sorted, disjoint, non-touching `list`.
void merge_into(std::vector<Interval>& list, Interval add) {
  if (list.empty() || add.start > list.back().end) {
    list.push_back(add);  // the usual case: spans arrive roughly in time order
    return;
  }
  if (add.start >= list.back().start) {
    list.back().end = std::max(list.back().end, add.end);
    return;
  }
  // First interval that ends at or after add.start, first that starts after add.end.
  const auto first = std::ranges::lower_bound(list, add.start, {}, &Interval::end);
  const auto last = std::ranges::upper_bound(list, add.end, {}, &Interval::start);
  if (first == last) {
    list.insert(first, add);
    return;
  }
  const Interval merged{std::min(add.start, first->start), std::max(add.end, (last - 1)->end)};
  const auto at = list.erase(first, last);
  list.insert(at, merged);
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

void ActivityRecorder::span(std::string_view track, std::string_view /*name*/, base::SimTime start,
                            base::SimTime end, std::span<const sim::TraceArg> /*args*/) {
  auto it = tracks_.find(track);
  if (it == tracks_.end()) it = tracks_.emplace(std::string(track), std::vector<Interval>{}).first;
  if (end <= start) return;
  merge_into(it->second, Interval{start, end});
  if (!extent_) extent_ = Interval{start, end};
  extent_->start = std::min(extent_->start, start);
  extent_->end = std::max(extent_->end, end);
}

void ActivityRecorder::instant(std::string_view, std::string_view, base::SimTime,
                               std::span<const sim::TraceArg>) {}

std::vector<const ActivityRecorder::Tracks::value_type*> ActivityRecorder::sorted_tracks() const {
  std::vector<const Tracks::value_type*> sorted;
  sorted.reserve(tracks_.size());
  for (const auto& entry : tracks_) sorted.push_back(&entry);
  std::ranges::sort(sorted, NaturalLess{},
                    [](const auto* entry) -> std::string_view { return entry->first; });
  return sorted;
}

std::vector<std::string> ActivityRecorder::tracks() const {
  std::vector<std::string> names;
  names.reserve(tracks_.size());
  for (const auto* entry : sorted_tracks()) names.push_back(entry->first);
  return names;
}

std::span<const Interval> ActivityRecorder::intervals(std::string_view track) const {
  const auto it = tracks_.find(track);
  if (it == tracks_.end()) return {};
  return it->second;
}

base::SimTime ActivityRecorder::busy_time(std::string_view track, base::SimTime from,
                                          base::SimTime to) const {
  base::SimTime busy;
  if (to <= from) return busy;
  const std::span<const Interval> list = intervals(track);
  for (auto it = std::ranges::upper_bound(list, from, {}, &Interval::end);
       it != list.end() && it->start < to; ++it)
    busy += std::min(it->end, to) - std::max(it->start, from);
  return busy;
}

std::optional<Interval> ActivityRecorder::extent() const { return extent_; }

std::optional<Busiest> ActivityRecorder::busiest(ResourceKind kind, base::SimTime from,
                                                 base::SimTime to) const {
  if (to <= from) return std::nullopt;
  std::optional<Busiest> best;
  base::SimTime best_busy;
  for (const auto* entry : sorted_tracks()) {
    const auto& [track, list] = *entry;
    if (list.empty()) continue;
    const base::SimTime busy = busy_time(track, from, to);
    if (busy < best_busy || busy == base::SimTime::zero()) continue;
    const std::optional<ResourceName> resource = describe_track(track);
    if (!resource || resource->kind != kind) continue;
    if (busy == best_busy) {  // a tie keeps the earlier track
      ++best->equally_busy;
      continue;
    }
    best_busy = busy;
    best = Busiest{kind, resource->text, track,
                   static_cast<double>(busy.ps()) / static_cast<double>((to - from).ps())};
  }
  return best;
}

std::vector<Busiest> ActivityRecorder::busiest_by_kind(base::SimTime from, base::SimTime to) const {
  std::vector<Busiest> found;
  for (ResourceKind kind : {ResourceKind::unit, ResourceKind::link, ResourceKind::memory})
    if (auto b = busiest(kind, from, to)) found.push_back(std::move(*b));
  return found;
}

}  // namespace kernbench::report
