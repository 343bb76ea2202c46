// Tile::to and Tile::bitcast (TRITON.md §2.5): one dtype dispatch for the source and one for the
// destination, then a loop converting with detail::convert's documented rounding.
#include <cstring>

#include <fmt/format.h>

#include "kernbench/tl/detail/charge.h"
#include "kernbench/tl/detail/convert.h"
#include "kernbench/tl/detail/dataless.h"
#include "kernbench/tl/semantic_error.h"
#include "kernbench/tl/tile.h"

namespace kernbench::tl {

namespace {
Tile addresses_as_i64(const Tile& p) {
  Tile out(detail::kUninitialized, p.shape(), DType::i64, false, p.program());
  std::memcpy(out.mutable_data(), p.data(), static_cast<std::size_t>(p.numel()) * 8);
  if (!p.has_data()) out.drop_data();
  return out;
}
void cast_elements(const Tile& x, Tile& out, Rounding rounding);
}  // namespace

Tile Tile::to(DType dtype, Rounding rounding) const {
  if (pointer_) {
    if (dtype == DType::i64) return addresses_as_i64(*this);
    throw SemanticError(
        fmt::format("to: cannot cast pointer tile {} to {} (only i64)", describe(), dtype));
  }
  const bool narrowing_float = base::is_floating(dtype_) && base::is_floating(dtype) &&
                               base::size_bytes(dtype) < base::size_bytes(dtype_);
  if (rounding == Rounding::rtz && !narrowing_float && dtype != dtype_)
    throw SemanticError(
        fmt::format("to: round-toward-zero applies only to float narrowing casts, not {} to {}",
                    describe(), dtype));
  if (dtype == dtype_) return *this;
  Tile out(detail::kUninitialized, shape_, dtype, false, program_);
  if (dataless_) {
    wait_filled();
    detail::drop_elements(out);
  } else {
    cast_elements(*this, out, rounding);
  }
  detail::charge_vector(program_, VectorClass::simple, dtype, numel());
  return out;
}

namespace {
void cast_elements(const Tile& x, Tile& out, Rounding rounding) {
  const std::int64_t n = x.numel();
  const DType dtype = out.dtype();
  detail::dispatch(x.dtype(), [&](auto s) {
    using S = decltype(s);
    detail::dispatch(dtype, [&](auto d) {
      using D = decltype(d);
      const auto* in = reinterpret_cast<const typename S::Storage*>(x.data());
      auto* o = reinterpret_cast<typename D::Storage*>(out.mutable_data());
      // One loop per rounding, so the common one compiles without the other's test.
      if (rounding == Rounding::rtne) {
        for (std::int64_t i = 0; i < n; ++i) o[i] = detail::convert<D>(S::load(in[i]));
      } else {
        for (std::int64_t i = 0; i < n; ++i)
          o[i] = detail::convert<D>(S::load(in[i]), Rounding::rtz);
      }
    });
  });
}
}  // namespace

Tile Tile::bitcast(DType dtype) const {
  if (pointer_ || base::size_bytes(dtype) != base::size_bytes(dtype_) ||
      (dtype == DType::boolean) != (dtype_ == DType::boolean))
    throw SemanticError(fmt::format("bitcast: {} and {} differ in bit width", describe(), dtype));
  Tile out(detail::kUninitialized, shape_, dtype, false, program_);
  std::memcpy(out.mutable_data(), data(), static_cast<std::size_t>(numel()) * element_bytes());
  if (dataless_) out.drop_data();
  return out;
}

}  // namespace kernbench::tl
