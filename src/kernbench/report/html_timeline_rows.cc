#include "kernbench/report/html_timeline_rows.h"

#include <algorithm>

#include <fmt/format.h>

namespace kernbench::report::detail {
namespace {

constexpr std::size_t kAlikeShare = 8;  // alike: off by at most 1/8 of the busy shades

std::size_t distance(const Cells& a, const Cells& b) {
  std::size_t d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d += a[i] > b[i] ? a[i] - b[i] : b[i] - a[i];
  return d;
}

}  // namespace

// Folds PEs into at most kMaxTimelineRows rows: a PE joins the first row it is alike to (the cells
// of its lanes differ from the row's first PE by at most 1/kAlikeShare of that PE's busy shades),
// starts a row of its own while there is room, and else joins the nearest row.
std::vector<TimelineRow> fold(const std::vector<Cells>& pes) {
  std::vector<TimelineRow> rows;
  std::vector<std::size_t> busy;  // of each row's first PE, its shades summed
  for (std::size_t p = 0; p < pes.size(); ++p) {
    std::size_t best = rows.size(), best_distance = 0;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const std::size_t d = distance(pes[p], pes[rows[r].pes.front()]);
      if (best == rows.size() || d < best_distance) {
        best = r;
        best_distance = d;
      }
    }
    const bool alike = best < rows.size() && best_distance * kAlikeShare <= busy[best];
    if (!alike && rows.size() < kMaxTimelineRows) {
      rows.push_back(TimelineRow{{p}, false});
      std::size_t shades = 0;
      for (std::uint8_t c : pes[p]) shades += c;
      busy.push_back(shades);
      continue;
    }
    rows[best].pes.push_back(p);
    rows[best].forced = rows[best].forced || !alike;
  }
  return rows;
}

// "12,14-15": numbers as ranges.
std::string ranges_text(std::vector<int> numbers) {
  std::ranges::sort(numbers);
  const auto [last, end] = std::ranges::unique(numbers);
  numbers.erase(last, end);
  std::string text;
  for (std::size_t i = 0; i < numbers.size();) {
    std::size_t j = i;
    while (j + 1 < numbers.size() && numbers[j + 1] == numbers[j] + 1) ++j;
    text += fmt::format("{}{}", text.empty() ? "" : ",", numbers[i]);
    if (j > i) text += fmt::format("-{}", numbers[j]);
    i = j + 1;
  }
  return text;
}

// A folded row's label: "sip0/cube0-15/pe1-7 x112" (the levels its PEs span), and its tooltip.
std::pair<std::string, std::string> row_label(const std::vector<std::string>& pe_names,
                                              const std::vector<PeAt>& pe_at,
                                              const TimelineRow& row) {
  if (row.pes.size() == 1) return {pe_names[row.pes.front()], pe_names[row.pes.front()]};
  std::vector<int> sips, cubes, pes;
  std::string members;
  for (std::size_t p : row.pes) {
    sips.push_back(pe_at[p].sip);
    cubes.push_back(pe_at[p].cube);
    pes.push_back(pe_at[p].pe);
    members += (members.empty() ? "" : " ") + pe_names[p];
  }
  const std::string label = fmt::format("sip{}/cube{}/pe{} \u00d7{}", ranges_text(sips),
                                        ranges_text(cubes), ranges_text(pes), row.pes.size());
  const std::string tooltip = fmt::format(
      "{} PEs drawn as {}{}: {}", row.pes.size(), pe_names[row.pes.front()],
      row.forced ? " (the nearest of the rows; they differ more than the others)" : ", alike",
      members);
  return {label, tooltip};
}

}  // namespace kernbench::report::detail
