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


def bench_launch(name, tmp_path):
    """The bench's launch phase (start and duration) and its kernel time, in picoseconds."""
    if not CLI.exists():
        pytest.skip(f"{CLI} is not built")
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
