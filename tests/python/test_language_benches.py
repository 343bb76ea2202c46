"""Python kernels in Triton's syntax against the built-in benches' C++ kernels (benches/, run by
`kernbench run <bench> --json`): the same deployment and launch give the same simulated launch
time to the picosecond, since both call the same tl ops in the same order. The softmax bench
reads its sizes as C++ integers, which are weak literals to the ops; its Python twin takes them as
constexprs, the same kind (an int argument would be an i32 tile, whose ops cost differently)."""
import json
import os
import pathlib
import subprocess

import numpy as np
import pytest

import kernbench as kb
import kernbench.language as tl

BINARY_DIR = pathlib.Path(os.environ.get("KERNBENCH_BINARY_DIR",
                                         pathlib.Path(__file__).resolve().parents[2] / "build"))
CLI = BINARY_DIR / "apps" / "kernbench" / "kernbench"
PES = 128  # the default machine's SIP: 16 cubes of 8 PEs; the benches spread rows over all
SPREAD = kb.Placement(cube="rows", pe="rows")
COPIES = kb.Placement(cube="replicate", pe="replicate")


@kb.jit
def add_kernel(x_ptr, y_ptr, output_ptr, n_elements, BLOCK_SIZE: tl.constexpr):
    pid = tl.program_id(axis=0)
    block_start = pid * BLOCK_SIZE
    offsets = block_start + tl.arange(0, BLOCK_SIZE)
    mask = offsets < n_elements
    x = tl.load(x_ptr + offsets, mask=mask)
    y = tl.load(y_ptr + offsets, mask=mask)
    output = x + y
    tl.store(output_ptr + offsets, output, mask=mask)


@kb.jit
def softmax_rows(x_ptr, y_ptr, n_rows: tl.constexpr, n_cols: tl.constexpr,
                 row_stride: tl.constexpr, BLOCK_ROWS: tl.constexpr,
                 BLOCK_COLS: tl.constexpr):
    r = tl.program_id(0) * BLOCK_ROWS + tl.arange(0, BLOCK_ROWS)
    c = tl.arange(0, BLOCK_COLS)
    mask = (r[:, None] < n_rows) & (c[None, :] < n_cols)
    offsets = r[:, None] * row_stride + c[None, :]
    v = tl.load(x_ptr + offsets, mask=mask, other=-float("inf"))
    numerator = tl.exp(v - tl.max(v, axis=1, keep_dims=True))
    tl.store(y_ptr + offsets, numerator / tl.sum(numerator, axis=1, keep_dims=True), mask=mask)


@kb.jit
def layer_norm_fwd(x_ptr, w_ptr, b_ptr, y_ptr, mean_ptr, rstd_ptr, eps, n_rows: tl.constexpr,
                   n_cols: tl.constexpr, stride: tl.constexpr, BLOCK_ROWS: tl.constexpr,
                   BLOCK_COLS: tl.constexpr):
    r = tl.program_id(0) * BLOCK_ROWS + tl.arange(0, BLOCK_ROWS)
    c = tl.arange(0, BLOCK_COLS)
    col_live = c < n_cols
    mask = (r[:, None] < n_rows) & col_live[None, :]
    offsets = r[:, None] * stride + c[None, :]
    v = tl.load(x_ptr + offsets, mask=mask, other=0.0).to(tl.float32)
    mean = tl.sum(v, axis=1, keep_dims=True) / n_cols
    centered = tl.where(mask, v - mean, 0.0)  # the padding must not count in the variance
    rstd = tl.rsqrt(tl.sum(centered * centered, axis=1, keep_dims=True) / n_cols + eps)
    w = tl.load(w_ptr + c, mask=col_live).to(tl.float32)
    b = tl.load(b_ptr + c, mask=col_live).to(tl.float32)
    tl.store(y_ptr + offsets, centered * rstd * w[None, :] + b[None, :], mask=mask)
    row_live = r < n_rows
    tl.store(mean_ptr + r, tl.reshape(mean, (BLOCK_ROWS,)), mask=row_live)
    tl.store(rstd_ptr + r, tl.reshape(rstd, (BLOCK_ROWS,)), mask=row_live)


@kb.jit
def matmul_block_ptrs(a_ptr, b_ptr, c_ptr, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr,
                      BM: tl.constexpr, BN: tl.constexpr, BK: tl.constexpr):
    row0 = tl.program_id(0) * BM
    col0 = tl.program_id(1) * BN
    a_block = tl.make_block_ptr(a_ptr, (M, K), (K, 1), (row0, 0), (BM, BK), (1, 0))
    b_block = tl.make_block_ptr(b_ptr, (K, N), (N, 1), (0, col0), (BK, BN), (1, 0))
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    a = tl.load(a_block, boundary_check=(0, 1))
    b = tl.load(b_block, boundary_check=(0, 1))
    for k0 in range(0, K, BK):
        next_a = next_b = None
        if k0 + BK < K:  # the next blocks load while the matrix unit works on these
            a_block = tl.advance(a_block, (0, BK))
            b_block = tl.advance(b_block, (BK, 0))
            next_a = tl.load(a_block, boundary_check=(0, 1))
            next_b = tl.load(b_block, boundary_check=(0, 1))
        acc = tl.dot(a, b, acc)
        a, b = next_a, next_b
    c_block = tl.make_block_ptr(c_ptr, (M, N), (N, 1), (row0, col0), (BM, BN), (1, 0))
    tl.store(c_block, acc, boundary_check=(0, 1))


def bench_launch(name, tmp_path):
    """The bench's launch phase (start and duration) and its kernel time, in picoseconds."""
    if not os.access(CLI, os.X_OK):
        pytest.skip(f"{CLI} is not built (or is being linked)")
    out = tmp_path / f"{name}.json"
    subprocess.run([str(CLI), "run", name, "--json", str(out)], check=True, capture_output=True)
    bench = json.loads(out.read_text())["benches"][0]
    phase = next(p for p in bench["phases"] if p["name"].startswith("launch"))
    return phase["start_ps"], phase["duration_ps"], bench["time_ps"]


def launch_figures(rt, launch):
    row = rt.completions()[-1]
    span = max(p.end_ps for p in launch.programs) - min(p.start_ps for p in launch.programs)
    return row.start_ps, row.duration_ps, span


def test_vector_add_takes_the_bench_kernels_time_to_the_picosecond(tmp_path):
    want = bench_launch("vector_add", tmp_path)
    n = PES * 8000
    data = np.random.default_rng(1).standard_normal((2, n)).astype(np.float32)
    rt = kb.Machine().runtime
    x = rt.from_numpy(data[0], placement=SPREAD, name="x")
    y = rt.from_numpy(data[1], placement=SPREAD, name="y")
    out = rt.empty((n,), placement=SPREAD, name="out")
    grid = lambda meta: (kb.cdiv(meta["x_ptr"].numel, meta["BLOCK_SIZE"]),)  # noqa: E731
    launch = add_kernel[grid](x, y, out, 8000, BLOCK_SIZE=1024)
    assert launch_figures(rt, launch) == want
    assert len(launch.programs) == PES * 8
    assert np.array_equal(out.numpy(), data[0] + data[1])


def test_softmax_takes_the_bench_kernels_time_to_the_picosecond(tmp_path):
    want = bench_launch("softmax", tmp_path)
    rows, cols, block_rows = PES * 16, 1000, 4
    data = np.random.default_rng(2).uniform(-4, 4, (rows, cols)).astype(np.float32)
    rt = kb.Machine().runtime
    x = rt.from_numpy(data, placement=SPREAD, name="x")
    y = rt.empty((rows, cols), placement=SPREAD, name="y")
    grid = lambda meta: (kb.cdiv(meta["x_ptr"].shape[0], meta["BLOCK_ROWS"]),)  # noqa: E731
    launch = softmax_rows[grid](x, y, 16, cols, cols, BLOCK_ROWS=block_rows,
                                BLOCK_COLS=kb.next_power_of_2(cols))
    assert launch_figures(rt, launch) == want
    e = np.exp(data - data.max(axis=1, keepdims=True))
    np.testing.assert_allclose(y.numpy(), e / e.sum(axis=1, keepdims=True), rtol=1e-5, atol=1e-7)


def test_layer_norm_takes_the_bench_kernels_time_to_the_picosecond(tmp_path):
    want = bench_launch("layernorm", tmp_path)
    rows, cols, block_rows = PES * 16, 1000, 4
    rng = np.random.default_rng(3)
    data = rng.uniform(-2, 2, (rows, cols)).astype(np.float16)
    weight = rng.uniform(0.5, 1.5, cols).astype(np.float16)
    bias = rng.standard_normal(cols).astype(np.float16)
    rt = kb.Machine().runtime
    x = rt.from_numpy(data, placement=SPREAD, name="x")
    w = rt.from_numpy(weight, placement=COPIES, name="w")
    b = rt.from_numpy(bias, placement=COPIES, name="b")
    y = rt.empty((rows, cols), kb.f16, placement=SPREAD, name="y")
    mean = rt.empty((rows,), placement=SPREAD, name="mean")
    rstd = rt.empty((rows,), placement=SPREAD, name="rstd")
    grid = lambda meta: (kb.cdiv(meta["x_ptr"].shape[0], meta["BLOCK_ROWS"]),)  # noqa: E731
    launch = layer_norm_fwd[grid](x, w, b, y, mean, rstd, 1e-5, n_rows=16, n_cols=cols,
                                  stride=cols, BLOCK_ROWS=block_rows,
                                  BLOCK_COLS=kb.next_power_of_2(cols))
    assert launch_figures(rt, launch) == want
    v = data.astype(np.float32)
    mu = v.mean(axis=1, keepdims=True)
    inv = 1 / np.sqrt(((v - mu) ** 2).mean(axis=1, keepdims=True) + 1e-5)
    want_y = (v - mu) * inv * weight.astype(np.float32) + bias.astype(np.float32)
    np.testing.assert_allclose(y.numpy().astype(np.float32), want_y, rtol=1e-2, atol=1e-2)
    np.testing.assert_allclose(mean.numpy(), mu[:, 0], rtol=1e-5, atol=1e-6)


def test_block_pointer_matmul_takes_the_bench_kernels_time_to_the_picosecond(tmp_path):
    want = bench_launch("matmul", tmp_path)
    m, n, k = PES * 64, 128, 256
    rng = np.random.default_rng(4)
    a = rng.standard_normal((m, k)).astype(np.float16)
    b = rng.standard_normal((k, n)).astype(np.float16)
    rt = kb.Machine().runtime
    ta = rt.from_numpy(a, placement=SPREAD, name="a")
    tb = rt.from_numpy(b, placement=COPIES, name="b")
    tc = rt.empty((m, n), placement=SPREAD, name="c")
    grid = lambda meta: (kb.cdiv(meta["a_ptr"].shape[0], meta["BM"]),  # noqa: E731
                         kb.cdiv(meta["b_ptr"].shape[1], meta["BN"]))
    launch = matmul_block_ptrs[grid](ta, tb, tc, M=64, N=n, K=k, BM=64, BN=128, BK=64)
    assert launch_figures(rt, launch) == want
    np.testing.assert_allclose(tc.numpy(), a.astype(np.float32) @ b.astype(np.float32),
                               rtol=1e-3, atol=1e-3)
