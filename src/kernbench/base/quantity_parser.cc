#include "kernbench/base/quantity_parser.h"

#include <array>
#include <cctype>
#include <limits>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "kernbench/base/error.h"

namespace kernbench::base {
namespace {

__extension__ using U128 = unsigned __int128;
constexpr U128 kLimit = static_cast<U128>(std::numeric_limits<std::int64_t>::max());

struct UnitFactor {
  std::string_view unit;
  std::uint64_t factor;
};

// A number as written: mantissa * 10^exponent, split from the unit that follows it.
struct Decimal {
  U128 mantissa = 0;
  int exponent = 0;
  std::string_view unit;
};

[[noreturn]] void fail(std::string_view expected, std::string_view text) {
  throw ConfigError({fmt::format("expected {}, found \"{}\"", expected, excerpt(text))});
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Reads digits into the mantissa; false when a 19th significant digit would not fit exactly.
bool read_digits(std::string_view& s, Decimal& d, bool fraction, int& count) {
  while (!s.empty() && std::isdigit(static_cast<unsigned char>(s.front()))) {
    if (d.mantissa > kLimit) return false;
    d.mantissa = d.mantissa * 10 + static_cast<unsigned>(s.front() - '0');
    if (fraction) --d.exponent;
    ++count;
    s.remove_prefix(1);
  }
  return true;
}

std::optional<Decimal> split_decimal(std::string_view text) {
  std::string_view s = trim(text);
  Decimal d;
  int digits = 0;
  if (!read_digits(s, d, false, digits)) return std::nullopt;
  if (!s.empty() && s.front() == '.') {
    s.remove_prefix(1);
    if (!read_digits(s, d, true, digits)) return std::nullopt;
  }
  if (digits == 0) return std::nullopt;
  if (s.size() >= 2 && (s[0] == 'e' || s[0] == 'E') &&
      (std::isdigit(static_cast<unsigned char>(s[1])) || s[1] == '-' || s[1] == '+')) {
    s.remove_prefix(1);
    const bool negative = s.front() == '-';
    if (s.front() == '-' || s.front() == '+') s.remove_prefix(1);
    int exponent = 0;
    while (!s.empty() && std::isdigit(static_cast<unsigned char>(s.front())) && exponent < 100) {
      exponent = exponent * 10 + (s.front() - '0');
      s.remove_prefix(1);
    }
    d.exponent += negative ? -exponent : exponent;
  }
  d.unit = trim(s);
  return d;
}

// The unit a number is written with ("KiB" of "16 KiB"; a view into `text`), or empty.
std::string_view unit_of(std::string_view text) {
  const std::optional<Decimal> d = split_decimal(text);
  return d ? d->unit : std::string_view();
}

// mantissa * factor * 10^exponent as an exact int64, or nullopt (too large or fractional).
std::optional<std::int64_t> scale(const Decimal& d, std::uint64_t factor) {
  if (d.exponent > 30 || d.exponent < -30) return std::nullopt;
  U128 value = d.mantissa;
  if (value != 0 && factor > kLimit / value) return std::nullopt;
  value *= factor;
  for (int e = d.exponent; e > 0; --e) {
    if (value > kLimit / 10) return std::nullopt;
    value *= 10;
  }
  for (int e = d.exponent; e < 0; ++e) {
    if (value % 10 != 0) return std::nullopt;
    value /= 10;
  }
  if (value > kLimit) return std::nullopt;
  return static_cast<std::int64_t>(value);
}

template <std::size_t N>
std::int64_t parse_with_units(std::string_view text, const std::array<UnitFactor, N>& units,
                              std::uint64_t plain_unit, std::string_view expected,
                              std::string_view base_unit) {
  const std::optional<Decimal> d = split_decimal(text);
  if (!d) fail(expected, text);
  std::uint64_t factor = 0;
  if (d->unit.empty()) {
    factor = plain_unit;
  } else {
    for (const UnitFactor& u : units) {
      if (u.unit == d->unit) factor = u.factor;
    }
  }
  if (factor == 0) fail(expected, text);
  const std::optional<std::int64_t> value = scale(*d, factor);
  if (!value) {
    fail(fmt::format("{} that is a whole number of {} below 2^63", expected, base_unit), text);
  }
  return *value;
}

constexpr std::uint64_t kKi = 1024;
constexpr std::array kSizeUnits{UnitFactor{"B", 1},
                                UnitFactor{"K", kKi},
                                UnitFactor{"KiB", kKi},
                                UnitFactor{"M", kKi* kKi},
                                UnitFactor{"MiB", kKi* kKi},
                                UnitFactor{"G", kKi* kKi* kKi},
                                UnitFactor{"GiB", kKi* kKi* kKi},
                                UnitFactor{"T", kKi* kKi* kKi* kKi},
                                UnitFactor{"TiB", kKi* kKi* kKi* kKi}};
constexpr std::array kRateUnits{UnitFactor{"B/s", 1},
                                UnitFactor{"kB/s", 1000},
                                UnitFactor{"KB/s", 1000},
                                UnitFactor{"MB/s", 1000'000},
                                UnitFactor{"GB/s", 1000'000'000},
                                UnitFactor{"TB/s", 1000'000'000'000},
                                UnitFactor{"KiB/s", kKi},
                                UnitFactor{"MiB/s", kKi* kKi},
                                UnitFactor{"GiB/s", kKi* kKi* kKi},
                                UnitFactor{"TiB/s", kKi* kKi* kKi* kKi}};
constexpr std::array kTimeUnits{UnitFactor{"ps", 1}, UnitFactor{"ns", 1000},
                                UnitFactor{"us", 1000'000}, UnitFactor{"ms", 1000'000'000},
                                UnitFactor{"s", 1000'000'000'000}};
constexpr std::array kFrequencyUnits{UnitFactor{"Hz", 1}, UnitFactor{"kHz", 1000},
                                     UnitFactor{"MHz", 1000'000}, UnitFactor{"GHz", 1000'000'000}};

constexpr std::string_view kSizeUnitNames = "B, K or KiB, M or MiB, G or GiB, T or TiB";

}  // namespace

std::string excerpt(std::string_view text) {
  if (text.size() <= 64) return std::string(text);
  return fmt::format("{}... ({} characters)", text.substr(0, 48), text.size());
}

std::int64_t parse_integer(std::string_view text) {
  std::string_view s = trim(text);
  const bool negative = !s.empty() && s.front() == '-';
  if (negative || (!s.empty() && s.front() == '+')) s.remove_prefix(1);
  if (s.empty() || s.size() > 18) fail("an integer", text);
  std::int64_t value = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) fail("an integer", text);
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

Bytes parse_size(std::string_view text, std::uint64_t plain_unit) {
  const std::string_view unit = unit_of(text);
  if (unit == "KB" || unit == "kB" || unit == "MB" || unit == "GB" || unit == "TB") {
    fail(fmt::format("a size in binary units ({}; \"{}\" is ambiguous)", kSizeUnitNames, unit),
         text);
  }
  const std::string expected =
      fmt::format("a size such as \"16K\" or \"16 KiB\" ({}){}", kSizeUnitNames,
                  plain_unit == 0   ? ""
                  : plain_unit == 1 ? " or plain bytes"
                                    : " or a plain number");
  return Bytes(static_cast<std::uint64_t>(
      parse_with_units(text, kSizeUnits, plain_unit, expected, "bytes")));
}

Bandwidth parse_bandwidth(std::string_view text) {
  const std::string_view unit = unit_of(text);
  if (unit.find("b/s") != std::string_view::npos || unit.find("bit") != std::string_view::npos ||
      unit.find("bps") != std::string_view::npos) {
    fail("a rate in bytes per second (B/s, MB/s, GB/s ...; bits are not accepted)", text);
  }
  return Bandwidth::bytes_per_second(static_cast<std::uint64_t>(
      parse_with_units(text, kRateUnits, 0,
                       "a bandwidth such as \"256 GB/s\" (B/s, MB/s, GB/s, TB/s, GiB/s)", "B/s")));
}

SimTime parse_time(std::string_view text) {
  return SimTime::from_ps(parse_with_units(
      text, kTimeUnits, 0, "a time such as \"20 ns\" (ps, ns, us, ms, s)", "picoseconds"));
}

Frequency parse_frequency(std::string_view text) {
  return Frequency::hertz(static_cast<std::uint64_t>(parse_with_units(
      text, kFrequencyUnits, 0, "a frequency such as \"1.5 GHz\" (Hz, kHz, MHz, GHz)", "Hz")));
}

}  // namespace kernbench::base
