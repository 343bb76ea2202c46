#include "kernbench/topo/quantity_parser.h"

#include <gtest/gtest.h>

#include "kernbench/base/error.h"

namespace kernbench::topo {
namespace {

using namespace base::literals;
using base::Bandwidth;
using base::SimTime;

std::string problem(auto&& parse) {
  try {
    parse();
  } catch (const base::ConfigError& e) {
    return e.problems().front();
  }
  return "no error";
}

TEST(QuantityParser, Sizes) {
  EXPECT_EQ(parse_size("4 KiB", 0), 4_KiB);
  EXPECT_EQ(parse_size("4KiB", 0), 4_KiB);
  EXPECT_EQ(parse_size("1.5 GiB", 0), 1536_MiB);
  EXPECT_EQ(parse_size("4096", 1), 4096_B);
  EXPECT_EQ(parse_size("16", 1 << 20), 16_MiB);
  EXPECT_EQ(parse_size("0.5", 1 << 20), 512_KiB);
  EXPECT_EQ(parse_size("48", std::uint64_t{1} << 30), 48_GiB);
  EXPECT_EQ(parse_size(" 7 B ", 0), 7_B);
}

TEST(QuantityParser, Rates) {
  EXPECT_EQ(parse_bandwidth("256 GB/s"), 256_GBps);
  EXPECT_EQ(parse_bandwidth("1.5TB/s"), Bandwidth::bytes_per_second(1500'000'000'000));
  EXPECT_EQ(parse_bandwidth("1 GiB/s"), Bandwidth::bytes_per_second(1 << 30));
  EXPECT_EQ(parse_bandwidth("100 MB/s"), 100_MBps);
  EXPECT_EQ(parse_bandwidth("1e9 B/s"), 1_GBps);
}

TEST(QuantityParser, TimesAndFrequencies) {
  EXPECT_EQ(parse_time("20ns"), 20_ns);
  EXPECT_EQ(parse_time("1.5 us"), 1500_ns);
  EXPECT_EQ(parse_time("0 ps"), SimTime::zero());
  EXPECT_EQ(parse_time("2 s"), 2_s);
  EXPECT_EQ(parse_frequency("1.5 GHz"), 1500_MHz);
  EXPECT_EQ(parse_frequency("800 MHz"), 800_MHz);
  EXPECT_EQ(parse_integer("-3"), -3);
}

TEST(QuantityParserErrors, RejectsWithExpectedAndFound) {
  EXPECT_EQ(problem([] { parse_time("15"); }),
            "expected a time such as \"20 ns\" (ps, ns, us, ms, s), found \"15\"");
  EXPECT_EQ(problem([] { parse_time("0.1 ps"); }),
            "expected a time such as \"20 ns\" (ps, ns, us, ms, s) that is a whole number of "
            "picoseconds below 2^63, found \"0.1 ps\"");
  EXPECT_EQ(problem([] { parse_size("16 MB", 0); }),
            "expected a size in binary units (B, KiB, MiB, GiB, TiB; \"MB\" is ambiguous), found "
            "\"16 MB\"");
  EXPECT_EQ(problem([] { parse_bandwidth("100 Gb/s"); }),
            "expected a rate in bytes per second (B/s, MB/s, GB/s ...; bits are not accepted), "
            "found \"100 Gb/s\"");
  EXPECT_EQ(problem([] { parse_frequency("fast"); }),
            "expected a frequency such as \"1.5 GHz\" (Hz, kHz, MHz, GHz), found \"fast\"");
  EXPECT_EQ(problem([] { parse_integer("1.5"); }), "expected an integer, found \"1.5\"");
  EXPECT_EQ(problem([] { parse_size("99999999999 TiB", 0); }),
            "expected a size such as \"4 KiB\" (B, KiB, MiB, GiB, TiB) that is a whole number of "
            "bytes below 2^63, found \"99999999999 TiB\"");
}

}  // namespace
}  // namespace kernbench::topo
