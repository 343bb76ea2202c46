"""Wall time of a Python kernel (@kernbench.jit) against its C++ twin for the same simulated run:
the two alternate in one process, each on a fresh machine, and the medians are printed side by
side with the simulated time (which must be equal). docs/python.md quotes its output.

    PYTHONPATH=build/python /usr/bin/python3 python/tools/bench_jit.py [--repeats 7]
        [--switching fiber|thread]
"""
import argparse
import pathlib
import statistics
import sys
import time

import numpy as np

import kernbench as kb

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tests" / "python"))
from test_language import add_kernel, softmax_kernel  # noqa: E402  (the kernels the tests pin)


def vector_add(python, n=65536, block=1024):
    rt = kb.Machine().runtime
    x = rt.from_numpy(np.ones(n, np.float32), name="x")
    y = rt.from_numpy(np.ones(n, np.float32), name="y")
    out = rt.empty((n,), name="out")
    grid = kb.cdiv(n, block)
    start = time.perf_counter()
    if python:
        add_kernel[(grid,)](x, y, out, n, BLOCK_SIZE=block)
    else:
        kb.language._c.register_twin(rt, "twin", "vector_add", [block])
        rt.launch("twin", grid, x, y, out, n)
    return time.perf_counter() - start, rt.machine.now_ps


def softmax(python, rows=256, cols=1000, block=1024, programs=16):
    rt = kb.Machine().runtime
    x = rt.from_numpy(np.ones((rows, cols), np.float32), name="x")
    y = rt.empty((rows, cols), name="y")
    start = time.perf_counter()
    if python:
        softmax_kernel[(programs,)](y, x, cols, cols, rows, cols, BLOCK=block)
    else:
        kb.language._c.register_twin(rt, "twin", "softmax", [block])
        rt.launch("twin", programs, y, x, cols, cols, rows, cols)
    return time.perf_counter() - start, rt.machine.now_ps


@kb.jit
def op_loop(x_ptr, N: kb.language.constexpr, ON_FIBER: kb.language.constexpr):
    pid = kb.language.program_id(0)
    for i in range(N):
        if ON_FIBER:
            pid + i  # a tile of the program: charged on the PE, so handed to its fiber
        else:
            kb.language.arange(0, 16) + i  # a tile of no program: computed on the thread


def one_op(repeats, on_fiber, calls=2000):
    """Median wall time of one tl op called from a Python kernel."""
    rt = kb.Machine().runtime
    x = rt.zeros((16,), name="x")
    walls = []
    for _ in range(repeats):
        start = time.perf_counter()
        op_loop[(1,)](x, N=calls, ON_FIBER=on_fiber)
        walls.append((time.perf_counter() - start) / calls)
    return statistics.median(walls)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--switching", choices=("fiber", "thread"), default="fiber",
                        help="how the programs' Python is switched (JITFunction.program_switching)")
    args = parser.parse_args()
    for kernel in (add_kernel, softmax_kernel, op_loop):
        kernel.program_switching = args.switching
    cases = [("vector_add 65536 f32, BLOCK 1024, 64 programs", vector_add),
             ("softmax 256 x 1000 f32, BLOCK 1024, 16 programs", softmax)]
    print("| kernel | C++ twin, ms | Python, ms | ratio | simulated, us |")
    print("|---|---:|---:|---:|---:|")
    for name, case in cases:
        walls = {True: [], False: []}
        simulated = set()
        for _ in range(args.repeats):
            for python in (False, True):
                wall, now = case(python)
                walls[python].append(wall)
                simulated.add(now)
        if len(simulated) != 1:
            sys.exit(f"{name}: the Python kernel and its twin disagree on simulated time")
        cxx, py = statistics.median(walls[False]), statistics.median(walls[True])
        print(f"| {name} | {cxx * 1e3:.1f} | {py * 1e3:.1f} | {py / cxx:.1f}x | "
              f"{simulated.pop() / 1e6:.3f} |")
    print(f"\nprogram switching {args.switching}; medians of {args.repeats} runs each, "
          f"alternating, one process; one tl op called "
          f"from Python: {one_op(args.repeats, True) * 1e6:.1f} us handed to the PE's fiber "
          f"(pid + i), {one_op(args.repeats, False) * 1e6:.1f} us on the thread "
          f"(arange(0, 16) + i, charging nothing)")


if __name__ == "__main__":
    main()
