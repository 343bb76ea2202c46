// How a slash-separated track name ("sip0/cube3/pe5/dma") becomes a Chrome process and thread, and
// the sort index that makes Perfetto list them in natural order (sip0 before sip1, cube2 before
// cube10) although ids are handed out in first-seen order.
#pragma once

#include <cstdint>
#include <string_view>

namespace kernbench::report {

/// The two halves of a track name (views into it).
struct TrackPath {
  std::string_view process;  // "sip0/cube3"
  std::string_view thread;   // "pe5/dma"
};

/// Splits a track: three or more components give the first two as the process and the rest as the
/// thread ("sip0/cube3/pe5/dma" -> "sip0/cube3" + "pe5/dma"); two give one each ("sip0/host.in" ->
/// "sip0" + "host.in"); one names both ("host" -> "host" + "host").
TrackPath split_track(std::string_view track);

/// A sort key for a process or thread name, ascending in natural order for names like ours: the
/// first two letters of the first component, then the first number of each of the first two
/// components (absent sorts before 0). Fits Chrome's 32-bit sort_index; ties Perfetto breaks by
/// name.
std::int32_t natural_sort_index(std::string_view name);

}  // namespace kernbench::report
