"""Kernels in Triton's syntax on the simulated machine: a vector add and a row-wise softmax, each
checked against numpy, with the simulated time and where it went.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/triton_kernels.py

Only the import and the decorator differ from a Triton kernel; the host side uses kernbench
tensors instead of torch ones. A program's pointers point into its PE's shard of each tensor
(here every tensor sits whole on the first PE, so the shard is the tensor).
"""
import sys

import numpy as np

import kernbench as kb
import kernbench.language as tl


@kb.jit
def add_kernel(x_ptr, y_ptr, out_ptr, n_elements, BLOCK_SIZE: tl.constexpr):
    pid = tl.program_id(axis=0)               # which block of BLOCK_SIZE elements
    offsets = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offsets < n_elements               # the last block may run past the end
    x = tl.load(x_ptr + offsets, mask=mask)
    y = tl.load(y_ptr + offsets, mask=mask)
    tl.store(out_ptr + offsets, x + y, mask=mask)


@kb.jit
def softmax_kernel(out_ptr, in_ptr, in_stride, out_stride, n_rows, n_cols, BLOCK: tl.constexpr):
    # Each program takes every num_programs-th row; a row fits in one block of BLOCK columns.
    for row in tl.range(tl.program_id(0), n_rows, tl.num_programs(0)):
        cols = tl.arange(0, BLOCK)
        mask = cols < n_cols
        x = tl.load(in_ptr + row * in_stride + cols, mask=mask, other=-float("inf"))
        numerator = tl.exp(x - tl.max(x, axis=0))  # padding reads -inf, so exp gives 0
        tl.store(out_ptr + row * out_stride + cols, numerator / tl.sum(numerator, axis=0),
                 mask=mask)


def vector_add(rt, n):
    rng = np.random.default_rng(0)
    a, b = rng.random(n, dtype=np.float32), rng.random(n, dtype=np.float32)
    x, y = rt.from_numpy(a, name="x"), rt.from_numpy(b, name="y")
    out = rt.empty((n,), name="out")
    grid = lambda meta: (kb.cdiv(n, meta["BLOCK_SIZE"]),)  # noqa: E731  (Triton's idiom)
    launch = add_kernel[grid](x, y, out, n, BLOCK_SIZE=1024)
    return np.array_equal(out.numpy(), a + b), launch


def softmax(rt, rows, cols):
    data = np.random.default_rng(1).standard_normal((rows, cols)).astype(np.float32)
    x = rt.from_numpy(data, name="x")
    y = rt.empty((rows, cols), name="y")
    launch = softmax_kernel[(8,)](y, x, cols, cols, rows, cols,
                                  BLOCK=kb.next_power_of_2(cols))
    e = np.exp(data - data.max(axis=1, keepdims=True))
    return np.allclose(y.numpy(), e / e.sum(axis=1, keepdims=True), rtol=1e-5), launch


def report(name, ok, launch):
    t = launch.total()
    print(f"{name:12} {'OK' if ok else 'WRONG':5} programs={len(launch.programs):3} "
          f"elapsed={t.elapsed_ps / 1e6:9.3f} us  dma={t.dma_ps / 1e6:8.3f} us  "
          f"vector={t.vector_ps / 1e6:8.3f} us")
    return ok


def main():
    rt = kb.Machine().runtime
    ok = report("vector_add", *vector_add(rt, 10_000))
    ok &= report("softmax", *softmax(rt, 64, 200))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
