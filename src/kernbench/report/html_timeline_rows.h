// Folding the HTML timeline's PEs into rows (html_timeline.cc): PEs whose drawn bars are alike
// share one row with a count, so a 128-PE run reads in a handful of rows. Internal to `report`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace kernbench::report::detail {

/// The most rows a folded timeline has.
constexpr std::size_t kMaxTimelineRows = 16;

/// A PE's bars as drawn: the shade (0 idle .. 4 busy) of each lane's columns, lane after lane.
using Cells = std::vector<std::uint8_t>;

/// A row of the chart: the PEs drawn as one (the first of them), alike unless `forced` (there
/// were more distinct behaviours than rows and they joined the nearest).
struct TimelineRow {
  std::vector<std::size_t> pes;  // indexes into the PEs, natural order
  bool forced = false;
};

/// Folds PEs into at most kMaxTimelineRows rows: a PE joins the nearest row when its cells differ
/// from the row's first PE by at most 1/8 of that PE's busy shades, starts a row of its own while
/// there is room, and else joins the nearest row.
std::vector<TimelineRow> fold(const std::vector<Cells>& pes);

/// "12,14-15": the numbers as sorted ranges.
std::string ranges_text(std::vector<int> numbers);

/// Where a PE of the timeline is.
struct PeAt {
  int sip = 0, cube = 0, pe = 0;
};

/// A row's label ("sip0/cube0-15/pe1-7 ×112", the levels its PEs span) and its tooltip (the PEs),
/// from the PEs' names and coordinates (parallel lists).
std::pair<std::string, std::string> row_label(const std::vector<std::string>& pe_names,
                                              const std::vector<PeAt>& pe_at,
                                              const TimelineRow& row);

}  // namespace kernbench::report::detail
