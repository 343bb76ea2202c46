// Reductions and scans along an axis (TRITON.md §2.6) with Triton's result dtypes: sum turns
// sub-32-bit integers into i32 / u32 and keeps float dtypes (accumulating f16 / bf16 in f32);
// max / min turn bf16 and f16 into f32 and sub-32-bit integers into i32 and ignore NaN;
// argmax / argmin give i32 indices, ties to the smallest index. Accumulation runs in index order.
#pragma once

#include <optional>
#include <utility>

#include "kernbench/tl/tile.h"

namespace kernbench::tl {

/// Whether a reduction keeps the reduced axis as a size-1 dim.
enum class KeepDims : bool { no = false, yes = true };
inline constexpr KeepDims keep_dims = KeepDims::yes;

/// The optional arguments of sum and cumsum by name: `sum(x, {.axis = 0, .dtype = DType::f32})`.
struct SumOptions {
  std::optional<int> axis = std::nullopt;     // nullopt: every element (sum), 0 (cumsum)
  bool keep_dims = false;                     // sum only
  std::optional<DType> dtype = std::nullopt;  // cast the input first
  bool reverse = false;                       // cumsum only
};
/// The optional arguments of max, min, argmax, argmin and the *_with_indices forms by name:
/// `max(x, {.axis = 1, .keep_dims = true})`.
struct ReduceOptions {
  std::optional<int> axis = std::nullopt;  // nullopt: every element (argmax / argmin need one)
  bool keep_dims = false;
};

Tile sum(const Tile& x, const SumOptions& options);
Tile cumsum(const Tile& x, const SumOptions& options);
Tile max(const Tile& x, const ReduceOptions& options);
Tile min(const Tile& x, const ReduceOptions& options);
Tile argmax(const Tile& x, const ReduceOptions& options);
Tile argmin(const Tile& x, const ReduceOptions& options);
std::pair<Tile, Tile> max_with_indices(const Tile& x, const ReduceOptions& options);
std::pair<Tile, Tile> min_with_indices(const Tile& x, const ReduceOptions& options);

/// Sum along `axis` (negative wraps; nullopt: every element, giving a scalar); `dtype` casts the
/// input first.
Tile sum(const Tile& x, std::optional<int> axis = {}, KeepDims keep = KeepDims::no,
         std::optional<DType> dtype = {});
/// Maximum / minimum along `axis` (NaN ignored unless every element is NaN).
Tile max(const Tile& x, std::optional<int> axis = {}, KeepDims keep = KeepDims::no);
Tile min(const Tile& x, std::optional<int> axis = {}, KeepDims keep = KeepDims::no);
/// Maximum / minimum along `axis` and the i32 index of its first occurrence (Triton's
/// `max(x, axis, return_indices=True)`): bf16 becomes f32, other dtypes stay; NaN ignored.
std::pair<Tile, Tile> max_with_indices(const Tile& x, std::optional<int> axis = {},
                                       KeepDims keep = KeepDims::no);
std::pair<Tile, Tile> min_with_indices(const Tile& x, std::optional<int> axis = {},
                                       KeepDims keep = KeepDims::no);
/// i32 index of the maximum / minimum along `axis`; ties -> the smallest index; NaN ignored.
Tile argmax(const Tile& x, int axis, KeepDims keep = KeepDims::no);
Tile argmin(const Tile& x, int axis, KeepDims keep = KeepDims::no);
/// Inclusive prefix sum along `axis` (same shape; dtype rule of sum).
Tile cumsum(const Tile& x, int axis = 0, bool reverse = false, std::optional<DType> dtype = {});

}  // namespace kernbench::tl
