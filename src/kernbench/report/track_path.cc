#include "kernbench/report/track_path.h"

#include <algorithm>
#include <cstddef>

namespace kernbench::report {
namespace {

// Key layout: letters * 1'000'000 + number(first) * 1'000 + number(second), each number slot
// holding 0 (no number) or number + 1, clamped to 999. 27 * 27 letter codes keep it below 2^31.
constexpr std::int32_t kNumberSlots = 1000;

std::int32_t letter_code(char c) {
  if (c >= 'a' && c <= 'z') return c - 'a' + 1;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 1;
  return 0;
}

// 0 when the component has no digit, else its first run of digits + 1 (clamped).
std::int32_t number_slot(std::string_view component) {
  const auto digit = std::ranges::find_if(component, [](char c) { return c >= '0' && c <= '9'; });
  std::int64_t value = 0;
  for (auto it = digit; it != component.end() && *it >= '0' && *it <= '9'; ++it) {
    value = std::min<std::int64_t>(value * 10 + (*it - '0'), kNumberSlots);
  }
  if (digit == component.end()) return 0;
  return static_cast<std::int32_t>(std::min<std::int64_t>(value + 1, kNumberSlots - 1));
}

// The component starting at `from` (up to the next slash), or empty past the end.
std::string_view component_at(std::string_view name, std::size_t from) {
  if (from > name.size()) return {};
  const std::string_view rest = name.substr(from);
  return rest.substr(0, rest.find('/'));
}

}  // namespace

TrackPath split_track(std::string_view track) {
  const std::size_t first = track.find('/');
  if (first == std::string_view::npos) return {track, track};
  const std::size_t second = track.find('/', first + 1);
  if (second == std::string_view::npos) return {track.substr(0, first), track.substr(first + 1)};
  return {track.substr(0, second), track.substr(second + 1)};
}

std::int32_t natural_sort_index(std::string_view name) {
  const std::string_view first = component_at(name, 0);
  const std::string_view second = component_at(name, first.size() + 1);
  const std::int32_t letters = letter_code(first.empty() ? '\0' : first[0]) * 27 +
                               letter_code(first.size() < 2 ? '\0' : first[1]);
  return (letters * kNumberSlots + number_slot(first)) * kNumberSlots + number_slot(second);
}

}  // namespace kernbench::report
