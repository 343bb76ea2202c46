// Unit types for simulated time, sizes and rates, with literals. Every conversion between units is
// written once, here, with one documented rounding (see transfer_time and cycles_to_time).
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <string>

#include <fmt/format.h>

namespace kernbench::base {

/// Simulated time: an integer count of picoseconds. Never a float.
class SimTime {
 public:
  constexpr SimTime() = default;
  static constexpr SimTime from_ps(std::int64_t ps) { return SimTime(ps); }
  static constexpr SimTime zero() { return SimTime(0); }
  static constexpr SimTime max() { return SimTime(std::numeric_limits<std::int64_t>::max()); }

  constexpr std::int64_t ps() const { return ps_; }
  /// For reports only: nanoseconds as a double.
  constexpr double ns() const { return static_cast<double>(ps_) / 1e3; }

  constexpr auto operator<=>(const SimTime&) const = default;
  constexpr SimTime& operator+=(SimTime d) {
    ps_ += d.ps_;
    return *this;
  }
  constexpr SimTime& operator-=(SimTime d) {
    ps_ -= d.ps_;
    return *this;
  }
  friend constexpr SimTime operator+(SimTime a, SimTime b) { return SimTime(a.ps_ + b.ps_); }
  friend constexpr SimTime operator-(SimTime a, SimTime b) { return SimTime(a.ps_ - b.ps_); }
  friend constexpr SimTime operator*(SimTime a, std::int64_t k) { return SimTime(a.ps_ * k); }
  friend constexpr SimTime operator*(std::int64_t k, SimTime a) { return SimTime(a.ps_ * k); }
  friend constexpr std::int64_t operator/(SimTime a, SimTime b) { return a.ps_ / b.ps_; }

 private:
  constexpr explicit SimTime(std::int64_t ps) : ps_(ps) {}
  std::int64_t ps_ = 0;
};

/// A size in bytes.
class Bytes {
 public:
  constexpr Bytes() = default;
  constexpr explicit Bytes(std::uint64_t count) : count_(count) {}
  constexpr std::uint64_t count() const { return count_; }

  constexpr auto operator<=>(const Bytes&) const = default;
  constexpr Bytes& operator+=(Bytes b) {
    count_ += b.count_;
    return *this;
  }
  constexpr Bytes& operator-=(Bytes b) {
    count_ -= b.count_;
    return *this;
  }
  friend constexpr Bytes operator+(Bytes a, Bytes b) { return Bytes(a.count_ + b.count_); }
  friend constexpr Bytes operator-(Bytes a, Bytes b) { return Bytes(a.count_ - b.count_); }
  friend constexpr Bytes operator*(Bytes a, std::uint64_t k) { return Bytes(a.count_ * k); }
  friend constexpr Bytes operator*(std::uint64_t k, Bytes a) { return Bytes(a.count_ * k); }
  friend constexpr Bytes operator/(Bytes a, std::uint64_t k) { return Bytes(a.count_ / k); }
  friend constexpr std::uint64_t operator/(Bytes a, Bytes b) { return a.count_ / b.count_; }
  friend constexpr Bytes operator%(Bytes a, Bytes b) { return Bytes(a.count_ % b.count_); }

 private:
  std::uint64_t count_ = 0;
};

/// A data rate in bytes per second (decimal: 1 GB/s = 1e9 B/s).
class Bandwidth {
 public:
  constexpr Bandwidth() = default;
  static constexpr Bandwidth bytes_per_second(std::uint64_t bps) { return Bandwidth(bps); }
  constexpr std::uint64_t bytes_per_second() const { return bps_; }
  /// For reports only: GB/s (decimal) as a double.
  constexpr double gb_per_second() const { return static_cast<double>(bps_) / 1e9; }
  constexpr auto operator<=>(const Bandwidth&) const = default;

 private:
  constexpr explicit Bandwidth(std::uint64_t bps) : bps_(bps) {}
  std::uint64_t bps_ = 0;
};

/// A clock frequency in hertz.
class Frequency {
 public:
  constexpr Frequency() = default;
  static constexpr Frequency hertz(std::uint64_t hz) { return Frequency(hz); }
  constexpr std::uint64_t hertz() const { return hz_; }
  constexpr auto operator<=>(const Frequency&) const = default;

 private:
  constexpr explicit Frequency(std::uint64_t hz) : hz_(hz) {}
  std::uint64_t hz_ = 0;
};

/// A count of clock cycles.
class Cycles {
 public:
  constexpr Cycles() = default;
  constexpr explicit Cycles(std::uint64_t count) : count_(count) {}
  constexpr std::uint64_t count() const { return count_; }
  constexpr auto operator<=>(const Cycles&) const = default;
  friend constexpr Cycles operator+(Cycles a, Cycles b) { return Cycles(a.count_ + b.count_); }

 private:
  std::uint64_t count_ = 0;
};

// The conversions. Each rounds *up* to a whole picosecond, so that no operation ever takes zero
// time when it moves a byte or spends a cycle, and so that the sum of the parts of a split transfer
// is never shorter than the whole. Intermediates are 128-bit: no overflow for any 64-bit input.

/// Time to move `size` at `rate`: ceil(bytes * 1e12 / bytes_per_second) ps. A zero rate is a bug.
SimTime transfer_time(Bytes size, Bandwidth rate);
/// Time of `n` cycles at `clock`: ceil(cycles * 1e12 / hertz) ps. A zero clock is a bug.
SimTime cycles_to_time(Cycles n, Frequency clock);
/// Whole cycles completed within `t` at `clock`: floor(ps * hertz / 1e12).
Cycles time_to_cycles(SimTime t, Frequency clock);
/// Bytes moved in `t` at `rate`, rounded down: floor(ps * bytes_per_second / 1e12).
Bytes bytes_in(SimTime t, Bandwidth rate);

/// Human-readable forms used by reports and errors: "1.5 us", "16 MiB", "256 GB/s", "1.5 GHz".
std::string to_string(SimTime t);
std::string to_string(Bytes b);
std::string to_string(Bandwidth b);
std::string to_string(Frequency f);

namespace literals {
constexpr SimTime operator""_ps(unsigned long long v) {
  return SimTime::from_ps(static_cast<std::int64_t>(v));
}
constexpr SimTime operator""_ns(unsigned long long v) {
  return SimTime::from_ps(static_cast<std::int64_t>(v) * 1000);
}
constexpr SimTime operator""_us(unsigned long long v) {
  return SimTime::from_ps(static_cast<std::int64_t>(v) * 1000'000);
}
constexpr SimTime operator""_ms(unsigned long long v) {
  return SimTime::from_ps(static_cast<std::int64_t>(v) * 1000'000'000);
}
constexpr SimTime operator""_s(unsigned long long v) {
  return SimTime::from_ps(static_cast<std::int64_t>(v) * 1000'000'000'000);
}

constexpr Bytes operator""_B(unsigned long long v) { return Bytes(v); }
constexpr Bytes operator""_KiB(unsigned long long v) { return Bytes(v << 10); }
constexpr Bytes operator""_MiB(unsigned long long v) { return Bytes(v << 20); }
constexpr Bytes operator""_GiB(unsigned long long v) { return Bytes(v << 30); }
constexpr Bytes operator""_KB(unsigned long long v) { return Bytes(v * 1000); }
constexpr Bytes operator""_MB(unsigned long long v) { return Bytes(v * 1000'000); }
constexpr Bytes operator""_GB(unsigned long long v) { return Bytes(v * 1000'000'000); }

constexpr Bandwidth operator""_Bps(unsigned long long v) { return Bandwidth::bytes_per_second(v); }
constexpr Bandwidth operator""_MBps(unsigned long long v) {
  return Bandwidth::bytes_per_second(v * 1000'000);
}
constexpr Bandwidth operator""_GBps(unsigned long long v) {
  return Bandwidth::bytes_per_second(v * 1000'000'000);
}
constexpr Bandwidth operator""_TBps(unsigned long long v) {
  return Bandwidth::bytes_per_second(v * 1000'000'000'000);
}

constexpr Frequency operator""_Hz(unsigned long long v) { return Frequency::hertz(v); }
constexpr Frequency operator""_MHz(unsigned long long v) { return Frequency::hertz(v * 1000'000); }
constexpr Frequency operator""_GHz(unsigned long long v) {
  return Frequency::hertz(v * 1000'000'000);
}

constexpr Cycles operator""_cycles(unsigned long long v) { return Cycles(v); }
}  // namespace literals

}  // namespace kernbench::base

template <>
struct fmt::formatter<kernbench::base::SimTime> : fmt::formatter<std::string> {
  auto format(kernbench::base::SimTime v, format_context& ctx) const {
    return fmt::formatter<std::string>::format(kernbench::base::to_string(v), ctx);
  }
};
template <>
struct fmt::formatter<kernbench::base::Bytes> : fmt::formatter<std::string> {
  auto format(kernbench::base::Bytes v, format_context& ctx) const {
    return fmt::formatter<std::string>::format(kernbench::base::to_string(v), ctx);
  }
};
template <>
struct fmt::formatter<kernbench::base::Bandwidth> : fmt::formatter<std::string> {
  auto format(kernbench::base::Bandwidth v, format_context& ctx) const {
    return fmt::formatter<std::string>::format(kernbench::base::to_string(v), ctx);
  }
};
template <>
struct fmt::formatter<kernbench::base::Frequency> : fmt::formatter<std::string> {
  auto format(kernbench::base::Frequency v, format_context& ctx) const {
    return fmt::formatter<std::string>::format(kernbench::base::to_string(v), ctx);
  }
};
