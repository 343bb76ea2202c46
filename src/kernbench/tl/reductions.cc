#include "kernbench/tl/reductions.h"

#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "kernbench/tl/detail/binary_kernels.h"
#include "kernbench/tl/detail/charge.h"
#include "kernbench/tl/detail/element.h"
#include "kernbench/tl/semantic_error.h"

namespace kernbench::tl {

namespace {

enum class Combine { sum, max, min, argmax, argmin };

// x seen as [outer, len, inner] around the reduced axis (all of x when axis is nullopt).
struct Layout {
  std::int64_t outer = 1, len = 1, inner = 1;
  Shape result;
};

Layout layout(const Tile& x, std::optional<int> axis, KeepDims keep, std::string_view op) {
  Layout l;
  if (!axis) {
    l.len = x.numel();
    if (keep == KeepDims::yes) {
      std::vector<std::int64_t> ones(static_cast<std::size_t>(x.rank()), 1);
      l.result = Shape(ones);
    }
    return l;
  }
  const int a = wrap_axis(*axis, x.rank(), op);
  for (int i = 0; i < x.rank(); ++i) (i < a ? l.outer : i == a ? l.len : l.inner) *= x.shape()[i];
  l.result = keep == KeepDims::yes ? x.shape().with(a, 1) : x.shape().removed(a);
  return l;
}

void check_reducible(const Tile& x, std::string_view op) {
  if (x.is_pointer())
    throw SemanticError(fmt::format("{}: cannot reduce pointer tile {}", op, x.describe()));
  if (x.rank() == 0)
    throw base::ShapeError(
        fmt::format("{}: cannot reduce scalar {} along an axis", op, x.describe()));
}

// Reduces x (already in its accumulation dtype) into a tile of `out_dtype`; for argmax / argmin,
// `values` (given) receives the value at each index, in x's dtype.
Tile reduce(const Tile& x, const Layout& l, Combine how, DType out_dtype, Tile* values = nullptr) {
  Tile out(l.result, out_dtype, false, x.program());
  if (values != nullptr) *values = Tile(l.result, x.dtype(), false, x.program());
  if (!x.has_data()) {
    x.wait_filled();
    out.drop_data();  // zeros already
    if (values != nullptr) values->drop_data();
    detail::charge_vector(x.program(), VectorClass::simple, x.dtype(), x.numel());
    return out;
  }
  detail::dispatch(x.dtype(), [&](auto e) {
    using E = decltype(e);
    using C = typename E::Compute;
    const auto* in = reinterpret_cast<const typename E::Storage*>(x.data());
    auto* o = reinterpret_cast<typename E::Storage*>(out.mutable_data());
    auto* idx = reinterpret_cast<std::int32_t*>(out.mutable_data());
    auto* at_idx = values != nullptr
                       ? reinterpret_cast<typename E::Storage*>(values->mutable_data())
                       : nullptr;
    for (std::int64_t p = 0; p < l.outer; ++p) {
      for (std::int64_t q = 0; q < l.inner; ++q) {
        const auto* base = in + p * l.len * l.inner + q;
        C acc = E::load(base[0]);
        std::int64_t best = 0;
        for (std::int64_t k = 1; k < l.len; ++k) {
          const C v = E::load(base[k * l.inner]);
          switch (how) {
            case Combine::sum: acc = detail::add(acc, v); break;
            case Combine::max: acc = detail::max_ignore_nan(acc, v); break;
            case Combine::min: acc = detail::min_ignore_nan(acc, v); break;
            case Combine::argmax:
            case Combine::argmin: {
              bool better = how == Combine::argmax ? v > acc : v < acc;
              if constexpr (std::is_floating_point_v<C>)
                better = better || (std::isnan(acc) && !std::isnan(v));
              if (better) acc = v, best = k;
              break;
            }
          }
        }
        const std::int64_t at = p * l.inner + q;
        if (how == Combine::argmax || how == Combine::argmin) {
          idx[at] = static_cast<std::int32_t>(best);
          if (at_idx != nullptr) at_idx[at] = E::store(acc);
        } else {
          o[at] = E::store(acc);
        }
      }
    }
  });
  detail::charge_vector(x.program(), VectorClass::simple, x.dtype(), x.numel());
  return out;
}

DType sum_dtype(DType in) {
  if (base::is_unsigned_integer(in) && base::size_bytes(in) < 4) return DType::u32;
  if ((base::is_signed_integer(in) && base::size_bytes(in) < 4) || in == DType::boolean)
    return DType::i32;
  return in;
}

DType max_dtype(DType in) {
  if (base::is_floating(in)) return base::size_bytes(in) < 4 ? DType::f32 : in;
  return base::size_bytes(in) < 4 ? DType::i32 : in;
}

// Triton's max / min with return_indices: bf16 becomes f32, every other dtype stays (no
// sub-32-bit widening); the indices are argmax's / argmin's, i32, ties to the smallest.
std::pair<Tile, Tile> with_indices(const Tile& x, std::optional<int> axis, KeepDims keep,
                                   Combine how, std::string_view op) {
  check_reducible(x, op);
  const Tile in = x.dtype() == DType::bf16 ? x.to(DType::f32) : x;
  Tile values;
  Tile index = reduce(in, layout(in, axis, keep, op), how, DType::i32, &values);
  return {std::move(values), std::move(index)};
}

}  // namespace

Tile sum(const Tile& x, std::optional<int> axis, KeepDims keep, std::optional<DType> dtype) {
  check_reducible(x, "sum");
  const Tile in = dtype ? x.to(*dtype) : x.to(sum_dtype(x.dtype()));
  return reduce(in, layout(in, axis, keep, "sum"), Combine::sum, in.dtype());
}

Tile max(const Tile& x, std::optional<int> axis, KeepDims keep) {
  check_reducible(x, "max");
  const Tile in = x.to(max_dtype(x.dtype()));
  return reduce(in, layout(in, axis, keep, "max"), Combine::max, in.dtype());
}

Tile min(const Tile& x, std::optional<int> axis, KeepDims keep) {
  check_reducible(x, "min");
  const Tile in = x.to(max_dtype(x.dtype()));
  return reduce(in, layout(in, axis, keep, "min"), Combine::min, in.dtype());
}

Tile argmax(const Tile& x, int axis, KeepDims keep) {
  check_reducible(x, "argmax");
  return reduce(x, layout(x, axis, keep, "argmax"), Combine::argmax, DType::i32);
}

Tile argmin(const Tile& x, int axis, KeepDims keep) {
  check_reducible(x, "argmin");
  return reduce(x, layout(x, axis, keep, "argmin"), Combine::argmin, DType::i32);
}

std::pair<Tile, Tile> max_with_indices(const Tile& x, std::optional<int> axis, KeepDims keep) {
  return with_indices(x, axis, keep, Combine::argmax, "max");
}

std::pair<Tile, Tile> min_with_indices(const Tile& x, std::optional<int> axis, KeepDims keep) {
  return with_indices(x, axis, keep, Combine::argmin, "min");
}

Tile cumsum(const Tile& x, int axis, bool reverse, std::optional<DType> dtype) {
  check_reducible(x, "cumsum");
  const Tile in = dtype ? x.to(*dtype) : x.to(sum_dtype(x.dtype()));
  const Layout l = layout(in, axis, KeepDims::yes, "cumsum");
  Tile out(in.shape(), in.dtype(), false, in.program());
  if (!in.has_data()) {
    in.wait_filled();
    out.drop_data();  // zeros already
    detail::charge_vector(in.program(), VectorClass::simple, in.dtype(), in.numel());
    return out;
  }
  detail::dispatch(in.dtype(), [&](auto e) {
    using E = decltype(e);
    using C = typename E::Compute;
    const auto* src = reinterpret_cast<const typename E::Storage*>(in.data());
    auto* o = reinterpret_cast<typename E::Storage*>(out.mutable_data());
    for (std::int64_t p = 0; p < l.outer; ++p) {
      for (std::int64_t q = 0; q < l.inner; ++q) {
        C acc{};
        for (std::int64_t j = 0; j < l.len; ++j) {
          const std::int64_t k = reverse ? l.len - 1 - j : j;
          const std::int64_t at = (p * l.len + k) * l.inner + q;
          acc = j == 0 ? E::load(src[at]) : detail::add(acc, E::load(src[at]));
          o[at] = E::store(acc);  // the running sum stays in the compute type (f32 for f16)
        }
      }
    }
  });
  detail::charge_vector(in.program(), VectorClass::simple, in.dtype(), in.numel());
  return out;
}

namespace {

KeepDims keep_of(bool keep_dims) { return keep_dims ? KeepDims::yes : KeepDims::no; }

int required_axis(const ReduceOptions& o, std::string_view op) {
  if (!o.axis) throw SemanticError(fmt::format("{}: needs an axis", op));
  return *o.axis;
}

}  // namespace

Tile sum(const Tile& x, const SumOptions& o) {
  if (o.reverse) throw SemanticError("sum: reverse is an option of cumsum");
  return sum(x, o.axis, keep_of(o.keep_dims), o.dtype);
}
Tile cumsum(const Tile& x, const SumOptions& o) {
  if (o.keep_dims) throw SemanticError("cumsum: keep_dims is an option of sum");
  return cumsum(x, o.axis.value_or(0), o.reverse, o.dtype);
}
Tile max(const Tile& x, const ReduceOptions& o) { return max(x, o.axis, keep_of(o.keep_dims)); }
Tile min(const Tile& x, const ReduceOptions& o) { return min(x, o.axis, keep_of(o.keep_dims)); }
Tile argmax(const Tile& x, const ReduceOptions& o) {
  return argmax(x, required_axis(o, "argmax"), keep_of(o.keep_dims));
}
Tile argmin(const Tile& x, const ReduceOptions& o) {
  return argmin(x, required_axis(o, "argmin"), keep_of(o.keep_dims));
}
std::pair<Tile, Tile> max_with_indices(const Tile& x, const ReduceOptions& o) {
  return max_with_indices(x, o.axis, keep_of(o.keep_dims));
}
std::pair<Tile, Tile> min_with_indices(const Tile& x, const ReduceOptions& o) {
  return min_with_indices(x, o.axis, keep_of(o.keep_dims));
}

}  // namespace kernbench::tl
