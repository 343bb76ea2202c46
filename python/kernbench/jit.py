"""`@kernbench.jit`: a Python function written as a Triton kernel, launched as
`kernel[grid](x, y, out, n, BLOCK_SIZE=1024)` on kernbench tensors.

Arguments bind by name as in a Python call. Parameters annotated `tl.constexpr` (and arguments
that are None) stay Python values, passed to every program as they are; the others go to the
launch in order: tensors (each program gets a pointer to its PE's shard), ints (i32 when they
fit, else i64), floats (f32), bools and kernbench.Scalar. Each program runs the function on a
thread of its own while its PE's process waits; every tl op is carried out on the PE
(kernbench.language).
"""

import functools
import inspect
import linecache
import numbers
import os

from kernbench import _kernbench
from kernbench import language

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
# Triton launch options that mean nothing on this machine: accepted and ignored.
_LAUNCH_OPTIONS = ("num_warps", "num_stages", "num_ctas", "maxnreg", "enable_fp_fusion")


def _is_constexpr(annotation):
    if annotation is language.constexpr:
        return True
    return isinstance(annotation, str) and annotation.split(".")[-1] == "constexpr"


class JITFunction:
    """A kernel: `kernel[grid](*args, **kwargs)` launches it; called directly (from another
    kernel), it is a plain Python helper."""

    # How its programs' Python is switched with the simulation (sim::ProcessSwitcher): "fiber"
    # runs it on each program's own fiber under a Python thread state of its own; "thread" on an
    # OS thread per PE with a baton (two thread hand-offs per op: slower, kept to compare).
    program_switching = "fiber"

    def __init__(self, fn):
        functools.update_wrapper(self, fn)
        self.fn = fn
        self.signature = inspect.signature(fn)
        self.constexprs = {name for name, p in self.signature.parameters.items()
                           if _is_constexpr(p.annotation)}

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    def __getitem__(self, grid):
        return functools.partial(self.run, _grid=grid)

    def __repr__(self):
        return f"<kernbench.jit kernel '{self.__name__}'>"

    def run(self, *args, _grid, wait=True, **kwargs):
        """Launches the kernel over `_grid` (an int, a tuple of 1-3 ints, or a function of the
        meta-parameters per PE) and returns its kernbench.Launch (waited for unless wait=False)."""
        for option in _LAUNCH_OPTIONS:
            kwargs.pop(option, None)
        try:
            bound = self.signature.bind(*args, **kwargs)
        except TypeError as e:
            raise _kernbench.ShapeError(f"kernel '{self.__name__}': {e}") from None
        bound.apply_defaults()
        constants, names, values = {}, [], []
        for name, value in bound.arguments.items():
            if name in self.constexprs or value is None:
                if isinstance(value, _kernbench.Tensor):
                    raise _kernbench.ShapeError(
                        f"kernel '{self.__name__}': constexpr parameter '{name}' is given a "
                        f"tensor; a constexpr takes a Python value")
                constants[name] = value
                continue
            if isinstance(value, numbers.Integral) and not isinstance(value, (bool, int)):
                value = int(value)  # numpy integers pass as Python ints
            elif isinstance(value, numbers.Real) and not isinstance(value, (bool, int, float)):
                value = float(value)
            if not isinstance(value, (_kernbench.Tensor, _kernbench.Scalar, bool, int, float)):
                raise _kernbench.ShapeError(
                    f"kernel '{self.__name__}': argument '{name}' is {value!r}; a kernel takes "
                    f"kernbench tensors, ints, floats, bools and kernbench.Scalar, or Python "
                    f"values for parameters annotated tl.constexpr")
            names.append(name)
            values.append(value)
        program = functools.partial(self._program, constants, names)
        return _kernbench.language.launch(self.__name__, program,
                                          self._grid(_grid, constants, names), values, wait,
                                          self.program_switching)

    def _grid(self, grid, constants, names):
        if not callable(grid) or isinstance(grid, _kernbench.Grid):
            return tuple(grid) if isinstance(grid, list) else grid

        def per_pe(views):  # the PE's views of the arguments, in launch order
            meta = dict(constants)
            for name, view in zip(names, views):
                meta[name] = view.value if isinstance(view, _kernbench.Scalar) else view
            return grid(meta)
        return per_pe

    def _program(self, constants, names, tiles):
        arguments = dict(constants)
        arguments.update(zip(names, tiles))
        try:
            self.fn(*[arguments[name] for name in self.signature.parameters])
        except Exception as e:  # noqa: BLE001  (every failure names the kernel and line)
            raise type(e)(self._where(e)) if isinstance(e, _kernbench.Error) else \
                _kernbench.Error(self._where(e)) from None

    def _where(self, error):
        """"kernel 'k', file.py:12 in k: `source line`: <op>: <message>"."""
        frame = None
        tb = error.__traceback__
        while tb is not None:  # the innermost frame of user code (not this package's)
            if not os.path.abspath(tb.tb_frame.f_code.co_filename).startswith(_PACKAGE_DIR):
                frame = tb
            tb = tb.tb_next
        where = f"kernel '{self.__name__}'"
        if frame is not None:
            code = frame.tb_frame.f_code
            line = linecache.getline(code.co_filename, frame.tb_lineno).strip()
            where += (f", {os.path.basename(code.co_filename)}:{frame.tb_lineno} in "
                      f"{code.co_name}: `{line}`")
        message = str(error)
        op = _kernbench.language.failed_op()
        if not isinstance(error, _kernbench.Error):
            message = f"{type(error).__name__}: {message}"
        elif op and not message.startswith("tl."):
            message = f"tl.{op}: {message}"
        return f"{where}: {message}"


def jit(fn=None, **options):
    """Makes `fn` a kernel (`@kernbench.jit`, or `@kernbench.jit(...)` with Triton's options,
    which are accepted and have no effect)."""
    if fn is None:
        return JITFunction
    return JITFunction(fn)


class Config:
    """One set of meta-parameters for @autotune (Triton's triton.Config); the launch options
    (num_warps, num_stages, ...) are kept and have no effect here."""

    def __init__(self, kwargs, num_warps=None, num_stages=None, num_ctas=None, maxnreg=None,
                 pre_hook=None):
        self.kwargs = dict(kwargs)
        self.num_warps, self.num_stages, self.num_ctas = num_warps, num_stages, num_ctas
        self.maxnreg, self.pre_hook = maxnreg, pre_hook

    def __repr__(self):
        return f"Config({self.kwargs})"


class _MetaWrapper:
    """A kernel whose launches get meta-parameters added (by @autotune or @heuristics)."""

    def __init__(self, inner, add):
        self.inner, self._add = inner, add
        functools.update_wrapper(self, inner)

    @property
    def jit_function(self):
        return self.inner if isinstance(self.inner, JITFunction) else self.inner.jit_function

    def __call__(self, *args, **kwargs):
        return self.inner(*args, **kwargs)

    def __getitem__(self, grid):
        return functools.partial(self.run, _grid=grid)

    def run(self, *args, _grid, **kwargs):
        return self.inner.run(*args, _grid=_grid, **self._add(args, kwargs))


def autotune(configs, key=None, **options):
    """Triton's @autotune, taking the first config: one simulated machine gives the same time on
    every run, so there is nothing to measure by running them all (sweep configs by hand)."""
    if not configs:
        raise _kernbench.ConfigError("autotune: configs is empty")
    first = configs[0]

    def decorate(inner):
        def add(args, kwargs):
            return {**first.kwargs, **kwargs}
        return _MetaWrapper(inner, add)
    return decorate


def heuristics(values):
    """Triton's @heuristics: each value is a function of the launch's arguments by name."""
    def decorate(inner):
        def add(args, kwargs):
            fn = inner if isinstance(inner, JITFunction) else inner.jit_function
            meta = fn.signature.bind_partial(*args, **kwargs).arguments
            return {**kwargs, **{name: rule(meta) for name, rule in values.items()}}
        return _MetaWrapper(inner, add)
    return decorate


def cdiv(x, div):
    """(x + div - 1) // div on ints, for grids (Triton's triton.cdiv)."""
    return (x + div - 1) // div


next_power_of_2 = language.next_power_of_2
