"""C code that takes the GIL itself (PyGILState_Ensure, as a ctypes callback does) from inside a
rank's function or a kernel's program: CPython's GILState slot names the thread state that is
current, so the callback runs under it instead of waiting forever for the GIL its own OS thread
holds. Each case runs in a subprocess, so a hang fails by timeout instead of stopping the suite."""
import os
import subprocess
import sys
import textwrap

import pytest

# Sorting with libc's qsort and a Python comparator: through CDLL (the GIL given up for the call,
# taken back by the callback) and PyDLL (the GIL kept: PyGILState_Ensure finds it held). `own` is
# a threading.local: the comparator sees the value of the thread state it runs under.
PRELUDE = textwrap.dedent("""\
    import ctypes, ctypes.util, threading
    import numpy as np
    import kernbench as kb
    import kernbench.distributed as dist
    import kernbench.language as tl

    LIBC = ctypes.util.find_library("c")
    COMPARE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_int),
                               ctypes.POINTER(ctypes.c_int))
    own = threading.local()
    own.name = "caller"

    def qsort(values, library):
        seen = set()

        def compare(a, b):
            seen.add(getattr(own, "name", None))
            return a[0] - b[0]

        array = (ctypes.c_int * len(values))(*values)
        library(LIBC).qsort(array, len(values), ctypes.sizeof(ctypes.c_int), COMPARE(compare))
        return list(array), sorted(seen)

    def gil_check():
        return ctypes.pythonapi.PyGILState_Check()
    """)


def run_script(body):
    out = subprocess.run([sys.executable, "-c", PRELUDE + textwrap.dedent(body)],
                         capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_a_rank_sorts_with_a_ctypes_callback_under_its_own_thread_state():
    lines = run_script("""\
        results = {}

        def bench(ctx):
            own.name = f"rank {ctx.rank}"
            values = [(7 * i + 3 * ctx.rank) % 11 for i in range(11)]
            first = qsort(values, ctypes.CDLL)
            ctx.synchronize()  # a switch: the other ranks run meanwhile
            second = qsort(values, ctypes.PyDLL)
            results[ctx.rank] = (first, second)

        dist.run(kb.Machine(), bench, world=4, per="pe")
        for rank in range(4):
            print(rank, *results[rank])
        print("after the run", qsort([3, 1, 2], ctypes.PyDLL))
        """)
    want = list(range(11))
    assert lines == [f"{r} ({want}, ['rank {r}']) ({want}, ['rank {r}'])" for r in range(4)] + \
        ["after the run ([1, 2, 3], ['caller'])"]


def test_py_gilstate_check_is_true_inside_ranks_and_after_them():
    lines = run_script("""\
        checks = {}

        def bench(ctx):
            before = gil_check()
            ctx.synchronize()
            checks[ctx.rank] = (before, gil_check())

        print("before the run", gil_check())
        dist.run(kb.Machine(), bench, world=2, per="pe")
        print([checks[r] for r in range(2)], "after the run", gil_check())
        """)
    assert lines == ["before the run 1", "[(1, 1), (1, 1)] after the run 1"]


@pytest.mark.parametrize("switching", ["fiber", "thread"])
def test_a_kernel_program_sorts_with_a_ctypes_callback_under_its_own_thread_state(switching):
    # "fiber" programs run on the caller's OS thread, each under a thread state of its own;
    # "thread" ones on their PE's OS thread. An op -- a switch -- comes between the sorts.
    lines = run_script(f"""\
        found = []

        @kb.jit
        def sorts(x_ptr, BLOCK: tl.constexpr):
            own.name = f"program {{int(tl.program_id(0))}}"
            first = qsort([3, 1, 2], ctypes.PyDLL)
            tl.store(x_ptr + tl.arange(0, BLOCK), tl.load(x_ptr + tl.arange(0, BLOCK)) + 1)
            found.append((first, qsort([2, 3, 1], ctypes.CDLL), gil_check()))

        sorts.program_switching = "{switching}"
        x = kb.Machine().runtime.zeros((64,), kb.f32)
        sorts[(2,)](x, BLOCK=64)
        for f in found:
            print(*f)
        print(float(x.numpy()[0]), gil_check(), own.name)
        """)
    assert sorted(lines[:2]) == [
        f"([1, 2, 3], ['program {p}']) ([1, 2, 3], ['program {p}']) 1" for p in range(2)]
    assert lines[2:] == ["2.0 1 caller"]
