// Reading a user's input file within limits: a regular file of at most a given size, so that a
// directory, a device (/dev/zero), a FIFO or a runaway generated file named as input gets one clear
// error before anything is read, instead of a read that never ends or exhausts the host.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kernbench::base {

/// The default limit on an input file's size (topology, ccl.yaml): generous for hand-written and
/// generated files alike, far below what would strain the host while parsing.
inline constexpr std::uint64_t kDefaultMaxInputBytes = std::uint64_t{16} << 20;

/// The whole text of the regular file at `path`; `what` names the file in errors ("topology
/// file"). Throws ConfigError (one problem) for a missing or unreadable file, a directory, any
/// other non-regular file; InputSizeLimitError for one larger than `max_bytes` (also when it grows
/// past it while read).
std::string read_input_file(const std::string& path, std::string_view what,
                            std::uint64_t max_bytes = kDefaultMaxInputBytes);

}  // namespace kernbench::base
