#include "tutorial_twins.h"

#include <limits>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/tl/tl.h"

namespace kernbench::python {
namespace {

using namespace tl;

// vector_add(x, y, out, n; BLOCK), typed: a `Tile` parameter is the scalar argument typed as
// Triton (and the Python kernel) types it.
void vector_add(Program& p, Pointer x_ptr, Pointer y_ptr, Pointer out_ptr, const Tile& n_elements,
                std::int64_t block) {
  const Tile pid = p.program_id(0);
  const Tile offsets = pid * block + arange(0, block);
  const Tile mask = offsets < n_elements;
  const Tile x = load(x_ptr + offsets, mask);
  const Tile y = load(y_ptr + offsets, mask);
  // Python evaluates a call's arguments left to right, C++ in no set order: named first, so the
  // pointer add runs before x + y waits for the loads, as in the Python kernel.
  const Tile out_ptrs = out_ptr + offsets;
  store(out_ptrs, x + y, mask);
}

// softmax(out, in, in_stride, out_stride, n_rows, n_cols; BLOCK): one row at a time, programs
// striding over the rows.
void softmax(Program& p, std::int64_t block) {
  const Tile first = p.program_id(0);
  const Tile step = p.num_programs(0);
  for (std::int64_t row = first.item(); row < p.scalar(4).item(); row += step.item()) {
    const Tile cols = arange(0, block);
    const Tile mask = cols < p.scalar(5);
    const Tile x = load(p.pointer(1) + row * p.scalar(2) + cols, mask,
                        -std::numeric_limits<double>::infinity());
    const Tile shifted = x - max(x, 0);
    const Tile numerator = exp(shifted);
    const Tile denominator = sum(numerator, 0);
    const Tile out_ptrs = p.pointer(0) + row * p.scalar(3) + cols;
    store(out_ptrs, truediv(numerator, denominator), mask);
  }
}

// matmul(a, b, c, M, N, K, stride_am, stride_ak, stride_bk, stride_bn, stride_cm, stride_cn;
// BLOCK_M, BLOCK_N, BLOCK_K): c = a @ b, f32 accumulation, masked edges.
void matmul(Program& p, std::int64_t bm, std::int64_t bn, std::int64_t bk) {
  const Tile m = p.scalar(3), n = p.scalar(4), k_total = p.scalar(5);
  const Tile offs_m = p.program_id(0) * bm + arange(0, bm);
  const Tile offs_n = p.program_id(1) * bn + arange(0, bn);
  const Tile offs_k = arange(0, bk);
  Tile a_ptrs = p.pointer(0) + offs_m.col() * p.scalar(6) + offs_k.row() * p.scalar(7);
  Tile b_ptrs = p.pointer(1) + offs_k.col() * p.scalar(8) + offs_n.row() * p.scalar(9);
  Tile acc = zeros(Shape{bm, bn}, DType::f32);
  const std::int64_t steps = cdiv(k_total, bk).item();  // once, as Python's range() reads it
  for (std::int64_t k = 0; k < steps; ++k) {
    const Tile a = load(a_ptrs, (offs_m.col() < m) & (offs_k.row() < k_total - k * bk), 0.0);
    const Tile b = load(b_ptrs, (offs_k.col() < k_total - k * bk) & (offs_n.row() < n), 0.0);
    acc = dot(a, b, acc);
    a_ptrs = a_ptrs + bk * p.scalar(7);
    b_ptrs = b_ptrs + bk * p.scalar(8);
  }
  const Tile c_ptrs = p.pointer(2) + offs_m.col() * p.scalar(10) + offs_n.row() * p.scalar(11);
  store(c_ptrs, acc, (offs_m.col() < m) & (offs_n.row() < n));
}

void check_blocks(std::string_view kind, std::span<const std::int64_t> blocks, std::size_t want) {
  if (blocks.size() != want)
    throw base::ShapeError(
        fmt::format("twin '{}' takes {} block sizes, not {}", kind, want, blocks.size()));
}

}  // namespace

rt::KernelFn tutorial_twin(std::string_view kind, std::span<const std::int64_t> blocks) {
  if (kind == "vector_add") {
    check_blocks(kind, blocks, 1);
    return kernel([b = blocks[0]](Program& p, Pointer x, Pointer y, Pointer out, Tile n) {
      vector_add(p, std::move(x), std::move(y), std::move(out), n, b);
    });
  }
  if (kind == "softmax") {
    check_blocks(kind, blocks, 1);
    return kernel([b = blocks[0]](Program& p) { softmax(p, b); });
  }
  if (kind == "matmul") {
    check_blocks(kind, blocks, 3);
    return kernel(
        [m = blocks[0], n = blocks[1], k = blocks[2]](Program& p) { matmul(p, m, n, k); });
  }
  throw base::NotFoundError(
      fmt::format("unknown twin '{}'; known: matmul, softmax, vector_add", kind));
}

}  // namespace kernbench::python
