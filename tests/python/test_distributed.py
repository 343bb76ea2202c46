"""kernbench.distributed: ranks as simulated processes, each rank's function on its process's fiber
under a Python thread state of its own, blocking as plain code; process groups, collectives,
aliases and their errors."""
import threading

import numpy as np
import pytest

import kernbench as kb
import kernbench.distributed as dist


def run(fn, world, per="pe", machine=None, **kw):
    machine = machine or kb.Machine()
    results = {}

    def body(ctx):
        results[ctx.rank] = fn(ctx)

    dist.run(machine, body, world=world, per=per, **kw)
    return [results[r] for r in range(world)], machine


@pytest.mark.parametrize("world", [4, 8])
def test_all_reduce_of_user_data(world):
    rng = np.random.default_rng(world)
    data = rng.integers(-50, 50, size=(world, 4096)).astype(np.float32)

    def bench(ctx):
        ctx.set_device(ctx.rank)  # torch's idiom: the rank's own device
        dist.init_process_group()
        x = ctx.from_numpy(data[ctx.rank], name=f"x{ctx.rank}")
        dist.all_reduce(x)
        return x.numpy()

    got, machine = run(bench, world)
    for r in range(world):
        assert np.array_equal(got[r], data.sum(axis=0))
    assert machine.now_ps > 0
    assert machine.runtime.live_tensors == 0  # a rank's tensors are freed when it returns


def test_every_op_on_the_world_group():
    world, n = 4, 16

    def bench(ctx):
        r = ctx.rank
        g = ctx.init_process_group()
        assert isinstance(g, kb.distributed.ProcessGroup)
        assert (g.size, g.ranks, g.rank_of(r)) == (world, list(range(world)), r)
        out = {}
        t = ctx.full((n,), r + 1.0)
        ctx.all_reduce(t, op="max")
        out["max"] = t.numpy()
        t = ctx.full((n,), r + 1.0)
        dist.all_reduce(t, op=dist.ReduceOp.AVG)
        out["avg"] = t.numpy()
        t = ctx.from_numpy(np.arange(n, dtype=np.float32) + 100 * r)
        ctx.reduce_scatter(t)
        out["reduce_scatter"] = t.numpy()[r * 4:(r + 1) * 4]
        t = ctx.from_numpy(np.full(n, r, np.int32))
        dist.all_gather(t)
        out["all_gather"] = t.numpy()
        t = ctx.full((n,), float(r))
        dist.broadcast(t, src=2)
        out["broadcast"] = t.numpy()
        t = ctx.full((n,), 2.0)
        dist.reduce(t, dst=1, op="prod")
        out["reduce"] = t.numpy()
        src = ctx.from_numpy(np.arange(n, dtype=np.int32) + 100 * r)
        dst = ctx.zeros((n,), kb.i32)
        dist.all_to_all(dst, src)
        out["all_to_all"] = dst.numpy()
        dist.barrier()
        return out

    got, _ = run(bench, world)
    for r, out in enumerate(got):
        assert (out["max"] == 4).all() and (out["avg"] == 2.5).all()
        seg = np.arange(r * 4, r * 4 + 4, dtype=np.float32)
        assert np.array_equal(out["reduce_scatter"], 4 * seg + 600)
        assert np.array_equal(out["all_gather"], np.repeat(np.arange(4), 4))
        assert (out["broadcast"] == 2).all()
        want_a2a = np.concatenate([np.arange(r * 4, r * 4 + 4) + 100 * i for i in range(4)])
        assert np.array_equal(out["all_to_all"], want_a2a)
    assert (got[1]["reduce"] == 16).all()


def test_new_group_and_group_ops():
    def bench(ctx):
        ctx.init_process_group()
        dist.barrier()  # every rank out of the world group's creation before the next
        g = dist.new_group([0, 2] if ctx.rank % 2 == 0 else [1, 3])
        t = ctx.full((8,), float(ctx.rank))
        dist.all_reduce(t, group=g)
        g.barrier()
        return t.numpy()[0], g.ranks, g.entry

    got, _ = run(bench, 4)
    assert [v for v, _, _ in got] == [2.0, 4.0, 2.0, 4.0]
    assert got[0][1] == [0, 2] and got[1][1] == [1, 3]
    assert got[0][2] == "ring_default_ws"


@pytest.mark.parametrize("form", ["ctx", "dist"])
def test_is_initialized_sees_both_forms_of_init(form):
    def bench(ctx):
        before = (dist.is_initialized(), ctx.is_initialized())
        if form == "ctx":
            ctx.init_process_group()
        else:
            dist.init_process_group()
        return before, (dist.is_initialized(), ctx.is_initialized())

    got, _ = run(bench, 2)
    assert got == [((False, False), (True, True))] * 2
    assert not dist.is_initialized()  # outside a rank


def test_context_and_device_aliases():
    def bench(ctx):
        seen = (ctx.rank, ctx.world_size, ctx.pe, str(ctx.device), dist.get_rank(),
                dist.get_world_size())
        kb.ahbm.set_device(ctx.rank)
        kb.accelerator.set_device_index(ctx.rank)
        dist.set_device(ctx.rank)
        ctx.set_device_index(ctx.rank)
        assert ctx.current_device == ctx.device
        assert "RankContext rank" in repr(ctx)
        return seen

    got, _ = run(bench, 2, per="cube")
    assert got[1] == (1, 2, (0, 1, 0), "(sip 0, cube 1)", 1, 2)
    got, _ = run(lambda ctx: ctx.pe, 2, pes=[(0, 3, 1), (0, 9, 5)], per="pe")
    assert got == [(0, 3, 1), (0, 9, 5)]


def test_a_rank_launches_kernels_and_waits():
    def bench(ctx):
        x = ctx.zeros((64,), name="x")
        h = ctx.launch_async("fill_index", 2, x)
        ctx.wait(h)
        ctx.synchronize()
        return h.done, x.numpy()[-1], len(ctx.completions()) > 0

    got, _ = run(bench, 4)
    assert got == [(True, 63.0, True)] * 4


def test_an_exception_in_a_rank_is_a_process_error_and_takes_the_machine_down():
    machine = kb.Machine()

    def bench(ctx):
        if ctx.rank == 1:
            raise ValueError("rank 1 gives up")
        ctx.init_process_group()

    with pytest.raises(kb.ProcessError,
                       match=r"process 'rank 1' failed at 0 ps: ValueError: rank 1 gives up"):
        dist.run(machine, bench, world=4, per="pe")
    with pytest.raises(kb.Error, match="this machine was taken down by a failed run"):
        machine.runtime.zeros((4,))


def test_ranks_that_never_meet_are_a_deadlock_error():
    def bench(ctx):
        ctx.init_process_group()
        if ctx.rank == 1:
            ctx.barrier()

    with pytest.raises(kb.DeadlockError, match=r"rank 1' waits on call #1 of group 'world'"):
        dist.run(kb.Machine(), bench, world=2, per="pe")


def test_mismatched_collectives():
    def bench(ctx):
        ctx.init_process_group()
        t = ctx.zeros((8 if ctx.rank == 0 else 16,))
        ctx.all_reduce(t)

    # Raised in the rank as kernbench.CollectiveMismatchError; the run names the rank.
    with pytest.raises(kb.ProcessError,
                       match=r"CollectiveMismatchError: mismatched collectives at call #1 of "
                             r"group 'world': rank 0 all_reduce\(f32 x 8, sum\), "
                             r"rank 1 all_reduce\(f32 x 16"):
        dist.run(kb.Machine(), bench, world=2, per="pe")


def test_host_objects_inside_ranks_and_rank_objects_outside_are_errors():
    machine = kb.Machine()
    host = machine.runtime.zeros((4,), name="h")
    kept = []

    def bench(ctx):
        mine = ctx.zeros((4,), name=f"r{ctx.rank}")
        kept.append(mine)
        with pytest.raises(kb.Error, match="the host's runtime and tensors cannot be used"):
            host.numpy()
        with pytest.raises(kb.NotFoundError, match="unknown reduce op 'median'"):
            ctx.init_process_group().all_reduce(mine, op="median")

    dist.run(machine, bench, world=2, per="pe")
    assert not kept[0].valid  # freed when its rank returned
    with pytest.raises(kb.AddressError, match="tensor 'r0' was freed"):
        kept[0].numpy()
    assert host.numpy().tolist() == [0.0] * 4  # the host's tensors work again after the run
    with pytest.raises(kb.Error, match="not inside a rank function"):
        dist.get_rank()
    with pytest.raises(kb.NotFoundError, match="ranks per 'rack'"):
        dist.run(machine, bench, per="rack")


def test_world_that_does_not_fit_is_a_config_error():
    with pytest.raises(kb.ConfigError, match="world size 4 does not fit one rank per SIP"):
        dist.run(kb.Machine(), lambda ctx: None, world=4)


def test_timing_only_runs_the_same_collective_without_data():
    def bench(ctx):
        ctx.init_process_group()
        x = ctx.full((1024,), 1.0)
        ctx.all_reduce(x)
        return x.numpy()[0]

    full, m1 = run(bench, 4)
    timing, m2 = run(bench, 4, timing_only=True)
    assert full == [4.0] * 4 and timing == [1.0] * 4
    assert m1.now_ps == m2.now_ps


def test_python_exceptions_inside_a_launch_reach_the_caller():
    def bad_grid(args):
        raise ZeroDivisionError("grid of " + args[0].name)

    machine = kb.Machine()
    x = machine.runtime.zeros((8,), name="x")
    with pytest.raises(ZeroDivisionError, match="grid of x"):
        machine.runtime.launch("fill_index", bad_grid, x)

    def bench(ctx):
        t = ctx.zeros((8,), name=f"t{ctx.rank}")
        with pytest.raises(ZeroDivisionError, match=f"grid of t{ctx.rank}"):
            ctx.launch("fill_index", bad_grid, t)  # raised on the rank's thread, caught here
        ctx.launch("fill_index", lambda args: 1, t)
        return t.numpy()[-1]

    got, _ = run(bench, 2, machine=machine)
    assert got == [7.0, 7.0]


def test_a_grid_function_runs_in_its_ranks_python_before_the_launch():
    def bench(ctx):
        calls = []

        def grid(args):
            calls.append(threading.get_ident())
            return 1

        t = ctx.zeros((8,))
        ctx.launch("fill_index", grid, t)
        return threading.get_ident(), calls, t.numpy()[-1]

    got, _ = run(bench, 2)
    for own, calls, last in got:
        assert calls == [own]  # one target PE: called once, where the rank's function runs
        assert last == 7.0


def test_a_rank_context_kept_past_its_rank_is_an_error():
    kept = {}

    def bench(ctx):
        kept["ctx"], kept["rt"] = ctx, ctx.runtime
        kept["group"] = ctx.init_process_group()
        kept["launch"] = ctx.launch("fill_index", 1, ctx.zeros((4,)))

    dist.run(kb.Machine(), bench, world=1, per="pe")
    with pytest.raises(kb.Error, match="a rank's context is used after its function returned"):
        kept["ctx"].world_size
    with pytest.raises(kb.Error, match="a rank's context is used after its function returned"):
        kept["group"].ranks
    with pytest.raises(kb.Error, match="rank 0's runtime and tensors are used only by rank 0"):
        kept["ctx"].barrier()
    with pytest.raises(kb.Error, match="rank 0's runtime and tensors are used only by rank 0"):
        kept["rt"].zeros((4,))
    with pytest.raises(kb.Error, match="rank 0's runtime and tensors are used only by rank 0"):
        kept["launch"].wait()


def test_init_process_group_ignores_only_torchs_backend_init_method_and_timeout():
    def bench(ctx):
        with pytest.raises(kb.ConfigError,
                           match=r"^init_process_group: keyword rank=, world_size= not accepted "
                                 r"\(ranks and world size come from kernbench\.distributed\.run\); "
                                 r"accepted and ignored: backend=, init_method=, timeout=$"):
            dist.init_process_group(world_size=4, rank=ctx.rank)
        assert not dist.is_initialized()
        dist.init_process_group(backend="nccl", init_method="env://", timeout=30)
        return dist.is_initialized()

    got, _ = run(bench, 2)
    assert got == [True, True]


def test_ranks_python_runs_under_thread_states_of_their_own():
    # Ranks' functions run one at a time on their fibers (one OS thread), each under its own
    # Python thread state: a threading.local set by one rank is not seen by another.
    own = threading.local()

    def bench(ctx):
        before = getattr(own, "rank", None)
        own.rank = ctx.rank
        ctx.synchronize()  # a switch: the other ranks run meanwhile
        return threading.get_ident(), before, own.rank

    got, _ = run(bench, 4)
    assert {ident for ident, _, _ in got} == {threading.get_ident()}
    assert [(before, after) for _, before, after in got] == [(None, r) for r in range(4)]


def test_the_machines_ccl_settings_and_file_reach_its_process_groups(tmp_path):
    # The default group's entry is ring_default_ws: its chunk size set on the machine as --set
    # sets it on the command line, or by an entry of a ccl file (--ccl; a UserWarning says it
    # replaces the built-in one), changes the all-reduce's time, not its result.
    data = np.arange(4 * 65536, dtype=np.float32).reshape(4, 65536) % 7

    def time_of(machine):
        def bench(ctx):
            ctx.set_device(ctx.rank)
            dist.init_process_group()
            x = ctx.from_numpy(data[ctx.rank])
            dist.all_reduce(x)
            return x.numpy()

        got, _ = run(bench, 4, machine=machine)
        for r in range(4):
            assert np.array_equal(got[r], data.sum(axis=0))
        return machine.now_ps

    plain = time_of(kb.Machine())
    small = time_of(kb.Machine(set={"ccl.ring_default_ws.chunk_size": "4K"}))
    file = tmp_path / "ccl.yaml"
    file.write_text("algorithms:\n  ring_default_ws:\n    kind: ring\n    chunk_size: 4 KiB\n")
    with pytest.warns(UserWarning) as warned:
        replaced = kb.Machine(ccl=file)
    assert [str(w.message) for w in warned] == [
        f"{file}:2:3: entry ring_default_ws replaces the built-in entry of that name"]
    assert small != plain
    assert time_of(replaced) == small


def test_the_machines_ccl_settings_are_checked_as_the_command_lines():
    with pytest.raises(kb.ConfigError) as unknown:
        kb.Machine(set={"ccl.ring_defualt_ws.chunk_size": "4K"})
    assert str(unknown.value) == (
        "--set ccl.ring_defualt_ws.chunk_size=4K: ccl.ring_defualt_ws: unknown ccl entry "
        "'ring_defualt_ws' (did you mean 'ring_default_ws'?); known: ring_default_ws, ring_tcm_8, "
        "hbm_8, sram_8, multi_cube, mesh_2x2, tree_binary_7, halving_doubling_8")
    with pytest.raises(kb.ConfigError) as size:
        kb.Machine(set={"ccl.defaults.chunk_size": "4Q"})
    assert str(size.value) == (
        "--set ccl.defaults.chunk_size=4Q: ccl.defaults.chunk_size: expected a size such as "
        "\"16K\" or \"16 KiB\" (B, K or KiB, M or MiB, G or GiB, T or TiB) or plain bytes, found "
        "\"4Q\"")
