#include "kernbench/base/name_suggestion.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace kernbench::base {

int edit_distance(std::string_view a, std::string_view b) {
  std::vector<int> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const int substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
    }
  }
  return row[b.size()];
}

std::optional<std::string> closest_name(std::string_view name, std::span<const std::string> known) {
  std::optional<std::string> best;
  int best_distance = 0;
  for (const std::string& k : known) {
    const int d = edit_distance(name, k);
    const int longer = static_cast<int>(std::max(name.size(), k.size()));
    const int limit = std::min(3, (longer + 2) / 3);  // a transposition (2) in a 4-letter name
    if (d <= limit && (!best || d < best_distance)) {
      best = k;
      best_distance = d;
    }
  }
  return best;
}

std::string unknown_name_message(std::string_view what, std::string_view name,
                                 std::span<const std::string> known) {
  std::string message = fmt::format("unknown {} '{}'", what, name);
  if (const auto guess = closest_name(name, known))
    message += fmt::format(" (did you mean '{}'?)", *guess);
  if (known.empty()) return message + "; none are known";
  return message + fmt::format("; known: {}", fmt::join(known, ", "));
}

}  // namespace kernbench::base
