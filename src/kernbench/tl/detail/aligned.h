// Internal: operands brought to an op's result shape without copying them. The result is walked
// as runs along which each operand is a splat (one element read for every lane, step 0) or a flat
// array (step 1), so the typed loops only ever walk flat arrays.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "kernbench/tl/tile.h"

namespace kernbench::tl::detail {

/// What a typed loop reads: `step` 1 walks a flat array of the result's shape, 0 reads its one
/// element for every lane.
struct Input {
  const std::byte* data = nullptr;
  std::int64_t step = 1;
};

/// The bytes of `t` broadcast to `shape` as broadcast_to would materialise it (0 for a splat, or
/// for a tile with as many elements, which it only views): what a broadcast operand holds in TCM
/// while its op runs, though the loops read it in place.
std::uint64_t broadcast_copy_bytes(const Tile& t, const Shape& shape);

/// K operands broadcast to a result `shape`, walked as runs along the innermost dimension (after
/// merging the dimensions that are contiguous, or broadcast, in every operand alike), each operand
/// read with step 1 or 0 along a run. The typed loops run once per run on flat inputs, and
/// nothing is materialised.
template <std::size_t K>
class BroadcastRuns {
 public:
  struct Run {
    std::array<Input, K> in;
    std::byte* out = nullptr;
    std::int64_t n = 0;
  };

  /// One run of `n` lanes (operands read in place).
  BroadcastRuns(const std::array<Input, K>& in, std::byte* out, std::int64_t n)
      : rank_(1), out_(out), out_bytes_(0) {
    dims_[0] = n;
    for (std::size_t k = 0; k < K; ++k) {
      base_[k] = in[k].data;
      steps_[k][0] = in[k].step;
    }
  }

  /// `operands` (each broadcastable to `shape`) into `out`, elements of `out_bytes`. Reads the
  /// operands' data (waiting for loads still filling them): make the result first.
  BroadcastRuns(const std::array<const Tile*, K>& operands, const Shape& shape, std::byte* out,
                std::size_t out_bytes)
      : out_(out), out_bytes_(out_bytes) {
    std::array<std::array<std::int64_t, Shape::kMaxRank>, K> strides{};
    for (std::size_t k = 0; k < K; ++k) {
      const Tile& t = *operands[k];
      base_[k] = t.data();
      bytes_[k] = t.element_bytes();
      const auto own = t.shape().strides();
      const int pad = shape.rank() - t.rank();  // numpy: missing leading dims are size 1
      for (int d = 0; d < shape.rank(); ++d) {
        const bool broadcast = d < pad || t.shape()[d - pad] == 1;
        strides[k][static_cast<std::size_t>(d)] =
            broadcast ? 0 : own[static_cast<std::size_t>(d - pad)];
      }
    }
    for (int d = 0; d < shape.rank(); ++d) {  // size-1 dims dropped, mergeable ones merged
      const auto ud = static_cast<std::size_t>(d);
      if (shape[d] == 1) continue;
      bool merge = rank_ > 0;
      for (std::size_t k = 0; merge && k < K; ++k)
        merge = steps_[k][static_cast<std::size_t>(rank_ - 1)] == strides[k][ud] * shape[d];
      if (!merge) ++rank_;
      const auto last = static_cast<std::size_t>(rank_ - 1);
      dims_[last] = merge ? dims_[last] * shape[d] : shape[d];
      for (std::size_t k = 0; k < K; ++k) steps_[k][last] = strides[k][ud];
    }
    if (rank_ == 0) {  // one element
      rank_ = 1;
      dims_[0] = 1;
    }
    done_ = shape.numel() == 0;
  }

  /// The next run, false after the last.
  bool next(Run& run) {
    if (done_) return false;
    const auto inner = static_cast<std::size_t>(rank_ - 1);
    for (std::size_t k = 0; k < K; ++k)
      run.in[k] = {base_[k] + offset_[k] * static_cast<std::int64_t>(bytes_[k]), steps_[k][inner]};
    run.out = out_ + out_offset_ * static_cast<std::int64_t>(out_bytes_);
    run.n = dims_[inner];
    out_offset_ += dims_[inner];
    done_ = true;
    for (int d = rank_ - 2; d >= 0; --d) {  // odometer over the outer dims
      const auto ud = static_cast<std::size_t>(d);
      for (std::size_t k = 0; k < K; ++k) offset_[k] += steps_[k][ud];
      if (++index_[ud] < dims_[ud]) {
        done_ = false;
        break;
      }
      for (std::size_t k = 0; k < K; ++k) offset_[k] -= steps_[k][ud] * dims_[ud];
      index_[ud] = 0;
    }
    return true;
  }

 private:
  int rank_ = 0;
  std::array<std::int64_t, Shape::kMaxRank> dims_{};
  std::array<std::array<std::int64_t, Shape::kMaxRank>, K> steps_{};  // elements, per operand
  std::array<const std::byte*, K> base_{};
  std::array<std::size_t, K> bytes_{};
  std::array<std::int64_t, K> offset_{};
  std::array<std::int64_t, Shape::kMaxRank> index_{};
  std::byte* out_;
  std::size_t out_bytes_;
  std::int64_t out_offset_ = 0;
  bool done_ = false;
};

/// Applies f(a, b) to `n` lanes: out[i] = Out::store(f(E::load(a[i]), E::load(b[i]))). Each mix of
/// steps gets its own loop with constant strides, so the compiler vectorises it.
template <class E, class Out, class F>
void loop2(Input a, Input b, std::byte* out, std::int64_t n, F f) {
  using S = typename E::Storage;
  const S* pa = reinterpret_cast<const S*>(a.data);
  const S* pb = reinterpret_cast<const S*>(b.data);
  auto* po = reinterpret_cast<typename Out::Storage*>(out);
  if (a.step == 1 && b.step == 1) {
    for (std::int64_t i = 0; i < n; ++i) po[i] = Out::store(f(E::load(pa[i]), E::load(pb[i])));
  } else if (a.step == 1) {
    const auto y = E::load(pb[0]);
    for (std::int64_t i = 0; i < n; ++i) po[i] = Out::store(f(E::load(pa[i]), y));
  } else if (b.step == 1) {
    const auto x = E::load(pa[0]);
    for (std::int64_t i = 0; i < n; ++i) po[i] = Out::store(f(x, E::load(pb[i])));
  } else {  // two splats: one lane
    const auto x = E::load(pa[0]), y = E::load(pb[0]);
    for (std::int64_t i = 0; i < n; ++i) po[i] = Out::store(f(x, y));
  }
}

/// loop2 over every run of `runs`.
template <class E, class Out, class F>
void loop2(BroadcastRuns<2>& runs, F f) {
  typename BroadcastRuns<2>::Run run;
  while (runs.next(run)) loop2<E, Out>(run.in[0], run.in[1], run.out, run.n, f);
}

}  // namespace kernbench::tl::detail
