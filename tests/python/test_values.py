"""Dtypes and their numpy forms, bf16 helpers, placements and devices."""
import numpy as np
import pytest

import kernbench as kb

NUMPY_OF = {
    kb.f16: np.float16, kb.bf16: np.uint16, kb.f32: np.float32, kb.f64: np.float64,
    kb.i8: np.int8, kb.i16: np.int16, kb.i32: np.int32, kb.i64: np.int64,
    kb.u8: np.uint8, kb.u16: np.uint16, kb.u32: np.uint32, kb.bool_: np.bool_,
}


def test_every_dtype_has_a_numpy_form_of_its_size():
    assert len(kb.DType.__members__) == 12
    for t, np_type in NUMPY_OF.items():
        assert t.numpy == np.dtype(np_type)
        assert t.itemsize == np.dtype(np_type).itemsize


def test_dtype_accepts_names_long_names_and_numpy_types():
    assert kb.dtype("f32") == kb.f32
    assert kb.dtype("bfloat16") == kb.bf16
    assert kb.dtype("bool") == kb.bool_
    assert kb.dtype(np.int16) == kb.i16
    assert kb.dtype(np.dtype("uint32")) == kb.u32
    assert kb.dtype(kb.f64) == kb.f64
    assert str(kb.bf16) == "bf16"
    assert kb.float32 == kb.f32 and kb.half == kb.f16 and kb.bfloat16 == kb.bf16


def test_unknown_dtype_is_not_found_with_the_known_ones():
    with pytest.raises(kb.NotFoundError, match=r"unknown dtype 'f8'; known: f16, bf16, f32"):
        kb.dtype("f8")
    with pytest.raises(kb.NotFoundError, match="numpy dtype 'uint64' has no KernBench dtype"):
        kb.dtype(np.uint64)


def test_bf16_helpers_round_to_nearest_even_and_back_exactly():
    bits = kb.float_to_bf16(np.array([1.0, -2.5, 1.00390625, 1.01171875], np.float32))
    assert bits.dtype == np.uint16
    # 1 + 2^-8 is a tie between 1 and 1 + 2^-7: even (1.0); 1 + 3*2^-8 rounds up to 1 + 2^-6.
    assert list(bits) == [0x3F80, 0xC020, 0x3F80, 0x3F82]
    back = kb.bf16_to_float(bits)
    assert back.dtype == np.float32
    assert list(back) == [1.0, -2.5, 1.0, 1.015625]
    with pytest.raises(kb.ShapeError, match="bf16 bits must be a uint16 array"):
        kb.bf16_to_float(np.zeros(2, np.float32))


def test_levels_and_their_shorthands():
    assert kb.rows(2) == kb.Level("rows", 2)
    assert kb.columns() == kb.Level("columns", count=0)
    assert kb.replicate(4).split == "replicate" and kb.replicate(4).count == 4
    assert kb.at(3) == kb.Level("replicate", 1, 3)
    assert kb.at(3).first == 3
    assert str(kb.rows(4)) == "rows(4)"
    assert repr(kb.at(2)) == "kernbench.Level('replicate', count=1, first=2)"


def test_placement_by_keyword():
    p = kb.Placement(sip="rows", cube="columns", pe="replicate")
    assert p.sip == kb.rows() and p.cube == kb.columns() and p.pe == kb.replicate()
    assert kb.Placement(pe=3).pe == kb.at(3)
    assert kb.Placement(cube=kb.rows(2)).cube.count == 2
    assert kb.Placement() == kb.Placement(sip=None)
    assert str(kb.Placement(cube="rows")) == \
        "sip replicate(1), cube rows(all), pe replicate(1)"
    assert kb.Placement.at((0, 3, 5)) == kb.Placement(sip=0, cube=3, pe=5)
    assert "kernbench.Placement(sip=" in repr(p)


def test_placement_errors_name_the_level():
    with pytest.raises(kb.NotFoundError,
                       match="placement level 'cube': unknown split 'diagonal'; known: "
                             "replicate, rows, columns"):
        kb.Placement(cube="diagonal")
    with pytest.raises(kb.ShapeError, match="placement level 'pe': 2.5 is not a split name"):
        kb.Placement(pe=2.5)
    with pytest.raises(TypeError):
        kb.Placement("rows")  # keywords only


def test_devices_print_as_in_cxx():
    assert str(kb.Device.all()) == "all SIPs"
    assert str(kb.Device.sip(2)) == "sip 2"
    assert str(kb.Device.cube(0, 3)) == "(sip 0, cube 3)"
    assert str(kb.Device.pe(0, 3, 5)) == "(sip 0, cube 3, pe 5)"
    assert kb.Device.pe(0, 3, 5).kind == "pe"
    assert kb.Device.cube(0, 3).first_pe == (0, 3, 0)
    assert kb.Device.sip(1) == kb.Device.sip(1) and kb.Device.sip(1) != kb.Device.all()


def test_grid_and_scalar_values():
    g = kb.Grid(4, 2)
    assert (g.x, g.y, g.z) == (4, 2, 1)
    s = kb.Scalar(7, kb.i64)
    assert s.dtype == kb.i64 and s.value == 7
    assert kb.Scalar(1.5, "f64").value == 1.5
    assert kb.Scalar(1, kb.bool_).value is True
