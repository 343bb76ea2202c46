"""The runtime torch-style: machines, tensors, host data, launches and their figures."""
import numpy as np
import pytest

import kernbench as kb

from conftest import CUBE_ROWS, SOURCE_DIR


def test_machine_from_default_file_yaml_and_overrides():
    m = kb.Machine()
    assert (m.sips, m.cubes_per_sip, m.pes_per_cube) == (1, 16, 8)
    small = kb.Machine(str(SOURCE_DIR / "configs" / "ahbm_small.yaml"))
    assert small.cubes_per_sip < 16
    text = (SOURCE_DIR / "configs" / "ahbm_multi_sip.yaml").read_text()
    assert kb.Machine(yaml=text).sips > 1
    flows = kb.Machine(set={"system.fabric_model": "flows", "system.sips.count": 2})
    assert flows.sips == 2
    assert m.now_ps == 0


def test_runtime_is_one_per_machine_and_on_its_device(machine):
    rt = machine.runtime
    assert isinstance(rt, kb.Runtime)
    assert rt.device == kb.Device.all()
    assert kb.Runtime(machine).machine is machine
    cube = kb.Machine(device=kb.Device.cube(0, 2)).runtime
    assert cube.device == kb.Device.cube(0, 2)
    assert cube.zeros((8,)).shards[0].pe == (0, 2, 0)


def test_zeros_full_empty(rt):
    z = rt.zeros((4, 8), kb.i16, name="z")
    assert (z.name, z.dtype, z.shape, z.numel, z.size_bytes) == ("z", kb.i16, (4, 8), 32, 64)
    assert np.array_equal(z.numpy(), np.zeros((4, 8), np.int16))
    f = rt.full((3,), 2.5, kb.f64)
    assert f.numpy().tolist() == [2.5, 2.5, 2.5]
    assert f.name.startswith("tensor")
    e = rt.empty(5, kb.u8)
    assert e.shape == (5,) and e.numpy().dtype == np.uint8
    assert rt.full((2,), 1.5, "bf16").numpy().tolist() == [0x3FC0, 0x3FC0]


@pytest.mark.parametrize("make, expect", [("zeros", [0] * 8), ("empty", list(range(8)))])
def test_zeros_writes_and_empty_does_not(rt, make, expect):
    # Memory a launch wrote, freed and taken again: zeros fills it, empty writes nothing
    # (docs/runtime.md); both take the same keywords.
    x = rt.zeros((8,), kb.i32, name="x", device=kb.Device.cube(0, 3))
    rt.launch("fill_index", 1, x)
    x.free()
    t = getattr(rt, make)((8,), kb.i32, placement=None, name="t", device=kb.Device.cube(0, 3))
    assert (t.name, t.dtype, t.numpy().tolist()) == ("t", kb.i32, expect)


@pytest.mark.parametrize("dtype", list(kb.DType.__members__.values()))
def test_every_dtype_round_trips_through_numpy(rt, dtype):
    rng = np.random.default_rng(1)
    raw = rng.integers(0, 256, size=48 * dtype.itemsize, dtype=np.uint8)
    if dtype == kb.bool_:
        raw = raw % 2
    data = raw.view(dtype.numpy).reshape(16, -1)
    if dtype in (kb.f16, kb.f32, kb.f64):
        data = np.nan_to_num(data)  # NaN payloads compare unequal
    x = rt.from_numpy(data, dtype, placement=CUBE_ROWS, name="x")
    assert x.dtype == dtype and x.shape == data.shape
    back = x.numpy()
    assert back.dtype == dtype.numpy
    assert back.tobytes() == data.tobytes()


def test_from_numpy_takes_the_arrays_dtype_or_converts(rt):
    assert rt.from_numpy(np.arange(6, dtype=np.int32).reshape(2, 3)).dtype == kb.i32
    assert rt.from_numpy(np.array([True, False])).dtype == kb.bool_
    x = rt.from_numpy([[1, 2], [3, 4]], kb.f32)
    assert x.numpy().tolist() == [[1.0, 2.0], [3.0, 4.0]]
    b = rt.from_numpy(np.array([1.0, 3.0], np.float64), kb.bf16)  # floats round to bf16
    assert kb.bf16_to_float(b.numpy()).tolist() == [1.0, 3.0]
    raw = rt.from_numpy(np.array([0x4040], np.uint16), kb.bf16)  # uint16 are the raw bits
    assert kb.bf16_to_float(raw.numpy()).tolist() == [3.0]
    strided = np.arange(16, dtype=np.float32)[::2]
    assert rt.from_numpy(strided).numpy().tolist() == strided.tolist()


def test_copy_free_and_live_tensors(rt):
    x = rt.zeros((16, 4), placement=CUBE_ROWS, name="x")
    data = np.arange(64, dtype=np.float32).reshape(16, 4)
    assert x.copy_(data) is x
    assert np.array_equal(x.numpy(), data)
    x.copy_(np.ones((16, 4), np.int64))  # converted to the tensor's dtype
    assert x.numpy().sum() == 64
    live = rt.live_tensors
    x.free()
    assert rt.live_tensors == live - 1
    y = rt.zeros((8,))
    del y  # the handle's death frees the tensor through the machine
    assert rt.live_tensors == live - 1
    assert [r.phase for r in rt.completions()][-1] == "unmap"


def test_placements_by_keyword_and_on_a_chosen_device(rt):
    x = rt.zeros((16, 8), placement=kb.Placement(cube="rows", pe="columns"))
    assert len(x.shards) == 16 * 8
    assert x.shards[1].shape == [1, 1] and x.shards[1].pe == (0, 0, 1)
    r = rt.zeros((8,), placement=kb.Placement(cube=kb.replicate(4)))
    assert [s.part for s in r.shards] == [0, 0, 0, 0]
    one = rt.zeros((8,), placement=kb.Placement.at((0, 5, 3)))
    assert one.shards[0].pe == (0, 5, 3) and one.shards[0].size_bytes == 32
    on_cube = rt.zeros((16,), placement=kb.Placement(pe="rows"), device=kb.Device.cube(0, 7))
    assert {s.pe[1] for s in on_cube.shards} == {7}
    assert rt.current_device == kb.Device.all()  # the device= keyword is for that call only
    rt.set_device(kb.Device.cube(0, 9))
    assert rt.current_device == kb.Device.cube(0, 9)
    assert rt.zeros((4,)).shards[0].pe == (0, 9, 0)
    rt.set_device_index(0)
    assert rt.current_device == kb.Device.sip(0)
    rt.set_device(0)
    assert x.placement == kb.Placement(cube="rows", pe="columns")
    assert x.shards[3].global_offset == [0, 3] and x.shards[3].byte_offset == 12


def test_launch_a_registered_kernel(rt):
    assert rt.kernels() == ["fill_index", "vector_add"]
    assert "flat index" in rt.kernel_help("fill_index")
    x = rt.zeros((64, 4), placement=CUBE_ROWS, name="x")
    y = rt.from_numpy(np.full((64, 4), 0.5, np.float32), placement=CUBE_ROWS, name="y")
    out = rt.empty((64, 4), placement=CUBE_ROWS, name="out")
    h = rt.launch("fill_index", 2, x)
    assert isinstance(h, kb.Launch) and h.done and h.kernel == "fill_index"
    rt.launch("vector_add", (1,), x, y, out)
    assert np.array_equal(out.numpy(), np.arange(256, dtype=np.float32).reshape(64, 4) + 0.5)


def test_launch_async_wait_and_synchronize(rt):
    x = rt.zeros((128,), placement=CUBE_ROWS)
    h = rt.launch_async("fill_index", 1, x)
    assert not h.done and rt.in_flight > 0
    rt.wait(h)
    assert h.done
    hs = [rt.launch_async("fill_index", 1, x) for _ in range(2)]
    rt.wait_all(hs)
    assert all(h.done for h in hs)
    h = rt.launch_async("fill_index", kb.Grid(2), x)
    rt.synchronize()
    assert h.done and rt.in_flight == 0
    h = rt.launch_async("fill_index", 1, x)
    h.wait()
    assert h.done


def test_ints_become_i32_floats_f32_and_kwargs_follow(rt):
    seen = []

    def grid(args):
        seen.append(args)
        return (1, 1)

    x = rt.zeros((8,), name="x")
    rt.launch("fill_index", grid, x, 3, 2.5, True, 1 << 40, kb.Scalar(2, kb.u8), block=7)
    tensor, *scalars = seen[0]
    assert isinstance(tensor, kb.TensorArg)
    assert (tensor.name, tensor.dtype, tensor.shape, tensor.global_shape) == \
        ("x", kb.f32, [8], [8])
    assert tensor.strides == [1] and tensor.global_offset == [0] and tensor.numel == 8
    assert [(s.dtype, s.value) for s in scalars] == [
        (kb.i32, 3), (kb.f32, 2.5), (kb.bool_, True), (kb.i64, 1 << 40), (kb.u8, 2),
        (kb.i32, 7)]


def test_grid_function_sizes_each_pes_grid(rt):
    x = rt.zeros((16 * 12,), placement=CUBE_ROWS)
    h = rt.launch("fill_index", lambda args: args[0].numel // 4, x)
    assert len(h.programs) == 16 * 3
    assert np.array_equal(x.numpy(), np.arange(192, dtype=np.float32))


def test_launch_figures(rt):
    x = rt.zeros((64,), placement=kb.Placement(cube=kb.rows(2)))
    h = rt.launch("fill_index", (2, 1, 1), x)
    assert [p.pe for p in h.pes] == [(0, 0, 0), (0, 1, 0)]
    pe = h.pes[0]
    assert pe.programs == 2 and pe.reported == 0 and pe.end_ps > pe.start_ps
    assert pe.total.elapsed_ps > 0 and pe.total.dma_ps == 0  # fill_index reports no breakdown
    prog = h.programs[0]
    assert isinstance(prog, kb.ProgramRecord) and isinstance(prog.stats, kb.ProgramStats)
    assert prog.program_id in [(0, 0, 0), (1, 0, 0)] and prog.end_ps > prog.start_ps
    assert not prog.reported
    assert h.total().elapsed_ps == sum(p.total.elapsed_ps for p in h.pes)
    assert h.total(sip=0).elapsed_ps == h.total().elapsed_ps
    s = h.total()
    assert (s.vector_ps, s.matrix_ps, s.wait_ps, s.translation_ps, s.dma_requests) == (0,) * 5
    assert (s.tcm_peak_bytes, s.tlb_lookups, s.tlb_misses, s.tlb_reach_bytes) == (0,) * 4


def test_completions_and_phase_table(rt, machine):
    x = rt.zeros((32,), placement=kb.Placement(cube=kb.rows(2)), name="v")
    rt.launch("fill_index", 1, x)
    x.numpy()
    rows = rt.completions()
    assert [r.phase for r in rows] == ["map", "map", "write", "write", "launch", "read", "read"]
    for r in rows:
        assert isinstance(r, kb.PhaseRow) and r.requests == 1
        assert r.end_ps >= r.start_ps and r.duration_ps == r.end_ps - r.start_ps
    assert rows[5].bytes == 64 and rows[5].name == "v"
    assert rows[4].name == "fill_index" and rows[4].targets == 2 and rows[4].breakdown is None
    phases = rt.phase_table()
    assert [(p.phase, p.requests) for p in phases] == \
        [("map", 2), ("write", 2), ("launch", 1), ("read", 2)]
    assert phases[-1].end_ps == rows[-1].end_ps <= machine.now_ps
    assert phases[3].bytes == 128 and phases[0].reported == 0
    assert "launch   fill_index" in rt.completion_table()
    assert rt.phase_summary().splitlines()[0].split()[:3] == ["phase", "name", "requests"]
    assert "PhaseRow read 'v'" in repr(phases[3])


def test_in_flight_rows_have_no_end(rt):
    x = rt.zeros((8,))
    rt.launch_async("fill_index", 1, x)
    last = rt.completions()[-1]
    assert last.end_ps is None and last.duration_ps is None
    rt.synchronize()
    assert rt.completions()[-1].end_ps is not None


def test_two_machines_are_independent():
    a, b = kb.Machine(), kb.Machine()
    xa = a.runtime.zeros((8,))
    a.runtime.launch("fill_index", 1, xa)
    assert b.now_ps == 0 and a.now_ps > 0
    assert b.runtime.completions() == []


def test_tensors_keep_their_machine_alive():
    x = kb.Machine().runtime.full((4,), 3.0)
    assert x.numpy().tolist() == [3.0] * 4
