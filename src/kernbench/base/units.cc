#include "kernbench/base/units.h"

#include <array>

#include "kernbench/base/assert.h"

namespace kernbench::base {
namespace {

__extension__ using U128 = unsigned __int128;
constexpr std::uint64_t kPsPerSecond = 1000'000'000'000ULL;

std::int64_t ceil_div_to_i64(U128 num, std::uint64_t den) {
  U128 q = (num + den - 1) / den;
  KB_ASSERT(q <= static_cast<U128>(std::numeric_limits<std::int64_t>::max()), "time overflow");
  return static_cast<std::int64_t>(q);
}

// "1.5", "16", "0.25": up to three significant decimals, trailing zeros trimmed.
std::string trimmed(double v) {
  std::string s = fmt::format("{:.3f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

template <std::size_t N>
std::string scaled(double v, const std::array<const char*, N>& names, double step) {
  std::size_t i = 0;
  while (i + 1 < N && v >= step) {
    v /= step;
    ++i;
  }
  return trimmed(v) + " " + names[i];
}

}  // namespace

SimTime transfer_time(Bytes size, Bandwidth rate) {
  KB_ASSERT(rate.bytes_per_second() > 0, "transfer at zero bandwidth");
  return SimTime::from_ps(
      ceil_div_to_i64(static_cast<U128>(size.count()) * kPsPerSecond, rate.bytes_per_second()));
}

SimTime cycles_to_time(Cycles n, Frequency clock) {
  KB_ASSERT(clock.hertz() > 0, "cycles at zero frequency");
  return SimTime::from_ps(
      ceil_div_to_i64(static_cast<U128>(n.count()) * kPsPerSecond, clock.hertz()));
}

Cycles time_to_cycles(SimTime t, Frequency clock) {
  KB_ASSERT(t.ps() >= 0, "negative time");
  return Cycles(
      static_cast<std::uint64_t>(static_cast<U128>(t.ps()) * clock.hertz() / kPsPerSecond));
}

Bytes bytes_in(SimTime t, Bandwidth rate) {
  KB_ASSERT(t.ps() >= 0, "negative time");
  return Bytes(static_cast<std::uint64_t>(static_cast<U128>(t.ps()) * rate.bytes_per_second() /
                                          kPsPerSecond));
}

std::string to_string(SimTime t) {
  static constexpr std::array<const char*, 5> kNames{"ps", "ns", "us", "ms", "s"};
  const bool negative = t.ps() < 0;
  std::string s = scaled(static_cast<double>(negative ? -t.ps() : t.ps()), kNames, 1000.0);
  return negative ? "-" + s : s;
}

std::string to_string(Bytes b) {
  static constexpr std::array<const char*, 6> kNames{"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  return scaled(static_cast<double>(b.count()), kNames, 1024.0);
}

std::string to_string(Bandwidth b) {
  static constexpr std::array<const char*, 5> kNames{"B/s", "KB/s", "MB/s", "GB/s", "TB/s"};
  return scaled(static_cast<double>(b.bytes_per_second()), kNames, 1000.0);
}

std::string to_string(Frequency f) {
  static constexpr std::array<const char*, 4> kNames{"Hz", "kHz", "MHz", "GHz"};
  return scaled(static_cast<double>(f.hertz()), kNames, 1000.0);
}

}  // namespace kernbench::base
