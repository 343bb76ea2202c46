// detail/convert.h's shortcuts give the values of the formulas they replace: f32 -> f16 / bf16
// through the dtype's own store equals the rounding through double (NaN payloads included), and
// float -> integer without trunc (comparing a float source in float) saturates and truncates as
// trunc-then-compare in double did.
#include "kernbench/tl/detail/convert.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace kernbench::tl {
namespace {

using detail::Elem;

// Float bit patterns over every exponent, with mantissas at the rounding edges of f16 and bf16,
// and the specials (signed zeros, subnormals, infinities, quiet and signalling NaNs).
std::vector<float> float_patterns() {
  std::vector<float> v;
  const std::uint32_t mantissas[] = {0x000000, 0x000001, 0x000fff, 0x001000, 0x001001, 0x002000,
                                     0x003000, 0x007fff, 0x008000, 0x008001, 0x018000, 0x3fffff,
                                     0x400000, 0x400001, 0x7fe000, 0x7fffff};
  for (std::uint32_t sign = 0; sign < 2; ++sign)
    for (std::uint32_t exponent = 0; exponent < 256; ++exponent)
      for (const std::uint32_t m : mantissas)
        v.push_back(std::bit_cast<float>((sign << 31) | (exponent << 23) | m));
  return v;
}

template <class D>
void expect_store_matches_rounding_through_double() {
  for (const float f : float_patterns()) {
    const auto shortcut = detail::convert<D>(f);
    const auto reference = detail::float_to_float<D>(static_cast<double>(f), Rounding::rtne);
    ASSERT_EQ(shortcut, reference) << std::bit_cast<std::uint32_t>(f);
  }
}

TEST(Convert, F32ToF16AndBf16ByTheirStoreEqualsRoundingThroughDouble) {
  expect_store_matches_rounding_through_double<Elem<DType::f16>>();
  expect_store_matches_rounding_through_double<Elem<DType::bf16>>();
}

// The conversion as it was: truncate, then saturate (NaN -> 0).
template <class S>
S trunc_then_saturate(double v) {
  if (std::isnan(v)) return 0;
  const double t = std::trunc(v);
  if (t <= static_cast<double>(std::numeric_limits<S>::min())) return std::numeric_limits<S>::min();
  if (t >= static_cast<double>(std::numeric_limits<S>::max())) return std::numeric_limits<S>::max();
  return static_cast<S>(t);
}

template <DType T>
void expect_float_to_int_matches_trunc() {
  using S = typename Elem<T>::Storage;
  const double lo = static_cast<double>(std::numeric_limits<S>::min());
  const double hi = static_cast<double>(std::numeric_limits<S>::max());
  std::vector<double> edges{0.0,
                            -0.0,
                            0.5,
                            -0.5,
                            0.999,
                            -0.999,
                            1.0,
                            -1.0,
                            2.5,
                            -2.5,
                            std::nan(""),
                            std::numeric_limits<double>::infinity(),
                            -std::numeric_limits<double>::infinity(),
                            1e300,
                            -1e300};
  for (const double bound : {lo, hi})
    for (const double d : {-1.5, -1.0, -0.5, -1e-9, 0.0, 1e-9, 0.5, 1.0, 1.5})
      edges.push_back(bound + d);
  edges.push_back(std::nextafter(hi, 0.0));
  edges.push_back(std::nextafter(lo, 0.0));
  for (const double bound : {lo, hi}) {  // the floats around each bound, as a float source sees
    const auto f = static_cast<float>(bound);
    for (const float g : {std::nextafter(f, -1e38f), f, std::nextafter(f, 1e38f)})
      edges.push_back(static_cast<double>(g));
  }
  for (const double d : edges) {
    EXPECT_EQ(detail::convert<Elem<T>>(d), trunc_then_saturate<S>(d)) << base::name(T) << " " << d;
    const auto f = static_cast<float>(d);
    EXPECT_EQ(detail::convert<Elem<T>>(f), trunc_then_saturate<S>(static_cast<double>(f)))
        << base::name(T) << " " << f;
  }
}

TEST(Convert, FloatToIntegerSaturatesAndTruncatesAsTruncThenCompare) {
  expect_float_to_int_matches_trunc<DType::i8>();
  expect_float_to_int_matches_trunc<DType::i16>();
  expect_float_to_int_matches_trunc<DType::i32>();
  expect_float_to_int_matches_trunc<DType::i64>();
  expect_float_to_int_matches_trunc<DType::u8>();
  expect_float_to_int_matches_trunc<DType::u16>();
  expect_float_to_int_matches_trunc<DType::u32>();
}

}  // namespace
}  // namespace kernbench::tl
