// Reads quantities written as text, in topology and ccl files and on the command line alike:
// "256 GB/s", "20ns", "1.5 GHz", and sizes as "16K", "16 KiB", "16KiB" or plain bytes, so one size
// syntax holds everywhere. Exact decimal arithmetic (no floating point), so "1.5 GHz" is
// 1'500'000'000 Hz exactly; a value that is not a whole number of the base unit (bytes, ps, B/s,
// Hz) is an error, never rounded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kernbench/base/units.h"

namespace kernbench::base {

// Each function throws ConfigError with one problem, "expected ..., found ...", which the caller
// prefixes with where the text came from (a file position and key path, an option).

/// `text` as an error quotes it: whole up to 64 characters, else its first 48 and its length, so a
/// hostile value is not echoed back in a line of kilobytes.
std::string excerpt(std::string_view text);
/// An integer such as "16" or "-3" (no unit, no fraction).
std::int64_t parse_integer(std::string_view text);
/// A size with a binary unit: B, K or KiB, M or MiB, G or GiB, T or TiB (K = 1024, as nccl-tests
/// counts); a plain number is counted in `plain_unit` bytes (1 for plain bytes), or is an error
/// when `plain_unit` is 0. KB, MB, GB and TB are rejected as ambiguous.
Bytes parse_size(std::string_view text, std::uint64_t plain_unit);
/// A rate: B/s, kB/s, KB/s, MB/s, GB/s, TB/s (decimal) or KiB/s, MiB/s, GiB/s, TiB/s (binary).
Bandwidth parse_bandwidth(std::string_view text);
/// A duration: ps, ns, us, ms, s.
SimTime parse_time(std::string_view text);
/// A frequency: Hz, kHz, MHz, GHz.
Frequency parse_frequency(std::string_view text);

}  // namespace kernbench::base
