"""C++ errors arrive as Python exception classes under kernbench.Error, with the same message."""
import re

import pytest

import kernbench as kb
from kernbench import _kernbench

from conftest import CUBE_ROWS

KINDS = ["ConfigError", "ShapeError", "OutOfMemoryError", "AddressError", "NotFoundError",
         "DeadlockError", "SimulationLimitError", "ProcessError", "CollectiveMismatchError",
         "SemanticError", "InputSizeLimitError", "HostMemoryLimitError"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_error_type_maps_to_its_class_with_the_message(kind):
    cls = getattr(kb, kind)
    assert issubclass(cls, kb.Error) and cls.__module__ == "kernbench"
    with pytest.raises(cls) as info:
        _kernbench._raise(kind, f"what went wrong in {kind}")
    assert str(info.value) == f"what went wrong in {kind}"


def test_limit_errors_are_their_kinds_errors():
    assert issubclass(kb.InputSizeLimitError, kb.ConfigError)
    assert issubclass(kb.HostMemoryLimitError, kb.OutOfMemoryError)
    with pytest.raises(kb.ConfigError, match="too big"):
        _kernbench._raise("InputSizeLimitError", "too big")


def test_internal_error_is_not_a_user_error():
    assert not issubclass(kb.InternalError, kb.Error)
    with pytest.raises(kb.InternalError, match="our bug"):
        _kernbench._raise("InternalError", "our bug")
    with pytest.raises(kb.Error, match="plain"):
        _kernbench._raise("Error", "plain")


def test_bad_override_is_a_config_error(tmp_path):
    with pytest.raises(kb.ConfigError, match=r"--set sip\.cube_mesh\.w=2: .*expected"):
        kb.Machine(set={"sip.cube_mesh.w": 2})
    with pytest.raises(kb.ConfigError, match="no_such_key"):
        kb.Machine(set={"no_such_key": 1})
    missing = tmp_path / "missing.yaml"
    with pytest.raises(kb.ConfigError,
                       match=rf"^{re.escape(str(missing))}: cannot read the topology file$"):
        kb.Machine(str(missing))


def test_bad_shape(rt):
    with pytest.raises(kb.ShapeError,
                       match=r"^tensor 'x': dimension 0 of size 4 does not divide into 16 parts "
                             r"\(split by rows at the cube level\)$"):
        rt.zeros((4,), placement=CUBE_ROWS, name="x")
    with pytest.raises(kb.ShapeError, match="negative"):
        rt.zeros((-1, 2), name="neg")


def test_copy_of_the_wrong_shape(rt):
    import numpy as np
    x = rt.zeros((8,), kb.f32, name="x")
    with pytest.raises(kb.ShapeError, match=r"copy_ into tensor 'x'"):
        x.copy_(np.zeros(4, np.float32))


def test_bad_placement(rt):
    with pytest.raises(kb.ShapeError,
                       match=r"tensor 'w': placement asks for 32 cubes, but a SIP has 16"):
        rt.zeros((64,), placement=kb.Placement(cube=kb.rows(32)), name="w")
    with pytest.raises(kb.NotFoundError,
                       match=r"^device \(sip 0, cube 20\): a SIP has 16 cube\(s\), cube 0\.\.15$"):
        rt.zeros((4,), device=kb.Device.cube(0, 20))


def test_unknown_kernel_lists_the_known_ones(rt):
    x = rt.zeros((8,))
    with pytest.raises(kb.NotFoundError,
                       match=r"^unknown kernel 'fil_index' \(did you mean 'fill_index'\?\); "
                             r"known: fill_index, vector_add$"):
        rt.launch("fil_index", 1, x)


def test_a_failing_kernel_is_a_process_error_naming_the_kernel(rt):
    i = rt.zeros((16,), kb.i32, name="ints")
    with pytest.raises(kb.ProcessError,
                       match=r"process '.*' failed at .*: kernel 'vector_add': tensor 'ints' is "
                             r"i32 \[16\]; vector_add takes three f32 tensors of one shape"):
        rt.launch("vector_add", 1, i, i, i)


def test_out_of_memory(rt):
    with pytest.raises(kb.OutOfMemoryError, match="tensor 'huge'"):
        rt.empty((1 << 40,), kb.u8, name="huge")


def test_use_after_free_is_an_address_error(rt):
    x = rt.zeros((8,), name="x")
    x.free()
    assert not x.valid
    with pytest.raises(kb.AddressError, match="tensor 'x' was freed"):
        x.numpy()
    assert "freed" in repr(x)


def test_bad_launch_arguments_and_grids(rt):
    x = rt.zeros((8,), name="x")
    with pytest.raises(kb.ShapeError, match=r"launch 'fill_index': argument 1 is 'text'"):
        rt.launch("fill_index", 1, x, "text")
    with pytest.raises(kb.ShapeError, match=r"launch 'fill_index': grid \(1, 2, 3, 4\) is not"):
        rt.launch("fill_index", (1, 2, 3, 4), x)
    with pytest.raises(kb.ShapeError, match="does not fit in 64 bits"):
        rt.launch("fill_index", 1, x, 1 << 70)
