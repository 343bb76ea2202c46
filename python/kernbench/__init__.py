"""KernBench: a simulator of the AHBM near-memory AI accelerator, torch-style from Python.

    import kernbench as kb
    machine = kb.Machine()                      # the embedded default AHBM machine
    rt = machine.runtime
    x = rt.zeros((1024, 64), kb.f32, placement=kb.Placement(cube="rows"), name="x")
    rt.launch("fill_index", 4, x)
    print(x.numpy())

Kernels in Triton's syntax: `import kernbench.language as tl` and `@kernbench.jit`.

docs/python.md is the guide; every class and function mirrors one of the C++ runtime (rt).
"""

from kernbench._kernbench import (  # noqa: F401  (the public API)
    AddressError,
    CollectiveMismatchError,
    ConfigError,
    DeadlockError,
    Device,
    DType,
    Error,
    Grid,
    HostMemoryLimitError,
    InputSizeLimitError,
    InternalError,
    Launch,
    Level,
    Machine,
    NotFoundError,
    OutOfMemoryError,
    PeStats,
    PhaseRow,
    Placement,
    ProcessError,
    ProgramRecord,
    ProgramStats,
    Runtime,
    Scalar,
    SemanticError,
    ShapeError,
    Shard,
    SimulationLimitError,
    Tensor,
    TensorArg,
    at,
    bf16_to_float,
    columns,
    dtype,
    float_to_bf16,
    replicate,
    rows,
)
from kernbench import _kernbench
from kernbench import distributed  # noqa: E402
from kernbench import language  # noqa: E402
from kernbench.jit import (  # noqa: E402
    Config, JITFunction, autotune, cdiv, heuristics, jit, next_power_of_2)
import types as _types

# The dtypes by their KernBench names and torch-style long names.
f16 = float16 = half = DType.f16
bf16 = bfloat16 = DType.bf16
f32 = float32 = DType.f32
f64 = float64 = DType.f64
i8 = int8 = DType.i8
i16 = int16 = DType.i16
i32 = int32 = DType.i32
i64 = int64 = DType.i64
u8 = uint8 = DType.u8
u16 = uint16 = DType.u16
u32 = uint32 = DType.u32
bool_ = DType.bool_


def _runtime(machine):
    """The machine's runtime (one per machine: the host's session)."""
    return _kernbench.runtime_of(machine)


Machine.runtime = property(_runtime, doc="The machine's runtime (the host's session).")

# The previous tool's torch.ahbm.set_device and torch.accelerator.set_device_index, for the
# calling rank (never a module named torch of our own).
ahbm = _types.SimpleNamespace(set_device=distributed.set_device)
accelerator = _types.SimpleNamespace(set_device_index=distributed.set_device_index)

__all__ = [name for name in dir() if not name.startswith("_")]

for _name in __all__:
    _value = globals()[_name]
    if isinstance(_value, type) and _value.__module__ == "kernbench._kernbench":
        _value.__module__ = "kernbench"  # tracebacks say kernbench.ShapeError
del _name, _value
