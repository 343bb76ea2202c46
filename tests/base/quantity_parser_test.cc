#include "kernbench/base/quantity_parser.h"

#include <gtest/gtest.h>

#include "kernbench/base/error.h"

namespace kernbench::base {
namespace {

using namespace literals;

std::string problem(auto&& parse) {
  try {
    parse();
  } catch (const ConfigError& e) {
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

// One size syntax for files and command line: "16K", "16 KiB", "16KiB" and plain bytes agree.
TEST(QuantityParser, SizeSyntaxesAgree) {
  for (const char* text : {"16K", "16 K", "16 KiB", "16KiB", "16384"})
    EXPECT_EQ(parse_size(text, 1), 16_KiB) << text;
  EXPECT_EQ(parse_size("64M", 1), 64_MiB);
  EXPECT_EQ(parse_size("2G", 0), 2_GiB);
  EXPECT_EQ(parse_size("1T", 0), 1024_GiB);
  EXPECT_EQ(parse_size("1.5K", 0), Bytes(1536));
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
            "expected a size in binary units (B, K or KiB, M or MiB, G or GiB, T or TiB; \"MB\" is "
            "ambiguous), found \"16 MB\"");
  EXPECT_EQ(problem([] { parse_size("16k", 1); }),
            "expected a size such as \"16K\" or \"16 KiB\" (B, K or KiB, M or MiB, G or GiB, T or "
            "TiB) or plain bytes, found \"16k\"");
  EXPECT_EQ(problem([] { parse_size("16", 0); }),
            "expected a size such as \"16K\" or \"16 KiB\" (B, K or KiB, M or MiB, G or GiB, T or "
            "TiB), found \"16\"");
  EXPECT_EQ(problem([] { parse_size("0.5 B", 1); }),
            "expected a size such as \"16K\" or \"16 KiB\" (B, K or KiB, M or MiB, G or GiB, T or "
            "TiB) or plain bytes that is a whole number of bytes below 2^63, found \"0.5 B\"");
  EXPECT_EQ(problem([] { parse_bandwidth("100 Gb/s"); }),
            "expected a rate in bytes per second (B/s, MB/s, GB/s ...; bits are not accepted), "
            "found \"100 Gb/s\"");
  EXPECT_EQ(problem([] { parse_frequency("fast"); }),
            "expected a frequency such as \"1.5 GHz\" (Hz, kHz, MHz, GHz), found \"fast\"");
  EXPECT_EQ(problem([] { parse_integer("1.5"); }), "expected an integer, found \"1.5\"");
  EXPECT_EQ(problem([] { parse_size("99999999999 TiB", 0); }),
            "expected a size such as \"16K\" or \"16 KiB\" (B, K or KiB, M or MiB, G or GiB, T or "
            "TiB) that is a whole number of bytes below 2^63, found \"99999999999 TiB\"");
}

}  // namespace
}  // namespace kernbench::base
