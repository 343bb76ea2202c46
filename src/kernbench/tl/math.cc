#include "kernbench/tl/math.h"

#include <cmath>

#include <fmt/format.h>

#include "kernbench/tl/detail/charge.h"
#include "kernbench/tl/detail/dataless.h"
#include "kernbench/tl/detail/element.h"
#include "kernbench/tl/semantic_error.h"

namespace kernbench::tl {

namespace {
template <class F>
Tile float_unary(const Tile& x, const char* op, F f) {
  if (x.is_pointer() || (x.dtype() != DType::f32 && x.dtype() != DType::f64))
    throw SemanticError(
        fmt::format("{}: expected dtype f32 or f64, got {} (cast f16/bf16 with .to(f32) first)", op,
                    x.describe()));
  Tile out(detail::kUninitialized, x.shape(), x.dtype(), false, x.program());
  const auto n = x.numel();
  if (!x.has_data()) {
    x.wait_filled();
    detail::drop_elements(out);
  } else if (x.dtype() == DType::f32) {
    const auto* in = reinterpret_cast<const float*>(x.data());
    auto* o = reinterpret_cast<float*>(out.mutable_data());
    for (std::int64_t i = 0; i < n; ++i) o[i] = static_cast<float>(f(static_cast<double>(in[i])));
  } else {
    const auto* in = reinterpret_cast<const double*>(x.data());
    auto* o = reinterpret_cast<double*>(out.mutable_data());
    for (std::int64_t i = 0; i < n; ++i) o[i] = f(in[i]);
  }
  detail::charge_vector(x.program(), VectorClass::transcendental, x.dtype(), n);
  return out;
}
}  // namespace

Tile exp(const Tile& x) {
  return float_unary(x, "exp", [](double v) { return std::exp(v); });
}
Tile exp2(const Tile& x) {
  return float_unary(x, "exp2", [](double v) { return std::exp2(v); });
}
Tile log(const Tile& x) {
  return float_unary(x, "log", [](double v) { return std::log(v); });
}
Tile log2(const Tile& x) {
  return float_unary(x, "log2", [](double v) { return std::log2(v); });
}
Tile sqrt(const Tile& x) {
  return float_unary(x, "sqrt", [](double v) { return std::sqrt(v); });
}
Tile rsqrt(const Tile& x) {
  return float_unary(x, "rsqrt", [](double v) { return 1.0 / std::sqrt(v); });
}
Tile sigmoid(const Tile& x) {
  return float_unary(x, "sigmoid", [](double v) { return 1.0 / (1.0 + std::exp(-v)); });
}

Tile abs(const Tile& x) {
  if (x.is_pointer())
    throw SemanticError(fmt::format("abs: cannot take the absolute value of {}", x.describe()));
  Tile out(detail::kUninitialized, x.shape(), x.dtype(), false, x.program());
  if (!x.has_data()) {
    x.wait_filled();
    detail::drop_elements(out);
    detail::charge_vector(x.program(), VectorClass::simple, x.dtype(), x.numel());
    return out;
  }
  detail::dispatch(x.dtype(), [&](auto e) {
    using E = decltype(e);
    using S = typename E::Storage;
    using C = typename E::Compute;
    const S* in = reinterpret_cast<const S*>(x.data());
    S* o = reinterpret_cast<S*>(out.mutable_data());
    const std::int64_t n = x.numel();
    for (std::int64_t i = 0; i < n; ++i) {
      const C v = E::load(in[i]);
      if constexpr (std::is_unsigned_v<C>) {
        o[i] = in[i];
      } else if constexpr (std::is_floating_point_v<C>) {
        o[i] = E::store(std::fabs(v));
      } else {  // two's complement: |MIN| wraps to MIN, as iabs does
        o[i] = static_cast<S>(v < 0 ? static_cast<C>(0 - static_cast<std::uint64_t>(v)) : v);
      }
    }
  });
  detail::charge_vector(x.program(), VectorClass::simple, x.dtype(), x.numel());
  return out;
}

}  // namespace kernbench::tl
