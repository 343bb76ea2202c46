"""kernbench.language: kernels in Triton's syntax, `import kernbench.language as tl`.

Inside a `@kernbench.jit` kernel, each function here is the C++ kernel language's op of the same
name (src/kernbench/tl), carried out on the simulated PE that runs the program: it computes on the
tensors' bytes and charges the PE's DMA, vector and matrix units exactly as a C++ kernel's op does.
docs/python.md ("Kernels in Triton's syntax") has the porting table: what is supported, what is
not and the error an unsupported op gives.
"""

from kernbench import _kernbench
from kernbench._kernbench import DType, SemanticError

_c = _kernbench.language

tensor = _c.tensor  # the tile type: operators, x[None, :], x.to(dtype), x.T, x.shape, x.dtype

# Triton's dtype names.
float16 = DType.f16
bfloat16 = DType.bf16
float32 = DType.f32
float64 = DType.f64
int1 = DType.bool_
int8 = DType.i8
int16 = DType.i16
int32 = DType.i32
int64 = DType.i64
uint8 = DType.u8
uint16 = DType.u16
uint32 = DType.u32


class constexpr:
    """Marks a compile-time parameter (`BLOCK_SIZE: tl.constexpr`); `tl.constexpr(v)` is `v`."""

    def __new__(cls, value=None):
        return value


class PropagateNan:
    """NaN handling of maximum / minimum: NONE ignores a NaN operand, ALL returns NaN."""

    NONE = False
    ALL = True


# The program and the grid.
def program_id(axis):
    """This program's index along `axis` (0, 1, 2) within its PE's grid, an i32 scalar."""
    return _c.program_id(axis)


def num_programs(axis):
    """The PE's grid extent along `axis`, an i32 scalar."""
    return _c.num_programs(axis)


# Tiles from nothing.
def arange(start, end):
    """i32 block start .. end - 1 (end - start a power of two)."""
    return _c.arange(int(start), int(end))


def zeros(shape, dtype):
    """A block of `shape` filled with 0 of `dtype`."""
    return _c.zeros(_shape(shape), dtype)


def full(shape, value, dtype):
    """A block of `shape` filled with `value` cast to `dtype`."""
    return _c.full(_shape(shape), value, dtype)


def zeros_like(input):
    """Zeros of input's shape and dtype."""
    return _c.zeros_like(input)


# Memory.
def load(pointer, mask=None, other=None, boundary_check=(), padding_option="",
         cache_modifier="", eviction_policy="", volatile=False):
    """Loads the lanes of a pointer tile (masked-off lanes read `other`, 0 when not given), or
    the block of a block pointer (dims in `boundary_check` read `padding_option` -- "zero" or
    "nan" -- outside the tensor). Cache and eviction hints are accepted and have no effect."""
    if isinstance(pointer, block_ptr):
        if mask is not None or other is not None:
            _unsupported("load", "mask= or other= on a block pointer (use boundary_check=)")
        return _c.load_block(pointer, list(boundary_check), padding_option)
    if boundary_check or padding_option:
        _unsupported("load", "boundary_check= or padding_option= on a pointer tile")
    return _c.load(pointer, mask, other)


def store(pointer, value, mask=None, boundary_check=(), cache_modifier="", eviction_policy=""):
    """Stores `value` (cast to the pointee dtype) to the lanes of a pointer tile where `mask`, or
    to the block of a block pointer (not outside the tensor on the dims in `boundary_check`)."""
    if isinstance(pointer, block_ptr):
        if mask is not None:
            _unsupported("store", "mask= on a block pointer (use boundary_check=)")
        _c.store_block(pointer, value, list(boundary_check))
        return
    if boundary_check:
        _unsupported("store", "boundary_check= on a pointer tile")
    _c.store(pointer, value, mask)


block_ptr = _c.block_ptr


def make_block_ptr(base, shape, strides, offsets, block_shape, order):
    """A window of block_shape over a tensor of `shape` and `strides` (elements) at `offsets`;
    sizes and offsets may be ints or integer scalar tiles."""
    return _c.make_block_ptr(base, list(shape), list(strides), list(offsets),
                             [int(b) for b in block_shape], [int(o) for o in order])


tensor_descriptor = _c.tensor_descriptor


def make_tensor_descriptor(base, shape, strides, block_shape, padding_option="zero"):
    """A descriptor of a tensor of `shape` and `strides` (elements; the last stride 1) moving
    blocks of `block_shape`: desc.load(offsets) reads zeros outside the tensor, desc.store(offsets,
    value) drops what lies outside. shape and strides may be ints or integer scalar tiles."""
    if padding_option != "zero":
        _unsupported("make_tensor_descriptor", f"padding_option={padding_option!r}")
    return _c.make_tensor_descriptor(base, list(shape), list(strides),
                                     [int(b) for b in block_shape])


def advance(base, offsets):
    """The block pointer moved by `offsets` (one per dim)."""
    return _c.advance(base, list(offsets))


# Atomics: per active lane, in the order the programs run; each returns the old values.
def atomic_add(pointer, val, mask=None, sem=None, scope=None):
    return _c.atomic_add(pointer, val, mask)


def atomic_max(pointer, val, mask=None, sem=None, scope=None):
    return _c.atomic_max(pointer, val, mask)


def atomic_min(pointer, val, mask=None, sem=None, scope=None):
    return _c.atomic_min(pointer, val, mask)


def atomic_xchg(pointer, val, mask=None, sem=None, scope=None):
    return _c.atomic_xchg(pointer, val, mask)


def atomic_cas(pointer, cmp, val, sem=None, scope=None):
    return _c.atomic_cas(pointer, cmp, val)


# Math and selection.
exp = _c.exp
exp2 = _c.exp2
log = _c.log
log2 = _c.log2
sqrt = _c.sqrt
rsqrt = _c.rsqrt
abs = _c.abs  # noqa: A001  (Triton's name)
sigmoid = _c.sigmoid
where = _c.where
fma = _c.fma


def maximum(x, y, propagate_nan=PropagateNan.NONE):
    """Element-wise maximum (bf16 computes in f32)."""
    return _c.maximum(x, y, bool(propagate_nan))


def minimum(x, y, propagate_nan=PropagateNan.NONE):
    """Element-wise minimum (bf16 computes in f32)."""
    return _c.minimum(x, y, bool(propagate_nan))


def clamp(x, min, max, propagate_nan=PropagateNan.NONE):  # noqa: A002  (Triton's names)
    """minimum(maximum(x, min), max) for floats."""
    return _c.clamp(x, min, max, bool(propagate_nan))


def assume(cond, msg="assume failed"):
    """Checked here: a SemanticError when any element of `cond` is false (a compiler would
    assume it)."""
    if isinstance(cond, bool):
        static_assert(cond, msg)
        return
    _c.assume(cond, msg)


def cdiv(x, div):
    """(x + div - 1) // div: on Python ints a Python int, else a tile."""
    if _is_int(x) and _is_int(div):
        return (x + div - 1) // div
    return _c.cdiv(x, div)


# Reductions and dot.
def sum(input, axis=None, keep_dims=False, dtype=None):  # noqa: A001  (Triton's name)
    """Sum along `axis` (None: every element); `dtype` casts the input first."""
    return _c.sum(input, axis, keep_dims, dtype)


def max(input, axis=None, return_indices=False, return_indices_tie_break_left=True,  # noqa: A001
        keep_dims=False):
    """Maximum along `axis` (None: every element); with return_indices, (values, i32 indices of
    the first maximum), no sub-32-bit widening (bf16 becomes f32). Ties always go to the smallest
    index."""
    if return_indices:
        return _c.max_with_indices(input, axis, keep_dims)
    return _c.max(input, axis, keep_dims)


def min(input, axis=None, return_indices=False, return_indices_tie_break_left=True,  # noqa: A001
        keep_dims=False):
    """Minimum along `axis` (None: every element); return_indices as in max."""
    if return_indices:
        return _c.min_with_indices(input, axis, keep_dims)
    return _c.min(input, axis, keep_dims)


def argmax(input, axis, tie_break_left=True, keep_dims=False):
    """i32 index of the maximum along `axis` (ties: the smallest index)."""
    return _c.argmax(input, axis, keep_dims)


def argmin(input, axis, tie_break_left=True, keep_dims=False):
    """i32 index of the minimum along `axis` (ties: the smallest index)."""
    return _c.argmin(input, axis, keep_dims)


def cumsum(input, axis=0, reverse=False, dtype=None):
    """Inclusive prefix sum along `axis`."""
    return _c.cumsum(input, axis, reverse, dtype)


def dot(input, other, acc=None, input_precision=None, allow_tf32=None,
        max_num_imprecise_acc=None, out_dtype=float32):
    """acc + input @ other on the matrix unit, accumulated in f32 (i32 for i8)."""
    if input_precision is None:
        input_precision = "tf32" if allow_tf32 else "ieee"
    return _c.dot(input, other, acc, input_precision, out_dtype)


# Shapes.
def reshape(input, *shape, can_reorder=False):
    """Same numel, row-major order kept."""
    return _c.reshape(input, _shape(shape))


def view(input, *shape):
    """reshape (the elements keep their order here)."""
    return _c.reshape(input, _shape(shape))


def ravel(x, can_reorder=False):
    """Reshape to one dimension."""
    return _c.ravel(x)


def permute(input, *dims):
    """Axis permutation: result dim i is input dim dims[i]."""
    return _c.permute(input, list(_shape(dims)))


def trans(input, *dims):
    """Transpose ((1, 0) for 2-D), or permute by `dims`."""
    return _c.permute(input, list(_shape(dims))) if dims else _c.trans(input)


def broadcast_to(input, *shape):
    """Same-rank broadcast (each dim equal or 1; a scalar splats)."""
    return _c.broadcast_to(input, _shape(shape))


def expand_dims(input, axis):
    """Inserts size-1 dims at `axis` (an int or a sequence, positions in the result)."""
    axes = [axis] if _is_int(axis) else sorted(axis)
    for a in axes:
        input = _c.expand_dims(input, a)
    return input


# Hints and compile-time helpers: no effect on the simulated machine.
def multiple_of(input, values):
    return input


def max_contiguous(input, values):
    return input


def max_constancy(input, values):
    return input


def debug_barrier():
    """No-op: the programs of a PE run one after another."""


def static_assert(cond, msg=""):
    """Raises kernbench.SemanticError when the compile-time `cond` is false."""
    if not cond:
        raise SemanticError(f"tl.static_assert: {msg}" if msg else "tl.static_assert failed")


def static_range(arg1, arg2=None, step=None):
    """A Python range over ints (scalar tiles are read as ints)."""
    return _range(arg1, arg2, step)


def range(arg1, arg2=None, step=None, num_stages=None, loop_unroll_factor=None,  # noqa: A001
          disallow_acc_multi_buffer=False, flatten=False, warp_specialize=False):
    """A Python range over ints; the pipelining hints have no effect here."""
    return _range(arg1, arg2, step)


def next_power_of_2(n):
    """The smallest power of two >= n (n >= 0)."""
    n = int(n)
    return 1 if n <= 1 else 1 << (n - 1).bit_length()


_builtin_range = __builtins__["range"] if isinstance(__builtins__, dict) else __builtins__.range


def _range(arg1, arg2, step):
    if arg2 is None:
        return _builtin_range(int(arg1))
    return _builtin_range(int(arg1), int(arg2), 1 if step is None else int(step))


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _shape(shape):
    if len(shape) == 1 and not _is_int(shape[0]):
        shape = shape[0]  # reshape(x, (a, b)) as well as reshape(x, a, b)
    if _is_int(shape):
        return (shape,)
    return tuple(int(d) for d in shape)


def _unsupported(name, what=None):
    what = f"tl.{name}" if what is None else f"tl.{name} with {what}"
    raise SemanticError(f"{what} is not supported by kernbench.language (docs/python.md, "
                        f"'Porting a Triton kernel')")


def _unsupported_op(name):
    def op(*args, **kwargs):
        _unsupported(name)
    op.__name__ = name
    op.__doc__ = f"Not supported: raises kernbench.SemanticError naming tl.{name}."
    return op


# Triton ops the simulator does not offer from Python yet: each raises a SemanticError naming it.
UNSUPPORTED = (
    "atomic_and", "atomic_or", "atomic_xor",
    "rand", "randn", "randint", "randint4x", "device_print", "device_assert", "inline_asm_elementwise",
    "join", "split", "cat", "interleave", "histogram", "sort", "flip", "reduce",
    "associative_scan", "cumprod", "xor_sum", "reduce_or", "umulhi", "erf", "sin",
    "cos", "floor", "ceil", "div_rn", "sqrt_rn", "fdiv", "softmax", "gather",
)
for _name in UNSUPPORTED:
    globals()[_name] = _unsupported_op(_name)
del _name
