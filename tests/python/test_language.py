"""Kernels in Triton's syntax (kernbench.language, @kernbench.jit): results against numpy, and
simulated time against the C++ twins of python/src/tutorial_twins.cc, which are written line for
line like the kernels here (keep the two in step)."""
import os
import pathlib
import subprocess
import sys
import threading

import numpy as np
import pytest

import kernbench as kb
import kernbench.language as tl


@kb.jit
def add_kernel(x_ptr, y_ptr, out_ptr, n_elements, BLOCK_SIZE: tl.constexpr):
    pid = tl.program_id(axis=0)
    offsets = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offsets < n_elements
    x = tl.load(x_ptr + offsets, mask=mask)
    y = tl.load(y_ptr + offsets, mask=mask)
    tl.store(out_ptr + offsets, x + y, mask=mask)


@kb.jit
def softmax_kernel(out_ptr, in_ptr, in_stride, out_stride, n_rows, n_cols, BLOCK: tl.constexpr):
    first = tl.program_id(0)
    step = tl.num_programs(0)
    for row in tl.range(first, n_rows, step):
        cols = tl.arange(0, BLOCK)
        mask = cols < n_cols
        x = tl.load(in_ptr + row * in_stride + cols, mask=mask, other=-float("inf"))
        shifted = x - tl.max(x, axis=0)
        numerator = tl.exp(shifted)
        denominator = tl.sum(numerator, axis=0)
        tl.store(out_ptr + row * out_stride + cols, numerator / denominator, mask=mask)


@kb.jit
def matmul_kernel(a_ptr, b_ptr, c_ptr, M, N, K, stride_am, stride_ak, stride_bk, stride_bn,
                  stride_cm, stride_cn, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
                  BLOCK_K: tl.constexpr):
    offs_m = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_n = tl.program_id(1) * BLOCK_N + tl.arange(0, BLOCK_N)
    offs_k = tl.arange(0, BLOCK_K)
    a_ptrs = a_ptr + offs_m[:, None] * stride_am + offs_k[None, :] * stride_ak
    b_ptrs = b_ptr + offs_k[:, None] * stride_bk + offs_n[None, :] * stride_bn
    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for k in range(0, tl.cdiv(K, BLOCK_K)):
        a = tl.load(a_ptrs, mask=(offs_m[:, None] < M) & (offs_k[None, :] < K - k * BLOCK_K),
                    other=0.0)
        b = tl.load(b_ptrs, mask=(offs_k[:, None] < K - k * BLOCK_K) & (offs_n[None, :] < N),
                    other=0.0)
        acc = tl.dot(a, b, acc)
        a_ptrs += BLOCK_K * stride_ak
        b_ptrs += BLOCK_K * stride_bk
    c_ptrs = c_ptr + offs_m[:, None] * stride_cm + offs_n[None, :] * stride_cn
    tl.store(c_ptrs, acc, mask=(offs_m[:, None] < M) & (offs_n[None, :] < N))


def programs(launch):
    """Each program's PE, id, simulated start and end, and reported figures."""
    return [(p.pe, p.program_id, p.start_ps, p.end_ps, p.stats.elapsed_ps, p.stats.dma_ps,
             p.stats.vector_ps, p.stats.matrix_ps, p.stats.wait_ps, p.stats.dma_requests)
            for p in launch.programs]


def random(shape, seed):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def vector_add_inputs(rt, n):
    x = rt.from_numpy(random(n, 1), name="x")
    y = rt.from_numpy(random(n, 2), name="y")
    return x, y, rt.empty((n,), name="out")


def test_vector_add_matches_numpy_and_its_cxx_twin_to_the_picosecond():
    n, block = 5000, 1024
    python, cxx = kb.Machine(), kb.Machine()
    x, y, out = vector_add_inputs(python.runtime, n)
    launch = add_kernel[(kb.cdiv(n, block),)](x, y, out, n, BLOCK_SIZE=block)
    python_end = python.now_ps
    assert np.array_equal(out.numpy(), random(n, 1) + random(n, 2))

    kb.language._c.register_twin(cxx.runtime, "twin_add", "vector_add", [block])
    cx, cy, cout = vector_add_inputs(cxx.runtime, n)
    twin = cxx.runtime.launch("twin_add", kb.cdiv(n, block), cx, cy, cout, n)
    assert cxx.now_ps == python_end
    assert np.array_equal(cout.numpy(), out.numpy())
    assert len(launch.programs) == 5
    assert programs(launch) == programs(twin)
    assert launch.total().elapsed_ps > 0
    assert [(r.start_ps, r.duration_ps) for r in python.runtime.completions()][:6] == \
        [(r.start_ps, r.duration_ps) for r in cxx.runtime.completions()][:6]


def test_masked_tail_leaves_the_rest_alone_and_other_fills_masked_lanes(rt):
    n = 1000
    x = rt.from_numpy(np.arange(1024, dtype=np.float32), name="x")
    out = rt.full((1024,), 7.0, name="out")

    @kb.jit
    def shift(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
        offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
        v = tl.load(x_ptr + offs, mask=offs < n - 8, other=-1.0)  # the last 8 read as -1
        tl.store(out_ptr + offs, v, mask=offs < n)

    shift[lambda meta: (kb.cdiv(meta["n"], meta["BLOCK"]),)](x, out, n, BLOCK=256)
    want = np.full(1024, 7.0, dtype=np.float32)
    want[:n - 8] = np.arange(n - 8)
    want[n - 8:n] = -1.0
    assert np.array_equal(out.numpy(), want)


def test_softmax_matches_numpy_and_its_cxx_twin():
    rows, cols, block, grid = 24, 100, 128, (5,)
    data = random((rows, cols), 3)
    python, cxx = kb.Machine(), kb.Machine()
    x = python.runtime.from_numpy(data, name="x")
    y = python.runtime.empty((rows, cols), name="y")
    launch = softmax_kernel[grid](y, x, cols, cols, rows, cols, BLOCK=block)
    python_end = python.now_ps
    e = np.exp(data - data.max(axis=1, keepdims=True))
    np.testing.assert_allclose(y.numpy(), e / e.sum(axis=1, keepdims=True), rtol=1e-5, atol=1e-7)

    kb.language._c.register_twin(cxx.runtime, "twin_softmax", "softmax", [block])
    cx = cxx.runtime.from_numpy(data, name="x")
    cy = cxx.runtime.empty((rows, cols), name="y")
    twin = cxx.runtime.launch("twin_softmax", grid, cy, cx, cols, cols, rows, cols)
    assert cxx.now_ps == python_end
    assert np.array_equal(cy.numpy(), y.numpy())
    assert programs(launch) == programs(twin)


def test_matmul_with_dot_matches_numpy_and_its_cxx_twin():
    m, n, k, blocks = 40, 24, 72, (16, 16, 32)
    a, b = random((m, k), 4), random((k, n), 5)
    python, cxx = kb.Machine(), kb.Machine()

    def args(rt):
        ta = rt.from_numpy(a, name="a")
        tb = rt.from_numpy(b, name="b")
        tc = rt.empty((m, n), name="c")
        return ta, tb, tc, m, n, k, k, 1, n, 1, n, 1

    grid = (kb.cdiv(m, blocks[0]), kb.cdiv(n, blocks[1]))
    pa = args(python.runtime)
    launch = matmul_kernel[grid](*pa, BLOCK_M=blocks[0], BLOCK_N=blocks[1], BLOCK_K=blocks[2])
    np.testing.assert_allclose(pa[2].numpy(), a @ b, rtol=1e-5, atol=1e-5)
    assert launch.total().matrix_ps > 0

    kb.language._c.register_twin(cxx.runtime, "twin_matmul", "matmul", list(blocks))
    ca = args(cxx.runtime)
    twin = cxx.runtime.launch("twin_matmul", kb.Grid(*grid), *ca)
    assert np.array_equal(ca[2].numpy(), pa[2].numpy())
    assert programs(launch) == programs(twin)


def test_arguments_bind_by_name(rt):
    n = 300
    x, y, out = vector_add_inputs(rt, n)
    add_kernel[(1,)](out_ptr=out, BLOCK_SIZE=512, y_ptr=y, x_ptr=x, n_elements=np.int64(n))
    assert np.array_equal(out.numpy(), random(n, 1) + random(n, 2))


def test_a_grid_of_meta_runs_per_pe_over_its_shard(rt):
    # 16 cubes hold 64 elements each; meta["x_ptr"] is the PE's view of x.
    n = 1024
    p = kb.Placement(cube="rows")
    x = rt.from_numpy(random(n, 1), placement=p, name="x")
    y = rt.from_numpy(random(n, 2), placement=p, name="y")
    out = rt.empty((n,), placement=p, name="out")
    seen = []

    def grid(meta):
        seen.append((meta["x_ptr"].numel, meta["BLOCK_SIZE"], meta["n_elements"]))
        return (kb.cdiv(meta["x_ptr"].numel, meta["BLOCK_SIZE"]),)

    launch = add_kernel[grid](x, y, out, 64, BLOCK_SIZE=32)
    assert np.array_equal(out.numpy(), random(n, 1) + random(n, 2))
    assert seen == [(64, 32, 64)] * 16
    assert len(launch.pes) == 16 and len(launch.programs) == 32


def test_ops_against_numpy(rt):
    data = random((8, 16), 6)
    x = rt.from_numpy(data, name="x")
    out = rt.empty((8, 16), name="out")
    sums = rt.empty((8,), name="sums")
    idx = rt.empty((16,), kb.i32, name="idx")

    @kb.jit
    def ops(x_ptr, out_ptr, sums_ptr, idx_ptr, R: tl.constexpr, C: tl.constexpr):
        r = tl.arange(0, R)
        c = tl.arange(0, C)
        v = tl.load(x_ptr + r[:, None] * C + c[None, :])
        w = tl.where(v > 0, v * 2.0, tl.exp(v)) - tl.maximum(v, 0.5)
        tl.store(out_ptr + r[:, None] * C + c[None, :], w / 4 + tl.sqrt(tl.abs(v)))
        tl.store(sums_ptr + r, tl.sum(v, axis=1))
        tl.store(idx_ptr + c, tl.argmax(v, axis=0).to(tl.int32))
        tl.assume(tl.clamp(v, -1.0, 1.0) <= 1.0)

    ops[(1,)](x, out, sums, idx, R=8, C=16)
    want = (np.where(data > 0, data * 2, np.exp(data)) - np.maximum(data, 0.5)) / 4 + \
        np.sqrt(np.abs(data))
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(sums.numpy(), data.sum(axis=1), rtol=1e-5, atol=1e-5)
    assert np.array_equal(idx.numpy(), data.argmax(axis=0))


@pytest.mark.parametrize("switching", ["fiber", "thread"])
def test_programs_run_on_fibers_or_on_threads_of_their_own(rt, switching):
    # "fiber": on the caller's OS thread, each program under a Python thread state of its own
    # (so its threading.local is its own); "thread": on one OS thread per PE.
    x, y, out = vector_add_inputs(rt, 64)
    threads, own = [], threading.local()
    own.name = "caller"

    @kb.jit
    def record(x_ptr, BLOCK: tl.constexpr):
        threads.append((threading.get_ident(), getattr(own, "name", None)))
        own.name = "program"
        tl.load(x_ptr + tl.arange(0, BLOCK))

    record.program_switching = switching
    record[(3,)](x, BLOCK=64)
    idents = {ident for ident, _ in threads}
    if switching == "fiber":
        assert idents == {threading.get_ident()}
        assert [name for _, name in threads] == [None, None, None]  # a fresh state each program
    else:
        assert len(idents) == 1 and threading.get_ident() not in idents  # the PE's thread
    assert own.name == "caller"


def test_launch_without_waiting_then_synchronize(rt):
    n = 2048
    x, y, out = vector_add_inputs(rt, n)
    launch = add_kernel[(2,)](x, y, out, n, BLOCK_SIZE=1024, wait=False)
    rt.synchronize()
    assert launch.done
    assert np.array_equal(out.numpy(), random(n, 1) + random(n, 2))


def test_a_kernel_launched_by_ranks():
    def bench(ctx):
        x = ctx.runtime.from_numpy(np.full(256, ctx.rank, dtype=np.float32), name="x")
        out = ctx.runtime.empty((256,), name="out")
        add_kernel[(1,)](x, x, out, 256, BLOCK_SIZE=256)
        assert np.array_equal(out.numpy(), np.full(256, 2.0 * ctx.rank, dtype=np.float32))

    kb.distributed.run(kb.Machine(), bench, world=2, per="pe")


# Errors: each names the kernel, the op and the Python line.

def test_an_op_error_names_the_kernel_the_op_and_the_line(rt):
    x = rt.zeros((128,), name="x")

    @kb.jit
    def bad_block(x_ptr):
        offs = tl.arange(0, 100)
        tl.store(x_ptr + offs, 1.0)

    with pytest.raises(kb.ProcessError,
                       match=r"kernel 'bad_block', test_language.py:\d+ in bad_block: "
                             r"`offs = tl.arange\(0, 100\)`: tl.arange: .*power of two"):
        bad_block[(1,)](x)


def test_an_out_of_bounds_store_is_an_address_error_naming_the_line(rt):
    x = rt.zeros((16,), name="x")

    @kb.jit
    def past_end(x_ptr):
        tl.store(x_ptr + (1 << 30) + tl.arange(0, 16), 1.0)

    with pytest.raises(kb.ProcessError, match=r"kernel 'past_end', test_language.py:\d+ in "
                                              r"past_end: `tl.store\(x_ptr .*\)`: tl\.store: "):
        past_end[(1,)](x)


def test_an_unsupported_op_says_so(rt):
    x = rt.zeros((16,), kb.i32, name="x")

    @kb.jit
    def atomics(x_ptr):
        tl.atomic_or(x_ptr + tl.arange(0, 16), 1)

    with pytest.raises(kb.ProcessError,
                       match=r"kernel 'atomics', test_language.py:\d+ in atomics: "
                             r"`tl.atomic_or\(x_ptr \+ tl.arange\(0, 16\), 1\)`: "
                             r"tl.atomic_or is not supported by kernbench.language "
                             r"\(docs/python.md, 'Porting a Triton kernel'\)"):
        atomics[(1,)](x)


def test_a_python_error_in_a_kernel_names_the_line(rt):
    x = rt.zeros((16,), name="x")

    @kb.jit
    def typo(x_ptr):
        tl.store(x_ptr, undefined_name)  # noqa: F821

    with pytest.raises(kb.ProcessError,
                       match=r"kernel 'typo', test_language.py:\d+ in typo: `tl.store\(x_ptr, "
                             r"undefined_name\)  # noqa: F821`: NameError: name 'undefined_name' "
                             r"is not defined"):
        typo[(1,)](x)


def test_bad_arguments(rt):
    x = rt.zeros((16,), name="x")
    with pytest.raises(kb.ShapeError, match=r"^kernel 'add_kernel': missing a required argument: "
                                            r"'n_elements'$"):
        add_kernel[(1,)](x, x, x, BLOCK_SIZE=16)
    with pytest.raises(kb.ShapeError, match=r"^kernel 'add_kernel': constexpr parameter "
                                            r"'BLOCK_SIZE' is given a tensor"):
        add_kernel[(1,)](x, x, x, 16, BLOCK_SIZE=x)
    with pytest.raises(kb.ShapeError, match=r"^kernel 'add_kernel': argument 'n_elements' is "
                                            r"\[16\]; a kernel takes"):
        add_kernel[(1,)](x, x, x, [16], BLOCK_SIZE=16)
    with pytest.raises(kb.ShapeError, match=r"^kernel 'add_kernel': no tensor argument"):
        add_kernel[(1,)](1, 2, 3, 16, BLOCK_SIZE=16)


def test_ops_outside_a_program_and_tiles_kept_past_theirs(rt):
    with pytest.raises(kb.Error, match=r"^tl.arange: called outside a kernel's program"):
        tl.arange(0, 16)
    x = rt.zeros((16,), name="x")
    kept = []

    @kb.jit
    def keep(x_ptr):
        if kept:
            tl.store(x_ptr + tl.arange(0, 16), kept[0])
        kept.append(tl.load(x_ptr + tl.arange(0, 16)))

    with pytest.raises(kb.ProcessError, match=r"tl.store: operand f32\[16\] was computed in "
                                              r"another program"):
        keep[(2,)](x)


@kb.jit
def leaky_relu(x):
    return tl.where(x >= 0, x, 0.01 * x)


def test_a_jit_helper_called_from_a_kernel_and_constexpr_written_as_a_string(rt):
    data = random(64, 7)
    x = rt.from_numpy(data, name="x")
    out = rt.empty((64,), name="out")

    @kb.jit
    def act(x_ptr, out_ptr, BLOCK: "tl.constexpr"):
        offs = tl.arange(0, BLOCK)
        tl.store(out_ptr + offs, leaky_relu(tl.load(x_ptr + offs)))

    assert act.constexprs == {"BLOCK"}
    act[(1,)](x, out, BLOCK=64)
    np.testing.assert_allclose(out.numpy(), np.where(data >= 0, data, np.float32(0.01) * data),
                               rtol=1e-6)


def test_atomic_add_accumulates_over_programs(rt):
    data = random(256, 8)
    x = rt.from_numpy(data, name="x")
    total = rt.zeros((1,), name="total")

    @kb.jit
    def reduce_all(x_ptr, total_ptr, BLOCK: tl.constexpr):
        offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
        old = tl.atomic_add(total_ptr, tl.sum(tl.load(x_ptr + offs)))
        tl.static_assert(old.shape == ())

    reduce_all[(4,)](x, total, BLOCK=64)
    np.testing.assert_allclose(total.numpy()[0], data.sum(), atol=1e-4)


def test_block_pointers_copy_with_boundary_checks(rt):
    data = random((10, 12), 9)
    x = rt.from_numpy(data, name="x")
    out = rt.full((10, 12), 5.0, name="out")

    @kb.jit
    def copy(x_ptr, out_ptr, M, N, B: tl.constexpr):
        offsets = (tl.program_id(0) * B, tl.program_id(1) * B)
        src = tl.make_block_ptr(x_ptr, (M, N), (N, 1), offsets, (B, B), (1, 0))
        dst = tl.make_block_ptr(out_ptr, (M, N), (N, 1), offsets, (B, B), (1, 0))
        block = tl.load(src, boundary_check=(0, 1), padding_option="zero")
        tl.store(dst, block * 2, boundary_check=(0, 1))
        tl.advance(src, (B, 0))  # a moved copy; src itself is unchanged

    copy[(2, 2)](x, out, 10, 12, B=8)
    np.testing.assert_array_equal(out.numpy(), data * 2)


def test_autotune_takes_the_first_config_and_heuristics_compute_meta(rt):
    n = 1000
    x, y, out = vector_add_inputs(rt, n)

    @kb.autotune(configs=[kb.Config({"BLOCK_SIZE": 256}, num_warps=4),
                          kb.Config({"BLOCK_SIZE": 1024})], key=["n_elements"])
    @kb.jit
    def tuned(x_ptr, y_ptr, out_ptr, n_elements, BLOCK_SIZE: tl.constexpr):
        add_kernel(x_ptr, y_ptr, out_ptr, n_elements, BLOCK_SIZE)  # a helper call

    launch = tuned[lambda meta: (kb.cdiv(n, meta["BLOCK_SIZE"]),)](x, y, out, n)
    assert len(launch.programs) == 4  # BLOCK_SIZE 256
    assert np.array_equal(out.numpy(), random(n, 1) + random(n, 2))

    @kb.heuristics({"BLOCK_SIZE": lambda meta: kb.next_power_of_2(meta["n_elements"])})
    @kb.jit
    def whole(x_ptr, y_ptr, out_ptr, n_elements, BLOCK_SIZE: tl.constexpr):
        add_kernel(x_ptr, y_ptr, out_ptr, n_elements, BLOCK_SIZE)

    assert len(whole[(1,)](x, y, out, n).programs) == 1
    with pytest.raises(kb.ConfigError, match="^autotune: configs is empty$"):
        kb.autotune(configs=[], key=[])


def test_a_program_cannot_use_the_runtime(rt):
    x = rt.zeros((16,), name="x")

    @kb.jit
    def reads_host(x_ptr):
        x.numpy()

    with pytest.raises(kb.ProcessError,
                       match=r"kernel 'reads_host', test_language.py:\d+ in reads_host: "
                             r"`x.numpy\(\)`: a kernel's program cannot use the runtime"):
        reads_host[(1,)](x)


def test_a_program_cannot_run_ranks(rt):
    x = rt.zeros((16,), name="x")

    @kb.jit
    def runs_ranks(x_ptr):
        kb.distributed.run(kb.Machine(), lambda ctx: None, world=1)

    with pytest.raises(kb.ProcessError, match=r"in runs_ranks: `kb.distributed.run\(.*\)`: a "
                                              r"kernel's program cannot use the runtime"):
        runs_ranks[(1,)](x)


def test_a_false_assume_names_its_message(rt):
    x = rt.zeros((16,), name="x")

    @kb.jit
    def assumes(x_ptr):
        tl.assume(tl.load(x_ptr + tl.arange(0, 16)) > 0, "x is positive")

    with pytest.raises(kb.ProcessError, match=r"in assumes: `tl.assume\(.*\)`: "
                                              r"tl.assume: .*x is positive"):
        assumes[(1,)](x)


@pytest.mark.parametrize("switching", ["fiber", "thread"])
def test_a_failure_on_one_pe_then_teardown_does_not_hang(tmp_path, switching):
    # PE (0, 0, 0) fails while the other PEs' programs wait mid-kernel (inside an op, on their
    # fibers or threads); the interpreter then drops the machine and exits (a subprocess, so a
    # hang fails by timeout).
    script = tmp_path / "fail_one.py"
    script.write_text(
        "import numpy as np\n"
        "import kernbench as kb\n"
        "import kernbench.language as tl\n"
        "@kb.jit\n"
        "def k(x_ptr, BLOCK: tl.constexpr):\n"
        "    v = tl.load(x_ptr + tl.arange(0, BLOCK))\n"
        "    if float(tl.sum(v)) < 3000:\n"
        "        tl.arange(0, 3)\n"
        "    tl.store(x_ptr + tl.arange(0, BLOCK), v + 1)\n"
        f"k.program_switching = '{switching}'\n"
        "m = kb.Machine()\n"
        "x = m.runtime.from_numpy(np.arange(1024, dtype=np.float32),\n"
        "                         placement=kb.Placement(cube='rows'), name='x')\n"
        "try:\n"
        "    k[(2,)](x, BLOCK=64)\n"
        "except kb.ProcessError as e:\n"
        "    print('cube', str(e).split('cube ')[1][0])\n")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=60, env=dict(os.environ))
    assert out.returncode == 0, out.stderr
    assert out.stdout == "cube 0\n"


def test_a_kernel_failing_in_one_rank_fails_the_run_and_takes_the_machine_down():
    @kb.jit
    def fails_on_rank_1(x_ptr, rank, BLOCK: tl.constexpr):
        v = tl.load(x_ptr + tl.arange(0, BLOCK))
        if int(rank) == 1:
            tl.arange(0, 3)
        tl.store(x_ptr + tl.arange(0, BLOCK), v + 1)

    def bench(ctx):
        x = ctx.runtime.from_numpy(np.zeros(64, np.float32), name="x")
        fails_on_rank_1[(4,)](x, ctx.rank, BLOCK=64)
        ctx.all_reduce(x)

    machine = kb.Machine()
    with pytest.raises(kb.ProcessError, match=r"kernel 'fails_on_rank_1', test_language.py:\d+ "
                                              r"in fails_on_rank_1: `tl.arange\(0, 3\)`"):
        kb.distributed.run(machine, bench, world=4, per="pe")
    with pytest.raises(kb.Error, match=r"^this machine was taken down by a failed run"):
        machine.runtime.zeros((4,))


def test_the_other_ops_against_numpy(rt):
    data = np.abs(random((4, 8), 10)) + 0.5
    x = rt.from_numpy(data, name="x")
    outs = {name: rt.empty(shape, dtype, name=name) for name, shape, dtype in [
        ("math", (4, 8), kb.f32), ("t", (8, 4), kb.f32), ("cums", (4, 8), kb.f32),
        ("mins", (4,), kb.f32), ("argmins", (8,), kb.i32), ("bits", (4, 8), kb.i32),
        ("flat", (32,), kb.f32), ("grid", (2,), kb.i32)]}

    @kb.jit
    def ops(x_ptr, math_ptr, t_ptr, cums_ptr, mins_ptr, argmins_ptr, bits_ptr, flat_ptr, grid_ptr,
            R: tl.constexpr, C: tl.constexpr):
        r = tl.multiple_of(tl.arange(0, R), 4)
        c = tl.max_contiguous(tl.arange(0, C), 8)
        tl.static_assert(R * C == 32, "4 x 8")
        tl.debug_barrier()
        offs = r[:, None] * C + c[None, :]
        v = tl.load(x_ptr + offs)
        m = tl.exp2(tl.log2(v)) + tl.log(v) * tl.rsqrt(v) - tl.sigmoid(v)
        m = tl.fma(m, 2.0, tl.minimum(v, 1.0, propagate_nan=tl.PropagateNan.ALL))
        tl.store(math_ptr + offs, m)
        tl.store(t_ptr + c[:, None] * R + r[None, :], tl.trans(v))
        tl.store(t_ptr + c[:, None] * R + r[None, :], tl.permute(v, 1, 0) + v.T - v.T)
        tl.store(cums_ptr + offs, tl.cumsum(v, axis=1))
        tl.store(mins_ptr + r, tl.min(v, axis=1))
        tl.store(argmins_ptr + c, tl.argmin(v, axis=0))
        tl.store(bits_ptr + offs, v.to(tl.int32, bitcast=True))
        flat = tl.ravel(v) + tl.reshape(tl.zeros_like(v), 32) + tl.view(tl.full((R, C), 1.0,
                                                                              tl.float32), 32)
        tl.store(flat_ptr + tl.arange(0, 32), tl.broadcast_to(flat, 32) - 1.0)
        for i in tl.static_range(2):
            tl.store(grid_ptr + i, tl.num_programs(0) * 10 + i)

    ops[(1,)](x, *outs.values(), R=4, C=8)
    got = {name: t.numpy() for name, t in outs.items()}
    sig = 1 / (1 + np.exp(-data))
    want = (data + np.log(data) / np.sqrt(data) - sig) * 2 + np.minimum(data, 1.0)
    np.testing.assert_allclose(got["math"], want, rtol=1e-5)
    np.testing.assert_array_equal(got["t"], data.T)
    np.testing.assert_allclose(got["cums"], np.cumsum(data, axis=1), rtol=1e-6)
    np.testing.assert_array_equal(got["mins"], data.min(axis=1))
    np.testing.assert_array_equal(got["argmins"], data.argmin(axis=0))
    np.testing.assert_array_equal(got["bits"], data.view(np.int32))
    np.testing.assert_allclose(got["flat"], data.ravel(), rtol=1e-6)
    np.testing.assert_array_equal(got["grid"], [10, 11])


def test_a_failed_static_assert_names_its_message(rt):
    x = rt.zeros((16,), name="x")

    @kb.jit
    def checks(x_ptr, BLOCK: tl.constexpr):
        tl.static_assert(BLOCK % 32 == 0, "BLOCK is a multiple of 32")

    with pytest.raises(kb.ProcessError, match=r"in checks: `tl.static_assert\(.*\)`: "
                                              r"tl.static_assert: BLOCK is a multiple of 32$"):
        checks[(1,)](x, BLOCK=16)


def test_the_guides_kernel_example_runs(capsys):
    # docs/python.md, "Kernels in Triton's syntax": its first code block, as written.
    guide = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "python.md").read_text()
    section = guide[guide.index("## Kernels in Triton's syntax"):]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(code, "docs/python.md", "exec"), {})  # noqa: S102  (the guide's own example)
    printed = capsys.readouterr().out
    assert printed.startswith("[2. 2. 2. 2.] ")
    assert int(printed.split()[-1]) > 0


def test_programs_of_a_pe_run_x_outermost_then_y_then_z(rt):
    counter = rt.zeros((1,), dtype=tl.int32, name="counter")
    seen = rt.full((2, 3, 2), -1, dtype=tl.int32, name="seen")

    @kb.jit
    def order(counter_ptr, seen_ptr):
        x, y, z = tl.program_id(0), tl.program_id(1), tl.program_id(2)
        ticket = tl.atomic_add(counter_ptr, 1)
        tl.store(seen_ptr + x * 6 + y * 2 + z, ticket)

    order[(2, 3, 2)](counter, seen)
    # as Triton's interpreter: for x: for y: for z:
    np.testing.assert_array_equal(seen.numpy().ravel(), np.arange(12))


def test_atomics_take_the_dtypes_tritons_type_checks_accept(rt):
    h = rt.zeros((4,), dtype=tl.float16, name="h")

    @kb.jit
    def bad(h_ptr):
        tl.atomic_add(h_ptr, 1.0)  # f16 add is fine
        tl.atomic_max(h_ptr, 1.0)

    with pytest.raises(kb.ProcessError,
                       match=r"tl.atomic_max: atomic_max: pointee dtype f16 is not supported "
                             r"\(takes f32, f64, i32, i64, u8, u16, u32, as Triton\)"):
        bad[(1,)](h)


def test_max_and_min_return_indices(rt):
    data = random((4, 16), 11)
    data[2, 3] = data[2, 9] = data[2].max() + 1  # a tie goes to the first
    x = rt.from_numpy(data, name="x")
    vals = rt.zeros((2, 4), name="vals")
    idx = rt.zeros((2, 4), dtype=tl.int32, name="idx")

    @kb.jit
    def reduce(x_ptr, vals_ptr, idx_ptr):
        rows = tl.arange(0, 4)
        block = tl.load(x_ptr + rows[:, None] * 16 + tl.arange(0, 16)[None, :])
        v, i = tl.max(block, axis=1, return_indices=True)
        w, j = tl.min(block, 1, return_indices=True)
        tl.static_assert(i.dtype == tl.int32)
        tl.store(vals_ptr + rows, v)
        tl.store(vals_ptr + 4 + rows, w)
        tl.store(idx_ptr + rows, i)
        tl.store(idx_ptr + 4 + rows, j)

    reduce[(1,)](x, vals, idx)
    np.testing.assert_array_equal(vals.numpy(), np.stack([data.max(1), data.min(1)]))
    np.testing.assert_array_equal(idx.numpy(), np.stack([data.argmax(1), data.argmin(1)]))
    assert idx.numpy()[0, 2] == 3


def test_tensor_descriptors_read_zeros_outside_and_drop_stores_outside(rt):
    data = random((10, 12), 12)
    x = rt.from_numpy(data, name="x")
    out = rt.full((10, 12), 5.0, name="out")
    pad = rt.full((8, 8), 5.0, name="pad")

    @kb.jit
    def copy(x_ptr, out_ptr, pad_ptr, M, N, B: tl.constexpr):
        src = tl.make_tensor_descriptor(x_ptr, shape=[M, N], strides=[N, 1], block_shape=[B, B])
        dst = tl.make_tensor_descriptor(out_ptr, [M, N], [N, 1], [B, B])
        offsets = [tl.program_id(0) * B, tl.program_id(1) * B]
        dst.store(offsets, src.load(offsets) * 2)
        if tl.program_id(0) == 1 and tl.program_id(1) == 1:  # rows 8..15, columns 8..15
            whole = tl.make_tensor_descriptor(pad_ptr, [B, B], [B, 1], [B, B])
            whole.store([0, 0], src.load(offsets))

    copy[(2, 2)](x, out, pad, 10, 12, B=8)
    np.testing.assert_array_equal(out.numpy(), data * 2)
    expected = np.zeros((8, 8), np.float32)
    expected[:2, :4] = data[8:, 8:]
    np.testing.assert_array_equal(pad.numpy(), expected)


def test_tensor_descriptor_last_stride_must_be_one(rt):
    x = rt.zeros((4, 4), name="x")

    @kb.jit
    def bad(x_ptr):
        tl.make_tensor_descriptor(x_ptr, [4, 4], [1, 4], [4, 4])

    with pytest.raises(kb.ProcessError,
                       match=r"make_tensor_descriptor: the last stride must be 1, got strides "
                             r"\[1, 4\]"):
        bad[(1,)](x)


@pytest.mark.parametrize("switching", ["fiber", "thread"])
def test_exceptions_cross_the_program_switch_both_ways(rt, switching):
    # Through either sim::ProcessSwitcher of a program: an op's C++ error reaches the Python code
    # as its kb type, the program goes on using ops after catching it, and a Python error fails
    # the launch.
    x = rt.zeros((16,), name="x")
    caught = []

    @kb.jit
    def recovers(x_ptr, raise_after):
        try:
            tl.store(x_ptr + (1 << 30) + tl.arange(0, 16), 1.0)
        except kb.AddressError as e:
            caught.append(str(e))
        tl.store(x_ptr + tl.arange(0, 16), tl.full((16,), 2.0, tl.float32) + 1.0)
        if raise_after:
            raise LookupError("raised after recovering")

    recovers.program_switching = switching
    recovers[(1,)](x, False)
    assert len(caught) == 1 and "store" in caught[0], caught
    np.testing.assert_array_equal(x.numpy(), np.full(16, 3.0, np.float32))
    with pytest.raises(kb.ProcessError,
                       match=r"kernel 'recovers', test_language.py:\d+ in recovers: "
                             r"`raise LookupError\(\"raised after recovering\"\)`: LookupError: "
                             r"raised after recovering"):
        recovers[(1,)](x, True)
    assert len(caught) == 2


def test_both_program_switchings_give_the_same_bytes_and_time():
    # sim::ProcessSwitcher's two Python implementations: the program's Python on its own fiber
    # (the default) or on an OS thread per PE with a baton.
    data = random((64, 100), 13)
    seen = {}
    for switching in ("fiber", "thread"):
        rt = kb.Machine().runtime
        x = rt.from_numpy(data, name="x")
        y = rt.empty((64, 100), name="y")
        softmax_kernel.program_switching = switching
        try:
            softmax_kernel[(4,)](y, x, 100, 100, 64, 100, BLOCK=128)
        finally:
            softmax_kernel.program_switching = "fiber"
        seen[switching] = (y.numpy(), rt.machine.now_ps)
    np.testing.assert_array_equal(seen["fiber"][0], seen["thread"][0])
    assert seen["fiber"][1] == seen["thread"][1] > 0


def test_an_unknown_program_switching_is_an_error(rt):
    x = rt.zeros((16,), name="x")

    @kb.jit
    def k(x_ptr):
        pass

    k.program_switching = "greenlet"
    with pytest.raises(kb.Error, match=r"kernel 'k': program_switching 'greenlet' is not one of "
                                       r"fiber, thread"):
        k[(1,)](x)


@kb.jit
def _nested(x_ptr, n):
    if n == 0:
        return tl.load(x_ptr + tl.arange(0, 16))
    return _nested(x_ptr, n - 1) + 1.0


def test_deep_helper_recursion_fits_the_fiber_or_is_a_recursion_error(rt):
    # A program's Python runs on its fiber's stack (2 MiB in a Python machine): deep enough for
    # Python's own recursion limit, which ends a runaway recursion cleanly.
    x = rt.zeros((16,), name="x")
    out = rt.zeros((16,), name="out")

    @kb.jit
    def top(x_ptr, out_ptr, DEPTH: tl.constexpr):
        tl.store(out_ptr + tl.arange(0, 16), _nested(x_ptr, DEPTH))

    top[(1,)](x, out, DEPTH=300)
    np.testing.assert_array_equal(out.numpy(), np.full(16, 300.0, np.float32))
    with pytest.raises(kb.ProcessError, match=r"RecursionError: maximum recursion depth"):
        top[(1,)](x, out, DEPTH=5000)
